//! What the text of a mail says beyond its diff: review trailers (`Reviewed-by:` …),
//! the `change-id:` b4 writes, the archive links it names (earlier versions), and the
//! "applied, thanks" of a maintainer with the tree and commits it names.
//!
//! Quoted lines (`>`) are someone else's words and never count.

use bstr::ByteSlice;
pub use kdelta_patch::refs::message_id_from_url;
use serde::Serialize;

/// Trailers kept, as written in their canonical case.
const TRAILERS: [&str; 9] = [
    "Reviewed-by",
    "Acked-by",
    "Tested-by",
    "Reported-by",
    "Suggested-by",
    "Signed-off-by",
    "Link",
    "Fixes",
    "Closes",
];

/// One trailer: its canonical name and its value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trailer {
    /// `Reviewed-by`, `Acked-by`, `Link` …
    pub name: String,
    /// The value, trimmed.
    pub value: String,
}

impl Trailer {
    /// Whether this trailer is a review: reviewed, acked or tested.
    pub fn is_review(&self) -> bool {
        matches!(self.name.as_str(), "Reviewed-by" | "Acked-by" | "Tested-by")
    }
}

/// An "applied" reply: where the maintainer says the patch went.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// The tree or branch named (`lsm/dev`, `the vfs.fixes branch of the vfs/vfs.git tree`,
    /// a URL and branch), when the reply names one.
    pub tree: Option<String>,
    /// Commit ids the reply names (b4's `commit: <id>` lines, `/c/<id>` links).
    pub commits: Vec<String>,
    /// Who applied it, when the reply says so for them (a patchwork bot's "applied to
    /// TREE by NAME"); otherwise the reply's sender did.
    pub by: Option<String>,
}

/// The facts of a mail's prose (the body before its diff).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prose {
    /// Trailers, in order.
    pub trailers: Vec<Trailer>,
    /// b4's `change-id:` (the same for every version of a series).
    pub change_id: Option<String>,
    /// Message-ids named by archive links (`https://lore.kernel.org/r/<id>`).
    pub mentions: Vec<String>,
    /// What an "applied" reply says, when the mail is one.
    pub applied: Option<Applied>,
}

/// Read the prose of a mail; `reply` says whether "applied" lines are looked for.
pub fn read_prose(text: &[u8], reply: bool) -> Prose {
    let mut prose = Prose::default();
    let lines: Vec<&[u8]> = text.lines().collect();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_ascii();
        if line.starts_with(b">") {
            continue;
        }
        if let Some(trailer) = trailer(line) {
            prose.trailers.push(trailer);
        } else if let Some(id) = line.strip_prefix(b"change-id:") {
            prose.change_id = Some(id.trim_ascii().to_str_lossy().into_owned());
        }
        for id in linked_ids(line) {
            if !prose.mentions.contains(&id) {
                prose.mentions.push(id);
            }
        }
        if reply && prose.applied.is_none() {
            prose.applied = applied_at(&lines, i);
        }
    }
    if let Some(applied) = prose.applied.as_mut() {
        applied.commits = named_commits(&lines);
    }
    prose
}

fn trailer(line: &[u8]) -> Option<Trailer> {
    let (name, value) = line.split_once_str(":")?;
    let name = TRAILERS
        .iter()
        .find(|t| t.as_bytes().eq_ignore_ascii_case(name))?;
    let value = value.trim_ascii();
    (!value.is_empty()).then(|| Trailer {
        name: name.to_string(),
        value: value.to_str_lossy().into_owned(),
    })
}

/// The message-ids of the archive links in a line: `lore.kernel.org/<list|r|all>/<id>`,
/// `patch.msgid.link/<id>` and `msgid.link/<id>`.
pub fn linked_ids(line: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for start in line.find_iter("://") {
        let url = &line[start + 3..];
        let end = url
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'"' || b == b')')
            .unwrap_or(url.len());
        if let Some(id) = message_id_from_url(&url[..end].to_str_lossy()) {
            out.push(id);
        }
    }
    out
}

/// Phrases that open a maintainer's "applied" line, and whether a tree may follow them.
const APPLIED: [&str; 9] = [
    "Applied to ",
    "Applied into ",
    "Applied, thanks",
    "Applied. Thanks",
    "Applied, thank",
    "Merged into ",
    "Queued to ",
    "Queued in ",
    "Queued for ",
];

