//! What a patch's headers and subject claim about its upstream state, before anything is
//! checked: the upstream commit it is, the release it is in, that it was posted or queued,
//! that it is distribution-only, that it is not upstream.

use kdelta_patch::refs::find_release;
use kdelta_patch::{Header, Mainline, RefKind, SubjectPrefix, UpstreamRef};

/// One claim, typed, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawClaim {
    /// What is claimed.
    pub kind: ClaimKind,
    /// The header (`Git-commit`, `Patch-mainline`, `subject`…).
    pub header: String,
    /// The value as written.
    pub text: String,
    /// The 1-based line (0 when unknown).
    pub line: usize,
}

/// What a claim says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimKind {
    /// The patch is (a backport of) this upstream commit.
    Commit(String),
    /// The patch is upstream in this release.
    Release(String),
    /// The patch is upstream; the claim names neither commit nor release.
    Upstream,
    /// Posted to a list or queued in a maintainer tree.
    InProgress,
    /// Not upstream (yet), when the header was written.
    NotUpstream,
    /// Never meant for upstream.
    DownstreamOnly,
    /// The patch is marked obsolete.
    Obsolete,
}

/// Reference kinds that say which upstream commit the patch is.
pub(crate) const IDENTITY: [RefKind; 7] = [
    RefKind::GitCommit,
    RefKind::AltCommit,
    RefKind::UpstreamCommit,
    RefKind::CherryPicked,
    RefKind::BackportedFrom,
    RefKind::Origin,
    RefKind::AppliedUpstream,
];

/// Every claim of `header`, in header order, then the subject's.
pub fn claims_of(header: &Header) -> Vec<RawClaim> {
    let mut out: Vec<RawClaim> = Vec::new();
    for claim in header.refs.iter().filter_map(|r| claim_of_ref(r, header)) {
        if !names_same_commit(&out, &claim.kind) {
            out.push(claim);
        }
    }
    if let Some(commit) = &header.mail_commit {
        let kind = ClaimKind::Commit(commit.as_str().to_string());
        if !names_same_commit(&out, &kind) {
            out.push(RawClaim {
                kind,
                header: "From".into(),
                text: commit.as_str().to_string(),
                line: 1,
            });
        }
    }
    // A `Link:` to a list archive says the patch was posted; upstream commits carry one to
    // their own posting, so next to a claim that the patch is upstream it says nothing.
    let upstream_claimed = out.iter().any(|c| {
        matches!(
            c.kind,
            ClaimKind::Commit(_) | ClaimKind::Release(_) | ClaimKind::Upstream
        )
    });
    if upstream_claimed {
        out.retain(|c| !(c.header == "Link" && c.kind == ClaimKind::InProgress));
    }
    if let Some(subject) = &header.subject {
        for prefix in &subject.prefixes {
            if let Some(kind) = prefix_claim(*prefix) {
                out.push(RawClaim {
                    kind,
                    header: "subject".into(),
                    text: subject.raw.clone(),
                    line: 0,
                });
            }
        }
    }
    out
}

/// Whether `kind` names a commit an earlier claim already names (a full id and its prefix
/// are the same commit: `From <sha>` and `Git-commit: <sha>` of one backport).
fn names_same_commit(claims: &[RawClaim], kind: &ClaimKind) -> bool {
    let ClaimKind::Commit(id) = kind else {
        return false;
    };
    let id = id.to_ascii_lowercase();
    claims.iter().any(|c| match &c.kind {
        ClaimKind::Commit(other) => {
            let other = other.to_ascii_lowercase();
            other.starts_with(&id) || id.starts_with(&other)
        }
        _ => false,
    })
}

fn claim_of_ref(r: &UpstreamRef, header: &Header) -> Option<RawClaim> {
    let kind = if IDENTITY.contains(&r.kind) {
        match (&r.commit, &r.release) {
            (Some(commit), _) => ClaimKind::Commit(commit.as_str().to_string()),
            (None, Some(release)) if r.kind == RefKind::AppliedUpstream => {
                ClaimKind::Release(release.clone())
            }
            _ => return None,
        }
    } else {
        match r.kind {
            RefKind::MailFrom => ClaimKind::Commit(r.commit.as_ref()?.as_str().to_string()),
            RefKind::PatchMainline => mainline_claim(header.mainline.as_ref()?)?,
            RefKind::Forwarded => forwarded_claim(r)?,
            RefKind::Link if is_list_archive(r.url.as_deref()) => ClaimKind::InProgress,
            _ => return None,
        }
    };
    Some(RawClaim {
        kind,
        header: header_name(r.kind).into(),
        text: r.text.clone(),
        line: r.line,
    })
}

fn mainline_claim(mainline: &Mainline) -> Option<ClaimKind> {
    Some(match mainline {
        Mainline::Release(v) => ClaimKind::Release(v.clone()),
        Mainline::Yes(_) => ClaimKind::Upstream,
        // Queued for, or "to be in", a named release: upstream from that release on.
        Mainline::Queued(text) | Mainline::Other(text) if find_release(text).is_some() => {
            ClaimKind::Release(find_release(text)?)
        }
        Mainline::Queued(_) | Mainline::Submitted(_) => ClaimKind::InProgress,
        Mainline::No(_) | Mainline::NotYet(_) => ClaimKind::NotUpstream,
        Mainline::Never(_) | Mainline::NotApplicable => ClaimKind::DownstreamOnly,
        Mainline::Obsolete => ClaimKind::Obsolete,
        Mainline::Other(_) => return None,
    })
}

