//! What the mailing lists say about a patch: its posting found in the archive index (by
//! header links, patch-id, subject and sender, similar lines), the series' latest version,
//! the replies, reviews and "applied" reply; the upstream commits whose `Link:` names one
//! of the series' mails; and the status that follows when the patch is still needed.

use crate::claims::{ClaimKind, RawClaim};
use crate::model::{Evidence, EvidenceKind, Status};
use kdelta_archive::{status_of, Matcher, PostingStatus};
use kdelta_patch::Patch;
use serde::{Deserialize, Serialize};

/// A posting silent for this long (no reply, no newer version) is stalled.
pub const STALLED_DAYS: i64 = 180;

/// The archive index a queue is matched against, and when "now" is.
pub struct Archive {
    /// The matcher over the archive index.
    pub matcher: Matcher,
    /// Seconds since the epoch that ages are measured from.
    pub now: i64,
    /// The lists the index holds (`linux-kbuild.vger.kernel.org` …).
    pub lists: Vec<String>,
}

/// The posting of a patch, as reports show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Posted {
    /// The mail found.
    pub message_id: String,
    /// Its list.
    pub list: Option<String>,
    /// Its subject.
    pub subject: String,
    /// Who posted it.
    pub author: String,
    /// When, seconds since the epoch.
    pub date: Option<i64>,
    /// How it was found (`header`, `patch-id`, `subject`, `similar-lines`).
    pub found_by: String,
    /// How sure, 0–1.
    pub score: f64,
    /// Versions of the series seen, and the latest.
    pub versions: usize,
    /// The latest version's number.
    pub latest_version: u32,
    /// The latest version's first mail.
    pub latest_message_id: String,
    /// When the latest version was posted.
    pub latest_date: Option<i64>,
    /// Replies in the latest version's thread.
    pub replies: usize,
    /// Review trailers received (`Reviewed-by: …`).
    pub reviews: Vec<String>,
    /// The tree an "applied" reply names (`Some("")` when it names none).
    pub applied_to: Option<String>,
    /// Who said it was applied, and when.
    pub applied_by: Option<String>,
    /// When it was applied.
    pub applied_date: Option<i64>,
    /// The newest mail of the latest version's thread.
    pub last_activity: Option<i64>,
}

impl Posted {
    fn of(m: &kdelta_archive::PostingMatch, s: &PostingStatus) -> Posted {
        let p = &s.posting;
        let latest = s.latest();
        let applied = s.applied.as_ref();
        Posted {
            message_id: p.message_id.clone(),
            list: p.list.clone(),
            subject: p.subject.clone(),
            author: p.author.clone(),
            date: p.date,
            found_by: m.kind.as_str().to_string(),
            score: (m.score * 1000.0).round() / 1000.0,
            versions: s.versions.len().max(1),
            latest_version: latest.map_or(p.version, |l| l.version),
            latest_message_id: latest.map_or_else(|| p.message_id.clone(), |l| l.root.clone()),
            latest_date: latest.and_then(|l| l.date).or(p.date),
            replies: s.replies,
            reviews: s
                .reviews
                .iter()
                .flat_map(|r| r.reviews.iter().map(|t| format!("{}: {}", t.name, t.value)))
                .collect(),
            applied_to: applied.map(|a| {
                a.applied
                    .as_ref()
                    .and_then(|x| x.tree.clone())
                    .unwrap_or_default()
            }),
            applied_by: applied.map(|a| {
                a.applied
                    .as_ref()
                    .and_then(|x| x.by.clone())
                    .unwrap_or_else(|| a.author.clone())
            }),
            applied_date: applied.and_then(|a| a.date),
            last_activity: s.last_activity,
        }
    }

    /// `[PATCH v3 2/5] … to LIST on DATE` in words.
    pub fn describe(&self) -> String {
        format!(
            "posted to {} as \"{}\" on {}",
            self.list.as_deref().unwrap_or("a list"),
            self.subject,
            day(self.date)
        )
    }
}