/// Openings that say the same after a "Thanks," or with the reply's own words.
const THANKS_APPLIED: [&str; 5] = [
    "Thanks, applied",
    "Thanks applied",
    "Thanks, queued",
    "I've applied this to ",
    "I've queued this ",
];

/// How kernel.org's patchwork bot opens its "applied" notice: "This series was applied to
/// netdev/net-next.git (main)", then "by NAME:" on the same line or the next.
const BOT_APPLIED: [&str; 2] = ["This patch was applied to ", "This series was applied to "];

/// Whether line `i` opens an "applied" statement, and what it says.
fn applied_at(lines: &[&[u8]], i: usize) -> Option<Applied> {
    let line = lines.get(i)?.trim_ascii().to_str_lossy();
    if let Some(rest) = BOT_APPLIED.iter().find_map(|p| line.strip_prefix(p)) {
        return Some(bot_applied(rest, lines.get(i + 1).copied()));
    }
    if line.len() > 160 || line.contains("n't") || line.contains(" not ") {
        return None;
    }
    let bare = matches!(
        line.trim_end_matches(['.', '!', ',']),
        "Applied" | "Applied to" | "Merged"
    );
    let opening = APPLIED
        .iter()
        .chain(THANKS_APPLIED.iter())
        .find(|p| line.starts_with(**p));
    if opening.is_none() && !bare {
        return None;
    }
    let mut tree = opening.and_then(|p| tree_after(&line[p.len()..]));
    let names_next_line = line.trim_end_matches(['.', '!', ',', ':']).ends_with(" to");
    if tree.is_none() && (names_next_line || bare) {
        tree = lines
            .iter()
            .skip(i + 1)
            .map(|l| l.trim_ascii())
            .find(|l| !l.is_empty())
            .map(|l| l.to_str_lossy().into_owned());
    }
    Some(Applied {
        tree,
        ..Applied::default()
    })
}

/// The tree and maintainer of a bot's notice: `rest` follows "applied to", `next` is the
/// line after it.
fn bot_applied(rest: &str, next: Option<&[u8]>) -> Applied {
    let next = next.map(|l| l.trim_ascii().to_str_lossy().into_owned());
    let text = match &next {
        Some(n) if n.starts_with("by ") => format!("{} {n}", rest.trim()),
        _ => rest.trim().to_string(),
    };
    let text = text.trim_end_matches([':', '.', ' ']);
    let (tree, by) = match text.split_once(" by ") {
        Some((tree, by)) => (tree, Some(by.trim().to_string())),
        None => (text, None),
    };
    let tree = tree.trim();
    Applied {
        tree: (!tree.is_empty()).then(|| tree.to_string()),
        commits: Vec::new(),
        by: by.filter(|b| !b.is_empty()),
    }
}

/// The tree named after "applied to": up to ", thanks" or the end, punctuation trimmed.
fn tree_after(rest: &str) -> Option<String> {
    let rest = rest.trim_start_matches([',', ' ', '!', '.']);
    let rest = rest.trim_start_matches("to ").trim_start_matches("in ");
    let end = ["thank", "Thank", ", ", " - ", " -- ", "; "]
        .iter()
        .filter_map(|s| rest.find(s))
        .min()
        .unwrap_or(rest.len());
    let tree = rest[..end]
        .trim()
        .trim_end_matches(['.', '!', ',', ':', ' ', '-'])
        .trim_matches('`');
    (!tree.is_empty() && tree.split_whitespace().count() <= 12).then(|| tree.to_string())
}

