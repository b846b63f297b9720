//! Perl regular expressions from `MAINTAINERS` (`N:`, `K:`, and `F:`/`X:` once converted)
//! rewritten for the `regex` crate.
//!
//! get_maintainer.pl matches `N:` and `K:` with `/x`: white space and `#` comments outside
//! bracketed classes are dropped, while inside a class white space counts (the `regex` crate's
//! `(?x)` would drop it there too), so `/x` is applied here and the result compiled without it.
//! A few spellings mean something else, or nothing, to the `regex` crate and are rewritten:
//! `\<` and `\>` are literal angle brackets in Perl (word boundaries in `regex`), `\Z` is `$`,
//! a `{` that does not start a counted repetition is a literal, and a `[` inside a class is a
//! literal (a nested class in `regex`). Whatever else Perl has and `regex` lacks (look-around,
//! back-references) fails to compile and is reported as a problem.

/// The pattern rewritten for the `regex` crate; `extended` applies Perl's `/x`.
pub(crate) fn to_rust(pattern: &str, extended: bool) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\\' => i = escape(&chars, i, false, &mut out),
            '[' => i = class(&chars, i, &mut out),
            '{' if !counted_repetition(&chars[i..]) => out.push_str(r"\{"),
            '{' if chars.get(i) == Some(&',') => out.push_str("{0"),
            '#' if extended => i = comment_end(&chars, i),
            c if extended && perl_pattern_space(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Copies the escape whose backslash precedes `chars[i]` (in a class when `in_class`);
/// returns the index after it.
fn escape(chars: &[char], i: usize, in_class: bool, out: &mut String) -> usize {
    let Some(&c) = chars.get(i) else {
        out.push('\\');
        return i;
    };
    match c {
        '<' | '>' => out.push(c),
        'Z' if in_class => out.push('Z'),
        'Z' => out.push('$'),
        'e' => out.push_str(r"\x1B"),
        c => {
            out.push('\\');
            out.push(c);
        }
    }
    i + 1
}

/// Copies the bracketed class whose `[` precedes `chars[i]`; returns the index after its `]`
/// (or the end of the pattern, which then does not compile, as in Perl).
fn class(chars: &[char], mut i: usize, out: &mut String) -> usize {
    out.push('[');
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    if chars.get(i) == Some(&']') {
        out.push_str(r"\]");
        i += 1;
    }
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            ']' => {
                out.push(']');
                return i;
            }
            '\\' => i = escape(chars, i, true, out),
            '[' if chars.get(i) == Some(&':') => i = posix_class(chars, i, out),
            '[' => out.push_str(r"\["),
            '&' | '~' | '-' if chars.get(i) == Some(&c) => {
                out.push(c);
                out.push('\\');
            }
            c => out.push(c),
        }
    }
    i
}

/// Copies `[:name:]` (its `[` precedes `chars[i]`); returns the index after it.
fn posix_class(chars: &[char], i: usize, out: &mut String) -> usize {
    let close = (i + 1..chars.len().saturating_sub(1))
        .find(|&j| chars[j] == ':' && chars[j + 1] == ']')
        .filter(|&j| {
            chars[i + 1..j]
                .iter()
                .all(|c| c.is_ascii_alphabetic() || *c == '^')
        });
    match close {
        Some(j) => {
            out.push('[');
            out.extend(&chars[i..j + 2]);
            j + 2
        }
        None => {
            out.push_str(r"\[");
            i
        }
    }
}

/// Whether `rest` (after a `{`) is a counted repetition: `n}`, `n,}`, `n,m}` or `,m}`.
fn counted_repetition(rest: &[char]) -> bool {
    let Some(close) = rest.iter().position(|&c| c == '}') else {
        return false;
    };
    let body: String = rest[..close].iter().collect();
    let (min, max) = body.split_once(',').unwrap_or((&body, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    (!min.is_empty() || !max.is_empty()) && digits(min) && digits(max)
}

/// The index after a `/x` comment starting before `chars[i]`: the end of its line.
fn comment_end(chars: &[char], i: usize) -> usize {
    chars[i..]
        .iter()
        .position(|&c| c == '\n')
        .map_or(chars.len(), |p| i + p + 1)
}

/// Perl's `Pattern_White_Space`, which `/x` ignores.
fn perl_pattern_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\n'
            | '\u{B}'
            | '\u{C}'
            | '\r'
            | '\u{85}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

#[cfg(test)]
mod tests {
    use super::to_rust;
    use regex::Regex;

    fn matches(perl: &str, extended: bool, text: &str) -> bool {
        Regex::new(&to_rust(perl, extended)).is_ok_and(|re| re.is_match(text))
    }

    #[test]
    fn extended_drops_space_and_comments_outside_classes() {
        assert_eq!(to_rust("a b # comment\nc", true), "abc");
        assert_eq!(to_rust("[ ]x", true), "[ ]x");
        assert_eq!(to_rust("a b", false), "a b");
        assert_eq!(to_rust(r"a\ b", true), r"a\ b");
        assert!(matches("[ ]x", true, " x"));
    }

    #[test]
    fn perl_spellings_are_rewritten() {
        assert!(matches(r"\<a\>", false, "<a>"));
        assert!(matches(r"a{", false, "a{"));
        assert!(matches(r"a{b}", false, "a{b}"));
        assert!(matches(r"a{2}", false, "aa"));
        assert!(!matches(r"a{2}", false, "a{2}"));
        assert!(matches(r"[[]", false, "["));
        assert!(matches(r"[]a]", false, "]"));
        assert!(matches(r"[[:digit:]]", false, "7"));
        assert!(matches(r"x\Z", false, "x"));
        assert!(matches(r"[\Z]", false, "Z"));
        assert!(matches(r"^a{,2}$", false, "aa"));
        assert!(!matches(r"^a{,2}$", false, "aaa"));
        assert!(matches(r"\e", false, "\u{1b}"));
        assert!(matches(r"[a&&b]", false, "&"));
        assert!(matches(r"\baudit_[a-z_0-9]\+\b", true, "audit_l+x"));
    }

    #[test]
    fn unsupported_perl_fails_to_compile() {
        assert!(Regex::new(&to_rust(r"(?=a)", false)).is_err());
        assert!(Regex::new(&to_rust(r"(a)\1", false)).is_err());
    }
}