fn day(secs: Option<i64>) -> String {
    secs.map_or_else(|| "an unknown date".into(), kdelta_patch::day::iso_day)
}

/// What the archive says of one patch: its posting, and the message-ids of every mail of
/// every version of its series (an upstream commit's `Link:` may name any of them).
pub struct Found {
    /// The posting, when there is one.
    pub posted: Option<Posted>,
    /// Message-ids an upstream `Link:` could name.
    pub linkable: Vec<String>,
}

/// Look a patch up in the archive.
pub fn find(archive: &Archive, patch: &Patch) -> Result<Found, kdelta_upstream::StoreError> {
    let matches = archive.matcher.find(patch)?;
    let Some(best) = matches.first() else {
        return Ok(Found {
            posted: None,
            linkable: Vec::new(),
        });
    };
    let store = archive.matcher.store();
    let status = status_of(store, best.posting.clone())?;
    let mut linkable: Vec<String> = matches
        .iter()
        .map(|m| m.posting.message_id.clone())
        .collect();
    for version in &status.versions {
        for mail in store.series_mails(version.id)? {
            if !linkable.contains(&mail.message_id) {
                linkable.push(mail.message_id);
            }
        }
    }
    Ok(Found {
        posted: Some(Posted::of(best, &status)),
        linkable,
    })
}

/// The upstream commits whose `Link:` names a mail of the patch's series, as claims the
/// index then verifies like a header naming the commit.
pub fn link_claims(
    history: &crate::History,
    linkable: &[String],
) -> Result<Vec<RawClaim>, kdelta_upstream::StoreError> {
    Ok(history
        .store()
        .commits_linking(linkable)?
        .into_iter()
        .map(|(id, commit)| RawClaim {
            kind: ClaimKind::Commit(commit.commit.clone()),
            header: "posting".into(),
            text: format!(
                "{} links <{id}>",
                &commit.commit[..commit.commit.len().min(12)]
            ),
            line: 0,
        })
        .collect())
}

/// The status of a needed patch that the archive speaks for, and why: applied to a
/// maintainer tree or under review (in progress), stalled (needs work), or claimed posted
/// where the lists indexed have no such posting (needs work, the claim contradicted).
pub fn needed_status(
    posted: Option<&Posted>,
    archive: Option<&Archive>,
    claims: &[RawClaim],
) -> Option<(Status, f64, Evidence)> {
    let archive = archive?;
    let Some(p) = posted else {
        let claim = claims
            .iter()
            .find(|c| c.kind == ClaimKind::InProgress && claim_is_checkable(c, &archive.lists))?;
        let why = format!(
            "{}: {} says it was posted, but no posting is in the archives indexed ({})",
            claim.header,
            claim.text,
            archive.lists.join(", ")
        );
        return Some((
            Status::NeedsWork,
            0.6,
            Evidence::new(EvidenceKind::Posting, why),
        ));
    };
    let age_days = |t: Option<i64>| t.map(|t| (archive.now - t) / 86_400);
    if let Some(tree) = &p.applied_to {
        let tree = if tree.is_empty() {
            "a maintainer tree"
        } else {
            tree
        };
        let why = format!(
            "{}; applied to {tree} by {} on {}, not in the target yet",
            p.describe(),
            p.applied_by.as_deref().unwrap_or("its maintainer"),
            day(p.applied_date)
        );
        return Some((
            Status::InProgress,
            0.9,
            Evidence::new(EvidenceKind::Posting, why),
        ));
    }
    let silent = age_days(p.last_activity).unwrap_or(0);
    let latest = format!("latest v{} on {}", p.latest_version, day(p.latest_date));
    if silent >= STALLED_DAYS {
        let answered = match (p.replies, p.reviews.is_empty()) {
            (0, _) => "no reply".to_string(),
            (n, true) => format!("{} and no review tag", replies(n)),
            (_, false) => format!("reviews ({}) but no \"applied\"", p.reviews.join(", ")),
        };
        let why = format!(
            "{}; {latest} got {answered}; no v{} and nothing in its thread for {} months",
            p.describe(),
            p.latest_version + 1,
            silent / 30
        );
        let confidence = if p.replies == 0 { 0.7 } else { 0.6 };
        let evidence = Evidence::new(EvidenceKind::Posting, why);
        return Some((Status::NeedsWork, confidence, evidence));
    }
    let reviews = if p.reviews.is_empty() {
        replies(p.replies)
    } else {
        p.reviews.join(", ")
    };
    let why = format!("{}; {latest}; {reviews}", p.describe());
    Some((
        Status::InProgress,
        0.8,
        Evidence::new(EvidenceKind::Posting, why),
    ))
}