/// Commit ids an "applied" reply names: `commit: <hex>` lines (b4) and `/c/<hex>`,
/// `commit/?id=<hex>` links.
fn named_commits(lines: &[&[u8]]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines
        .iter()
        .map(|l| l.trim_ascii())
        .filter(|l| !l.starts_with(b">"))
    {
        let text = line.to_str_lossy();
        let candidates = text
            .strip_prefix("commit: ")
            .into_iter()
            .chain(text.split("/c/").skip(1))
            .chain(text.split("id=").skip(1));
        for candidate in candidates {
            let hex: String = candidate
                .chars()
                .take_while(char::is_ascii_hexdigit)
                .collect();
            if (7..=40).contains(&hex.len()) && !out.contains(&hex) {
                out.push(hex.to_ascii_lowercase());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_trailers_count_unless_quoted() {
        let p = read_prose(
            b"> Signed-off-by: A <a@x>\nLooks good.\n\nReviewed-by: B <b@x>\nacked-by: C <c@x>\n",
            true,
        );
        let names: Vec<_> = p
            .trailers
            .iter()
            .map(|t| (t.name.as_str(), t.value.as_str()))
            .collect();
        assert_eq!(names, [("Reviewed-by", "B <b@x>"), ("Acked-by", "C <c@x>")]);
        assert!(p.trailers.iter().all(Trailer::is_review));
        assert_eq!(p.applied, None);
    }

    #[test]
    fn applied_replies_name_their_tree_and_commits() {
        let p = read_prose(
            b"On Mon, X wrote:\n> patch\n\nMerged into lsm/dev, thanks.\n",
            true,
        );
        assert_eq!(
            p.applied.expect("test fixture").tree.as_deref(),
            Some("lsm/dev")
        );
        let b4 = b"Applied to\n\n   https://git.kernel.org/pub/scm/linux/kernel/git/masahiroy/linux-kbuild.git for-next\n\nThanks!\n\n[1/1] kbuild: fix it\n      commit: 0123456789ab\n";
        let applied = read_prose(b4, true).applied.expect("test fixture");
        assert_eq!(applied.tree.as_deref(), Some("https://git.kernel.org/pub/scm/linux/kernel/git/masahiroy/linux-kbuild.git for-next"));
        assert_eq!(applied.commits, ["0123456789ab"]);
        let vfs = b"Applied to the vfs.fixes branch of the vfs/vfs.git tree.\n[1/1] x\n      https://git.kernel.org/vfs/vfs/c/abcdef1234\n";
        let applied = read_prose(vfs, true).applied.expect("test fixture");
        assert_eq!(
            applied.tree.as_deref(),
            Some("the vfs.fixes branch of the vfs/vfs.git tree")
        );
        assert_eq!(applied.commits, ["abcdef1234"]);
        assert_eq!(
            read_prose(b"Thanks, applied!\n", true).applied,
            Some(Applied::default())
        );
        let rust = read_prose(b"Applied to `rust-next` -- thanks everyone!\n", true).applied;
        assert_eq!(
            rust.expect("test fixture").tree.as_deref(),
            Some("rust-next")
        );
    }

    #[test]
    fn patchwork_bot_notices_name_tree_maintainer_and_commits() {
        let bot = b"Hello:\n\nThis series was applied to netdev/net-next.git (main)\nby Jakub Kicinski <kuba@kernel.org>:\n\nOn Mon, 1 Jan you wrote:\n> Applied to nothing\n\nHere is the summary with links:\n  - [v2,1/2] net: a\n    https://git.kernel.org/netdev/net-next/c/71fa6887eeca\n";
        let applied = read_prose(bot, true).applied.expect("test fixture");
        assert_eq!(applied.tree.as_deref(), Some("netdev/net-next.git (main)"));
        assert_eq!(
            applied.by.as_deref(),
            Some("Jakub Kicinski <kuba@kernel.org>")
        );
        assert_eq!(applied.commits, ["71fa6887eeca"]);
        let one_line = b"This patch was applied to bpf/bpf.git (master) by Alexei Starovoitov <ast@kernel.org>:\n";
        let applied = read_prose(one_line, true).applied.expect("test fixture");
        assert_eq!(applied.tree.as_deref(), Some("bpf/bpf.git (master)"));
        assert_eq!(
            applied.by.as_deref(),
            Some("Alexei Starovoitov <ast@kernel.org>")
        );
        let bare = read_prose(b"This patch was applied to net.git\n", true).applied;
        assert_eq!(bare.expect("test fixture").by, None);
    }

    #[test]
    fn sentences_about_applying_are_not_applied_replies() {
        for text in [
            &b"applied, vdso_enabled is not permitted\n"[..],
            b"Applied on top of next, it doesn't build.\n",
            b"The patch is not applied yet.\n",
            b"I applied it and tested: works.\n",
        ] {
            assert_eq!(read_prose(text, true).applied, None, "{}", text.as_bstr());
        }
        assert_eq!(read_prose(b"Applied, thanks\n", false).applied, None);
    }

    #[test]
    fn archive_links_name_message_ids() {
        let p = read_prose(
            b"v1: https://lore.kernel.org/r/v1@host/\nchange-id: 20240101-foo-123\n",
            false,
        );
        assert_eq!(p.mentions, ["v1@host"]);
        assert_eq!(p.change_id.as_deref(), Some("20240101-foo-123"));
    }
}
