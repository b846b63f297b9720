//! The demo's upstream: a bare git repository written with gitoxide, deterministic (fixed
//! authors, dates and contents, so the same commit ids every time), whose commits and release
//! tags tell the story the demo queue is judged by:
//!
//! | release | commit |
//! |---|---|
//! | v3.13 | the tree as the queue found it, with the classic blktap driver and a MAINTAINERS file |
//! | v3.14-rc6 | the xen-blkfront grant-table leak fix the SUSE backport names |
//! | v3.14 | the xen/events NULL-dereference fix the stable patch names |
//! | v3.15 | a sysfs interface for the balloon, upstream's own (the SUSE patch's replacement) |
//! | v4.0 | the classic blktap driver removed (the quilt patch to it is obsolete) |
//!
//! The states before each fix are the final files with the queue's patch reverse-applied, so
//! each upstream fix has the very patch-id of the queue's backport.

use gix::bstr::ByteSlice;
use gix::ObjectId;
use kdelta_patch::diff::LineKind;
use kdelta_patch::{ParseOptions, Patch};
use std::collections::BTreeMap;
use std::path::Path;

use crate::DemoError;

/// The commits the queue's headers name.
pub struct Upstream {
    /// The xen-blkfront fix (`Git-commit:` of the SUSE backport).
    pub blkfront_fix: ObjectId,
    /// The xen/events fix (`commit … upstream.` of the stable patch).
    pub events_fix: ObjectId,
}

/// Files by path.
type Files = BTreeMap<String, String>;

/// One upstream commit: who, when, what, and the release tag it gets.
struct Step {
    author: (&'static str, &'static str),
    time: i64,
    message: &'static str,
    files: Files,
    tag: &'static str,
}

/// Write the repository into `dir` (which must not exist or be empty); `fixes` are the queue's patch texts
/// for the two fixes, whose reverse gives the files before them.
pub fn write_upstream(
    dir: &Path,
    final_files: &[(&str, &str)],
    blkfront_fix: &str,
    events_fix: &str,
    blktap: &str,
) -> Result<Upstream, DemoError> {
    let steps = steps(final_files, blkfront_fix, events_fix, blktap)?;
    std::fs::create_dir_all(dir).map_err(DemoError::io("creating", dir))?;
    let repo = gix::init_bare(dir).map_err(DemoError::git(dir, "git init"))?;
    let mut parent: Option<ObjectId> = None;
    let mut ids = Vec::new();
    for step in &steps {
        let id = commit(&repo, step, parent).map_err(DemoError::git(
            dir,
            format!("writing the commit of {}", step.tag),
        ))?;
        repo.tag_reference(step.tag, id, gix::refs::transaction::PreviousValue::Any)
            .map_err(DemoError::git(dir, format!("tagging {}", step.tag)))?;
        ids.push(id);
        parent = Some(id);
    }
    let head = repo
        .head_name()
        .map_err(DemoError::git(dir, "reading HEAD"))?
        .ok_or_else(|| DemoError::Data(format!("{}: HEAD names no branch", dir.display())))?;
    let tip = parent.ok_or_else(|| DemoError::Data("no upstream commits".into()))?;
    repo.reference(
        head,
        tip,
        gix::refs::transaction::PreviousValue::Any,
        "kdelta demo",
    )
    .map_err(DemoError::git(dir, "updating HEAD's branch"))?;
    Ok(Upstream {
        blkfront_fix: ids[1],
        events_fix: ids[2],
    })
}

/// The five steps, computed backwards from the final files.
fn steps(
    final_files: &[(&str, &str)],
    blkfront_fix: &str,
    events_fix: &str,
    blktap: &str,
) -> Result<Vec<Step>, DemoError> {
    let v4_0: Files = final_files
        .iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .chain([("MAINTAINERS".to_string(), MAINTAINERS.to_string())])
        .collect();
    let mut v3_15 = v4_0.clone();
    v3_15.insert(BLKTAP.to_string(), old_side(blktap)?);
    let mut v3_14 = v3_15.clone();
    v3_14.remove(BALLOON_SYSFS);
    let v3_14_rc6 = unapply(&v3_14, events_fix)?;
    let v3_13 = unapply(&v3_14_rc6, blkfront_fix)?;
    Ok(vec![
        step(LINUS, 1_388_534_400, INITIAL, v3_13, "v3.13"),
        step(ADA, 1_393_923_600, BLKFRONT_FIX, v3_14_rc6, "v3.14-rc6"),
        step(GREG, 1_396_000_000, EVENTS_FIX, v3_14, "v3.14"),
        step(
            BALLOON_AUTHOR,
            1_402_000_000,
            BALLOON_SYSFS_MSG,
            v3_15,
            "v3.15",
        ),
        step(JUERGEN, 1_428_000_000, BLKTAP_REMOVAL, v4_0, "v4.0"),
    ])
}

fn step(
    author: (&'static str, &'static str),
    time: i64,
    message: &'static str,
    files: Files,
    tag: &'static str,
) -> Step {
    Step {
        author,
        time,
        message,
        files,
        tag,
    }
}

/// What writing a commit can fail with: gitoxide's errors of its several steps.
type GitError = Box<dyn std::error::Error + Send + Sync>;