/// Whether the archive could hold the posting a claim speaks of: the claim names a list
/// the index holds, or names none (a bare `Submitted`, a `FROMLIST:` prefix).
fn claim_is_checkable(claim: &RawClaim, lists: &[String]) -> bool {
    let url = kdelta_patch::refs::find_url(&claim.text);
    match url.as_deref().and_then(lore_list) {
        Some(list) => lists
            .iter()
            .any(|l| l.split('.').next() == Some(list.as_str())),
        None => url.is_none(),
    }
}

/// The list a lore URL names (`lore.kernel.org/linux-kbuild/…` → `linux-kbuild`), not for
/// the cross-list `all` and `r` paths.
fn lore_list(url: &str) -> Option<String> {
    let rest = url.split_once("lore.kernel.org/")?.1;
    let list = rest.split('/').next()?;
    let list = if list == "lkml" { "linux-kernel" } else { list };
    (!matches!(list, "all" | "r" | "")).then(|| list.to_string())
}

/// What the archive says of the headers that claim the patch was posted: borne out when
/// a posting was found (and the patch is not upstream already), contradicted when the lists
/// indexed could hold the posting and do not.
pub fn check_claims(
    verdict: &mut crate::Verdict,
    raw: &[RawClaim],
    posted: Option<&Posted>,
    archived: Option<&(Status, f64, Evidence)>,
) {
    use crate::model::ClaimCheck;
    let upstream = matches!(verdict.status, Status::Upstream | Status::ReplacementLikely);
    for c in raw.iter().filter(|c| c.kind == ClaimKind::InProgress) {
        let Some(claim) = verdict
            .claims
            .iter_mut()
            .find(|v| v.header == c.header && v.text == c.text && v.line == c.line)
        else {
            continue;
        };
        match (posted, archived) {
            (Some(p), _) if !upstream => {
                claim.check = ClaimCheck::Holds;
                claim.detail = p.describe();
            }
            (None, Some((Status::NeedsWork, _, _))) if !upstream => {
                claim.check = ClaimCheck::Contradicted;
                claim.detail = "no such posting in the archives indexed".into();
                claim.issue = Some(crate::model::ClaimIssue::NoPosting);
            }
            _ => {}
        }
    }
}

