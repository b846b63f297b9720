//! Known field names: which `Name:` lines are header fields, which are body
//! trailers, and which fields are recognised even in the middle of free text.
//!
//! Every function takes the name in ASCII lower case.

/// SUSE kernel-source and DEP-3 field names. These are fields wherever they
/// appear in a header, even between paragraphs of free text.
const PATCH_FIELDS: [&str; 17] = [
    "from",
    "date",
    "subject",
    "patch-mainline",
    "git-commit",
    "git-repo",
    "alt-commit",
    "references",
    "description",
    "origin",
    "forwarded",
    "author",
    "bug",
    "applied-upstream",
    "last-update",
    "suse-commit",
    "upstream-status",
];

/// Mail header names that may open or continue a header block.
const MAIL_FIELDS: [&str; 22] = [
    "to",
    "cc",
    "bcc",
    "reply-to",
    "sender",
    "message-id",
    "in-reply-to",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "content-disposition",
    "received",
    "return-path",
    "delivered-to",
    "precedence",
    "user-agent",
    "organization",
    "thread-topic",
    "thread-index",
    "accept-language",
    "content-language",
    "mail-followup-to",
];

/// Trailer names of commit messages (besides every `…-by`).
const TRAILERS: [&str; 9] = [
    "cc",
    "link",
    "fixes",
    "change-id",
    "closes",
    "buglink",
    "message-id",
    "patchwork-id",
    "bug-link",
];

/// Whether `written` (the name as written) is shouted, all in upper case: `BUG:`
/// and `WARNING:` start oops lines, not fields.
pub(super) fn is_shouted(written: &[u8]) -> bool {
    written.len() > 2 && !written.iter().any(u8::is_ascii_lowercase)
}

/// Whether `name` is a SUSE or DEP-3 field (`Bug-<Vendor>` included).
pub(super) fn is_patch_field(name: &str) -> bool {
    PATCH_FIELDS.contains(&name)
        || name
            .strip_prefix("bug-")
            .is_some_and(|v| !v.is_empty() && v != "link")
}

/// Whether `name` is a commit-message trailer (`Signed-off-by`, `Fixes`, `Link` …).
pub(super) fn is_trailer(name: &str) -> bool {
    TRAILERS.contains(&name) || (name.len() > 3 && name.ends_with("-by"))
}

/// Whether `name` may stand in the header block at the top of a patch that is not
/// an mbox message: patch fields, trailers, mail fields, `X-…` and `List-…`.
pub(super) fn is_top_field(name: &str) -> bool {
    is_patch_field(name)
        || is_trailer(name)
        || MAIL_FIELDS.contains(&name)
        || name.starts_with("x-")
        || name.starts_with("list-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_classified() {
        assert!(is_patch_field("bug-debian") && is_patch_field("patch-mainline"));
        assert!(!is_patch_field("bug-") && !is_patch_field("bug-link") && !is_patch_field("sched"));
        assert!(
            is_trailer("signed-off-by")
                && is_trailer("reported-and-tested-by")
                && is_trailer("fixes")
        );
        assert!(!is_trailer("-by") && !is_trailer("note"));
        assert!(is_top_field("x-mailer") && is_top_field("message-id") && is_top_field("acked-by"));
        assert!(!is_top_field("index") && !is_top_field("sched"));
        assert!(
            is_shouted(b"BUG")
                && is_shouted(b"BUG-DEBIAN")
                && !is_shouted(b"CC")
                && !is_shouted(b"Bug")
        );
    }
}
