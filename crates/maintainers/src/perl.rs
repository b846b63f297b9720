//! Ports of the string helpers of `scripts/get_maintainer.pl` that shape its output: e-mail
//! parsing and formatting (`parse_email`, `format_email`, `escape_name`) and the RFC 822 check
//! it uses to split `M:`/`R:` values that hold several addresses.
//!
//! The script's regular expressions are kept, rewritten for the `regex` crate: Perl's `$`
//! (end, or before a final newline) becomes `\n?\z` where it ends a pattern, and the one
//! look-ahead of the RFC 822 grammar is dropped (see [`rfc822_core`]).

use regex::{Regex, RegexBuilder};
use std::sync::LazyLock;

/// A constant pattern, compiled on first use. `None` only if it does not compile, which the
/// unit tests rule out; callers then treat it as matching nothing.
pub(crate) type Constant = LazyLock<Option<Regex>>;

/// Compiles a constant pattern (a larger size limit: the RFC 822 grammar is big).
pub(crate) fn constant(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern).size_limit(64 << 20).build().ok()
}

/// `parse_email`'s `^([^<]+)<(.+\@.*)>.*$`.
static NAMED: Constant = LazyLock::new(|| constant(r"^([^<]+)<(.+@.*)>.*\n?\z"));
/// `parse_email`'s `^\s*<(.+\@\S*)>.*$`.
static ANGLED: Constant = LazyLock::new(|| constant(r"^\s*<(.+@\S*)>.*\n?\z"));
/// `parse_email`'s `^(.+\@\S*).*$`.
static BARE: Constant = LazyLock::new(|| constant(r"^(.+@\S*).*\n?\z"));
/// `rfc822_strip_comments`: the innermost comment after an even number of quotes.
static COMMENT: Constant = LazyLock::new(|| {
    constant(r#"(?s)^((?:[^"\\]|\\.)*(?:"(?:[^"\\]|\\.)*"(?:[^"\\]|\\.)*)*)\((?:[^()\\]|\\.)*\)"#)
});
/// `rfc822_valid`: one address.
static RFC822_ONE: Constant = LazyLock::new(|| constant(&format!(r"(?s)^{}\n?\z", rfc822_core())));
/// `rfc822_validlist`: a comma-separated list of addresses, empty items allowed.
static RFC822_LIST: Constant = LazyLock::new(|| {
    let core = rfc822_core();
    constant(&format!(r"(?s)^(?:{core})?(?:,(?:{core})?)*\n?\z"))
});
/// `rfc822_validlist`: the addresses of a valid list.
static RFC822_ITEM: Constant =
    LazyLock::new(|| constant(&format!(r"(?s)(?:^|,{LWSP}*)({})", rfc822_core())));

/// `$rfc822_lwsp`: linear white space.
const LWSP: &str = r"(?:(?:\r\n)?[ \t])";

/// `make_rfc822re`. Perl ends an atom with `(?:$lwsp+|\Z|(?=[\["specials]))`; the `regex`
/// crate has no look-ahead, so the atom here ends with optional white space. Both accept the
/// same strings: an atom is a maximal run, and what may follow it other than white space or a
/// special is a control character, which no other token can start with. (Only a final newline,
/// which `\Z` allows, differs; `MAINTAINERS` values never hold one.)
fn rfc822_core() -> String {
    let specials = r#"()<>@,;:\\".\[\]"#;
    let controls = r"\x00-\x1F\x7F";
    let dtext = r"[^\[\]\r\\]";
    let domain_literal = format!(r"\[(?:{dtext}|\\.)*\]{LWSP}*");
    let quoted_string = format!(r#""(?:[^"\r\\]|\\.|{LWSP})*"{LWSP}*"#);
    let atom = format!(r"[^{specials} {controls}]+(?:{LWSP}+)?");
    let word = format!("(?:{atom}|{quoted_string})");
    let localpart = format!(r"{word}(?:\.{LWSP}*{word})*");
    let sub_domain = format!("(?:{atom}|{domain_literal})");
    let domain = format!(r"{sub_domain}(?:\.{LWSP}*{sub_domain})*");
    let addr_spec = format!("{localpart}@{LWSP}*{domain}");
    let phrase = format!("{word}*");
    let route = format!("(?:@{domain}(?:,@{LWSP}*{domain})*:{LWSP}*)");
    let route_addr = format!(r"<{LWSP}*{route}?{addr_spec}>{LWSP}*");
    let mailbox = format!("(?:{addr_spec}|{phrase}{route_addr})");
    let group = format!(r"{phrase}:{LWSP}*(?:{mailbox}(?:,\s*{mailbox})*)?;\s*");
    format!("{LWSP}*(?:{mailbox}|{group})")
}

/// Whether `re` (a [`Constant`]) matches `text`.
fn is_match(re: &Constant, text: &str) -> bool {
    re.as_ref().is_some_and(|re| re.is_match(text))
}

/// `rfc822_strip_comments`: comments replaced by a space, innermost first.
fn strip_comments(text: &str) -> String {
    let mut text = text.to_owned();
    let Some(re) = COMMENT.as_ref() else {
        return text;
    };
    while let Some(found) = re.captures(&text) {
        let (Some(all), Some(kept)) = (found.get(0), found.get(1)) else {
            break;
        };
        text = format!("{} {}", kept.as_str(), &text[all.end()..]);
    }
    text
}

/// `$s =~ m/^$rfc822_char*$/`: every character fits in a byte.
fn latin1(text: &str) -> bool {
    text.chars().all(|c| c <= '\u{FF}')
}

/// The addresses an `M:`/`R:` value stands for, as `push_email_addresses` splits it: the value
/// itself when it is one valid address (or no valid list either), else the list's items.
pub(crate) fn split_addresses(value: &str) -> Vec<String> {
    let stripped = strip_comments(value);
    if latin1(&stripped) && is_match(&RFC822_ONE, &stripped) {
        return vec![value.to_owned()];
    }
    if !(latin1(&stripped) && is_match(&RFC822_LIST, &stripped)) {
        return vec![value.to_owned()];
    }
    let Some(item) = RFC822_ITEM.as_ref() else {
        return vec![value.to_owned()];
    };
    item.captures_iter(&stripped)
        .filter_map(|c| c.get(1).map(|m| m.as_str().to_owned()))
        .take_while(|address| !address.is_empty() && address != "0")
        .collect()
}

/// Perl's `lc`.
pub(crate) fn lc(text: &str) -> String {
    text.to_lowercase()
}

/// `s/^\"|\"$//g`: one leading and one trailing double quote removed.
fn strip_quotes(text: &str) -> &str {
    let text = text.strip_prefix('"').unwrap_or(text);
    text.strip_suffix('"').unwrap_or(text)
}

/// Whether `c` is in `[\w \-]` under `/ai` (ASCII word characters, and the two non-ASCII
/// characters that fold to one).
fn plain_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | ' ' | '-' | '\u{212A}' | '\u{17F}')
}