/// Write one commit whose tree holds exactly `step.files`.
fn commit(
    repo: &gix::Repository,
    step: &Step,
    parent: Option<ObjectId>,
) -> Result<ObjectId, GitError> {
    let mut editor = repo.edit_tree(ObjectId::empty_tree(repo.object_hash()))?;
    for (path, content) in &step.files {
        let blob = repo.write_blob(content.as_bytes())?;
        editor.upsert(path.as_str(), gix::object::tree::EntryKind::Blob, blob)?;
    }
    let tree = editor.write()?.detach();
    let signature = gix::actor::Signature {
        name: step.author.0.into(),
        email: step.author.1.into(),
        time: gix::date::Time {
            seconds: step.time,
            offset: 0,
        },
    };
    let commit = gix::objs::Commit {
        tree,
        parents: parent.into_iter().collect(),
        author: signature.clone(),
        committer: signature,
        encoding: None,
        message: step.message.into(),
        extra_headers: Vec::new(),
    };
    Ok(repo.write_object(&commit)?.detach())
}

/// `files` with the patch `text` reverse-applied: each hunk's new side replaced by its old side.
fn unapply(files: &Files, text: &str) -> Result<Files, DemoError> {
    let patch = Patch::parse(text.as_bytes(), &ParseOptions::default());
    let mut files = files.clone();
    for diff in &patch.files {
        let path = diff
            .new_path
            .as_ref()
            .ok_or_else(|| DemoError::Data("demo patch deletes a file".into()))?
            .to_str_lossy()
            .into_owned();
        let content = files.get_mut(&path).ok_or_else(|| {
            DemoError::Data(format!("demo patch changes {path}, not in the tree"))
        })?;
        for hunk in &diff.hunks {
            let new = side(hunk, LineKind::Added);
            let old = side(hunk, LineKind::Removed);
            if !content.contains(&new) {
                return Err(DemoError::Data(format!(
                    "demo patch does not apply in reverse to {path}"
                )));
            }
            *content = content.replacen(&new, &old, 1);
        }
    }
    Ok(files)
}

/// The old side of a patch's only file: the file the patch was written against.
fn old_side(text: &str) -> Result<String, DemoError> {
    let patch = Patch::parse(text.as_bytes(), &ParseOptions::default());
    let diff = patch
        .files
        .first()
        .ok_or_else(|| DemoError::Data("demo patch without a diff".into()))?;
    Ok(BLKTAP_HEAD.to_string()
        + &diff
            .hunks
            .iter()
            .map(|h| side(h, LineKind::Removed))
            .collect::<String>())
}

/// A hunk's lines on one side: context plus the lines of `kind` (`Added`: the new side).
fn side(hunk: &kdelta_patch::Hunk, kind: LineKind) -> String {
    hunk.lines
        .iter()
        .filter(|l| l.kind == LineKind::Context || l.kind == kind)
        .map(|l| format!("{}\n", l.text.to_str_lossy()))
        .collect()
}

const LINUS: (&str, &str) = ("Linus Example", "linus@example.org");
const ADA: (&str, &str) = ("Ada Lovelace", "ada@example.org");
const GREG: (&str, &str) = ("Greg Example", "greg@example.org");
const BALLOON_AUTHOR: (&str, &str) = ("Daniel Example", "daniel@example.org");
const JUERGEN: (&str, &str) = ("Juergen Example", "jgross@example.org");

const BLKTAP: &str = "drivers/xen/blktap/blktap.c";
const BALLOON_SYSFS: &str = "drivers/xen/xen-balloon.c";

const BLKTAP_HEAD: &str = "\
/*
 * blktap.c: the classic Xen block tap driver (simplified for the demo).
 */

";

const INITIAL: &str = "\
Linux 3.13

The demo upstream as the distribution's queue found it.
";

const BLKFRONT_FIX: &str = "\
xen-blkfront: free the grant table on disconnect

The grant table was leaked when the backend disconnected.

Signed-off-by: Ada Lovelace <ada@example.org>
Link: https://lore.kernel.org/r/20140304100000.1234-1-ada@example.org
";

const EVENTS_FIX: &str = "\
xen/events: avoid a NULL dereference

An event channel could be used before it was bound.

Fixes: 1234567890ab (\"xen/events: add a fifo ABI\")
Cc: stable@vger.kernel.org
Signed-off-by: Greg Example <greg@example.org>
";

const BALLOON_SYSFS_MSG: &str = "\
xen/balloon: expose the balloon target in sysfs

Add a xen_memory device with target_kb and friends, so that tools can
read and set the balloon target without the xenstore.

Signed-off-by: Daniel Example <daniel@example.org>
";

const BLKTAP_REMOVAL: &str = "\
xen: remove the classic blktap driver

Nothing uses it since blkback grew persistent grants.

Signed-off-by: Juergen Example <jgross@example.org>
";

/// The demo upstream's MAINTAINERS, in the format of Linux's.
pub const MAINTAINERS: &str = "\
List of maintainers of the demo upstream tree, in the format of Linux's MAINTAINERS.

	M: Mail patches to: FullName <address@domain>
	R: Designated reviewer: FullName <address@domain>
	L: Mailing list that is relevant to this area
	S: Status (Supported, Maintained, Odd Fixes, Orphan, Obsolete)
	F: Files and directories with wildcard patterns
	X: Excluded files and directories
	K: Keyword perl extended regex pattern to match content

Maintainers List
----------------

SCHEDULER
M:	Ingo Example <mingo@example.org>
M:	Peter Example <peterz@example.org>
L:	linux-kernel@vger.example.org
S:	Maintained
F:	kernel/sched/

XEN BLOCK SUBSYSTEM
M:	Roger Example <roger@example.org>
L:	xen-devel@lists.example.org (moderated for non-subscribers)
S:	Supported
F:	drivers/block/xen*

XEN HYPERVISOR INTERFACE
M:	Juergen Example <jgross@example.org>
R:	Stefano Example <sstabellini@example.org>
L:	xen-devel@lists.example.org (moderated for non-subscribers)
S:	Supported
F:	drivers/xen/
X:	drivers/xen/blktap/
K:	\\bxen_
";