fn forwarded_claim(r: &UpstreamRef) -> Option<ClaimKind> {
    let value = r.text.trim().to_ascii_lowercase();
    if value.starts_with("not-needed") || value.starts_with("not needed") {
        Some(ClaimKind::DownstreamOnly)
    } else if value.starts_with("no") {
        Some(ClaimKind::NotUpstream)
    } else if r.url.is_some() || value.starts_with("yes") {
        Some(ClaimKind::InProgress)
    } else {
        None
    }
}

fn prefix_claim(prefix: SubjectPrefix) -> Option<ClaimKind> {
    match prefix {
        SubjectPrefix::Upstream | SubjectPrefix::Backport => Some(ClaimKind::Upstream),
        SubjectPrefix::FromGit | SubjectPrefix::FromList => Some(ClaimKind::InProgress),
        SubjectPrefix::Android
        | SubjectPrefix::Chromium
        | SubjectPrefix::UbuntuSauce
        | SubjectPrefix::Ubuntu => Some(ClaimKind::DownstreamOnly),
    }
}

/// Whether a `Link:` points at a mailing-list archive (a posting, not a bug tracker).
fn is_list_archive(url: Option<&str>) -> bool {
    url.is_some_and(|u| {
        [
            "lore.kernel.org",
            "lkml.kernel.org",
            "patchwork",
            "lists.",
            "marc.info",
            "spinics.net",
        ]
        .iter()
        .any(|host| u.contains(host))
    })
}

/// The header name of a reference kind, as headers spell it.
pub fn header_name(kind: RefKind) -> &'static str {
    match kind {
        RefKind::GitCommit => "Git-commit",
        RefKind::AltCommit => "Alt-commit",
        RefKind::GitRepo => "Git-repo",
        RefKind::PatchMainline => "Patch-mainline",
        RefKind::References => "References",
        RefKind::Origin => "Origin",
        RefKind::AppliedUpstream => "Applied-Upstream",
        RefKind::Forwarded => "Forwarded",
        RefKind::Bug => "Bug",
        RefKind::Fixes => "Fixes",
        RefKind::Link => "Link",
        RefKind::CcStable => "Cc",
        RefKind::ChangeId => "Change-Id",
        RefKind::UpstreamCommit => "commit … upstream",
        RefKind::CherryPicked => "cherry picked from",
        RefKind::BackportedFrom => "backported from",
        RefKind::MailFrom => "From",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kdelta_patch::header::parse_header;

    fn kinds(text: &str) -> Vec<ClaimKind> {
        let (header, _) = parse_header(text.as_bytes(), 1);
        claims_of(&header).into_iter().map(|c| c.kind).collect()
    }

    #[test]
    fn suse_headers_give_commit_release_and_state_claims() {
        let k = kinds(
            "From: a@b\nSubject: xen: fix\nPatch-mainline: v3.14-rc1\nGit-commit: 0123456789abcdef0123456789abcdef01234567\n\n",
        );
        assert!(k.contains(&ClaimKind::Release("v3.14-rc1".into())), "{k:?}");
        assert!(k.contains(&ClaimKind::Commit(
            "0123456789abcdef0123456789abcdef01234567".into()
        )));
        assert_eq!(
            kinds("Subject: x\nPatch-mainline: Never, SUSE specific\n\n"),
            vec![ClaimKind::DownstreamOnly]
        );
        assert_eq!(
            kinds("Subject: x\nPatch-mainline: Submitted, https://lore.kernel.org/x\n\n"),
            vec![ClaimKind::InProgress]
        );
    }

    #[test]
    fn one_commit_named_twice_is_one_claim_and_a_link_next_to_it_no_claim() {
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let k = kinds(&format!(
            "From {sha} Mon Sep 17 00:00:00 2001\nSubject: x\nGit-commit: {sha}\n\nLink: https://lore.kernel.org/r/1\n\n"
        ));
        assert_eq!(k, vec![ClaimKind::Commit(sha.into())]);
        assert_eq!(
            kinds("Subject: x\n\nLink: https://lore.kernel.org/r/1\n\n"),
            vec![ClaimKind::InProgress]
        );
    }

    #[test]
    fn dep3_and_subject_prefixes_give_state_claims() {
        assert_eq!(
            kinds("Subject: x\nForwarded: not-needed\n\n"),
            vec![ClaimKind::DownstreamOnly]
        );
        assert_eq!(
            kinds("Subject: x\nForwarded: no\n\n"),
            vec![ClaimKind::NotUpstream]
        );
        assert_eq!(
            kinds("Subject: x\nForwarded: https://lore.kernel.org/r/1\n\n"),
            vec![ClaimKind::InProgress]
        );
        assert_eq!(
            kinds("Subject: FROMLIST: mm: x\n\n"),
            vec![ClaimKind::InProgress]
        );
        assert_eq!(
            kinds("Subject: ANDROID: mm: x\n\n"),
            vec![ClaimKind::DownstreamOnly]
        );
    }
}