/// `escape_name`: a name with other characters is quoted, its bare quotes escaped.
pub(crate) fn escape_name(name: &str) -> String {
    if name.chars().all(plain_name_char) {
        return name.to_owned();
    }
    let mut quoted = String::with_capacity(name.len() + 2);
    quoted.push('"');
    let mut previous = None;
    for c in name.chars() {
        if c == '"' && previous != Some('\\') {
            quoted.push('\\');
        }
        quoted.push(c);
        previous = Some(c);
    }
    quoted.push('"');
    quoted
}

/// `parse_email`: the (escaped) name and the address of `Name <address>`, `<address>` or
/// `address`; both empty when there is no `@`.
pub(crate) fn parse_email(text: &str) -> (String, String) {
    let capture = |re: &Constant, i: usize| {
        re.as_ref()
            .and_then(|re| re.captures(text))
            .and_then(|c| c.get(i).map(|m| m.as_str()))
    };
    let (name, address) = match capture(&NAMED, 1) {
        Some(name) => (name, capture(&NAMED, 2).unwrap_or("")),
        None => ("", capture(&ANGLED, 1).or(capture(&BARE, 1)).unwrap_or("")),
    };
    (
        escape_name(strip_quotes(name.trim())),
        address.trim().to_owned(),
    )
}

/// `format_email` with names: `Name <address>`, or the address alone without a name.
pub(crate) fn format_email(name: &str, address: &str) -> String {
    let name = escape_name(strip_quotes(name.trim()));
    let address = address.trim();
    if name.is_empty() {
        address.to_owned()
    } else {
        format!("{name} <{address}>")
    }
}