/// "1 reply", "3 replies".
fn replies(n: usize) -> String {
    if n == 1 {
        "1 reply".to_string()
    } else {
        format!("{n} replies")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_checkable_only_where_the_index_could_hold_the_posting() {
        let lists = vec!["linux-kbuild.vger.kernel.org".to_string()];
        let claim = |text: &str| RawClaim {
            kind: ClaimKind::InProgress,
            header: "Forwarded".into(),
            text: text.into(),
            line: 3,
        };
        assert!(claim_is_checkable(
            &claim("https://lore.kernel.org/linux-kbuild/a@b/"),
            &lists
        ));
        assert!(!claim_is_checkable(
            &claim("https://lore.kernel.org/netdev/a@b/"),
            &lists
        ));
        assert!(!claim_is_checkable(
            &claim("https://lore.kernel.org/all/a@b/"),
            &lists
        ));
        assert!(claim_is_checkable(&claim("Submitted, 2024-01-01"), &lists));
        assert_eq!(day(Some(1_706_745_600)), "2024-02-01");
    }

    const DAY: i64 = 86_400;

    fn posted(replies: usize, reviews: &[&str], applied: Option<&str>, last: i64) -> Posted {
        Posted {
            message_id: "p@x".into(),
            list: Some("linux-kbuild.vger.kernel.org".into()),
            subject: "[PATCH v2 1/2] kbuild: x".into(),
            author: "A <a@x>".into(),
            date: Some(0),
            found_by: "patch-id".into(),
            score: 1.0,
            versions: 2,
            latest_version: 2,
            latest_message_id: "c2@x".into(),
            latest_date: Some(0),
            replies,
            reviews: reviews.iter().map(|r| r.to_string()).collect(),
            applied_to: applied.map(str::to_string),
            applied_by: applied.map(|_| "M <m@x>".to_string()),
            applied_date: applied.map(|_| last),
            last_activity: Some(last),
        }
    }

    /// The status `needed_status` gives, `now` days after the posting.
    fn status(p: Option<Posted>, now_days: i64, claims: &[RawClaim]) -> Option<(Status, String)> {
        let dir = tempfile::tempdir().expect("dir");
        let store = kdelta_archive::ArchiveStore::open_for_writing(&dir.path().join("a.sqlite"))
            .expect("index");
        let archive_matcher = kdelta_archive::Matcher::new(store, Default::default());
        let archive = Archive {
            matcher: archive_matcher,
            now: now_days * DAY,
            lists: vec!["linux-kbuild.vger.kernel.org".into()],
        };
        needed_status(p.as_ref(), Some(&archive), claims).map(|(s, _, e)| (s, e.detail))
    }

    #[test]
    fn the_lists_say_in_progress_or_stalled() {
        let (s, why) = status(
            Some(posted(0, &[], Some("kbuild-next"), 10 * DAY)),
            400,
            &[],
        )
        .expect("applied");
        assert_eq!(s, Status::InProgress, "applied counts however old: {why}");
        assert!(
            why.contains("applied to kbuild-next by M <m@x> on 1970-01-11"),
            "{why}"
        );
        let (s, why) = status(
            Some(posted(1, &["Reviewed-by: R <r@x>"], None, 30 * DAY)),
            60,
            &[],
        )
        .expect("recent");
        assert_eq!(s, Status::InProgress);
        assert!(
            why.contains("latest v2") && why.contains("Reviewed-by: R <r@x>"),
            "{why}"
        );
        let (s, why) = status(Some(posted(0, &[], None, 0)), 400, &[]).expect("silent");
        assert_eq!(s, Status::NeedsWork);
        assert!(
            why.contains("no reply") && why.contains("13 months"),
            "{why}"
        );
        let (s, why) = status(Some(posted(3, &[], None, 0)), 400, &[]).expect("answered");
        assert_eq!(s, Status::NeedsWork);
        assert!(why.contains("3 replies and no review tag; no v3"), "{why}");
        let (s, _) =
            status(Some(posted(3, &["Acked-by: X <x@x>"], None, 0)), 400, &[]).expect("reviewed");
        assert_eq!(
            s,
            Status::NeedsWork,
            "reviewed long ago and never applied is stalled"
        );
    }

    #[test]
    fn a_claimed_posting_the_lists_do_not_have_is_contradicted() {
        let claim = |text: &str| RawClaim {
            kind: ClaimKind::InProgress,
            header: "Forwarded".into(),
            text: text.into(),
            line: 2,
        };
        let (s, why) = status(
            None,
            10,
            &[claim("https://lore.kernel.org/linux-kbuild/gone@x/")],
        )
        .expect("checkable");
        assert_eq!(s, Status::NeedsWork);
        assert!(
            why.contains("no posting is in the archives indexed"),
            "{why}"
        );
        assert_eq!(
            status(None, 10, &[claim("https://lore.kernel.org/netdev/n@x/")]),
            None
        );
        assert_eq!(status(None, 10, &[]), None);
    }
}