/// Perl's `$text =~ /$pattern/` where `$pattern` is a literal whose `.` match any character
/// but a newline (the script removes `Linus Torvalds <torvalds@linux-foundation.org>` this way).
pub(crate) fn contains_dotted(text: &str, pattern: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    text.windows(pattern.len()).any(|window| {
        window
            .iter()
            .zip(&pattern)
            .all(|(t, p)| t == p || (*p == '.' && *t != '\n'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_compile() {
        for re in [
            &NAMED,
            &ANGLED,
            &BARE,
            &COMMENT,
            &RFC822_ONE,
            &RFC822_LIST,
            &RFC822_ITEM,
        ] {
            assert!(re.is_some());
        }
    }

    #[test]
    fn parse_email_forms() {
        let parsed = parse_email("Juergen Gross <jgross@suse.com>");
        assert_eq!(parsed, ("Juergen Gross".into(), "jgross@suse.com".into()));
        let parsed =
            parse_email("\"James E.J. Bottomley\" <James.Bottomley@HansenPartnership.com>");
        assert_eq!(parsed.0, "\"James E.J. Bottomley\"");
        assert_eq!(parse_email("<a@b.c> x"), (String::new(), "a@b.c".into()));
        assert_eq!(
            parse_email("list@vger.kernel.org"),
            (String::new(), "list@vger.kernel.org".into())
        );
        assert_eq!(parse_email("AWS"), (String::new(), String::new()));
        let parsed = parse_email("Paulo Alcantara <pc@manguebit.com> (DFS, global name space)");
        assert_eq!(
            parsed,
            ("Paulo Alcantara".into(), "pc@manguebit.com".into())
        );
    }

    #[test]
    fn names_with_other_characters_are_quoted() {
        assert_eq!(
            format_email("Rafael J. Wysocki", "r@k.org"),
            "\"Rafael J. Wysocki\" <r@k.org>"
        );
        assert_eq!(
            format_email("Jörg Rödel", "j@8bytes.org"),
            "\"Jörg Rödel\" <j@8bytes.org>"
        );
        assert_eq!(
            format_email("Anne-Marie O'Neil", "a@b"),
            "\"Anne-Marie O'Neil\" <a@b>"
        );
        assert_eq!(escape_name("a \"b\" c"), "\"a \\\"b\\\" c\"");
        assert_eq!(escape_name("a \\\"b"), "\"a \\\"b\"");
        assert_eq!(format_email("", "a@b"), "a@b");
        let (name, address) = parse_email("\"Lee, Chun-Yi\" <jlee@suse.com>");
        assert_eq!(
            format_email(&name, &address),
            "\"Lee, Chun-Yi\" <jlee@suse.com>"
        );
    }

    #[test]
    fn rfc822_splits_lists_only() {
        assert_eq!(split_addresses("A <a@b.c>"), ["A <a@b.c>"]);
        assert_eq!(split_addresses("\"Lee, Chun-Yi\" <jlee@suse.com>").len(), 1);
        assert_eq!(
            split_addresses("Enrico Weigelt, metux IT consult <info@metux.net>"),
            ["Enrico Weigelt, metux IT consult <info@metux.net>"]
        );
        assert_eq!(split_addresses("a@b.c, D <d@e.f>"), ["a@b.c", "D <d@e.f>"]);
        assert_eq!(
            split_addresses("R <r@s.t> (DFS, x)"),
            ["R <r@s.t> (DFS, x)"]
        );
        assert!(split_addresses("").is_empty());
        assert_eq!(split_addresses("Paweł <p@q.r>"), ["Paweł <p@q.r>"]);
    }

    #[test]
    fn comments_are_stripped_innermost_first() {
        assert_eq!(strip_comments("a (b) c"), "a   c");
        assert_eq!(strip_comments("a ((b)) c"), "a   c");
        assert_eq!(strip_comments("\"(x)\" y"), "\"(x)\" y");
    }

    #[test]
    fn dotted_contains() {
        let linus = "Linus Torvalds <torvalds@linux-foundation.org>";
        assert!(contains_dotted(linus, linus));
        assert!(contains_dotted(
            "Linus Torvalds <torvalds@linux-foundationXorg>",
            linus
        ));
        assert!(!contains_dotted(
            "Linus <torvalds@linux-foundation.org>",
            linus
        ));
    }
}
