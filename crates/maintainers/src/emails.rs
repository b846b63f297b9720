//! Addresses named in a file's text, as get_maintainer.pl collects them from `.yaml` files
//! (`maintainers_in_file` and `clean_file_emails`): device-tree bindings list their
//! maintainers, and the script adds them with the role `in file`.

use crate::perl::{constant, format_email, parse_email, Constant};
use std::sync::LazyLock;

/// `@poss_addr = $text =~ m$[\p{L}\"\' \,\.\+-]*\s*[\,]*\s*[\(\<\{]{0,1}[A-Za-z0-9_\.\+-]+\@[A-Za-z0-9\.-]+\.[A-Za-z0-9]+[\)\>\}]{0,1}$g`
static POSSIBLE: Constant = LazyLock::new(|| {
    constant(
        r#"[\p{L}"' ,.+\-]*\s*,*\s*[(<{]?[A-Za-z0-9_.+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z0-9]+[)>}]?"#,
    )
});
/// `s/[\(\<\{]{0,1}([A-Za-z0-9_\.\+-]+\@[A-Za-z0-9\.-]+)[\)\>\}]{0,1}/\<$1\>/g`
static BRACKETED: Constant =
    LazyLock::new(|| constant(r"[(<{]?([A-Za-z0-9_.+\-]+@[A-Za-z0-9.\-]+)[)>}]?"));
/// What `split(/[^\p{L}\'\,\.\+-]/, $name)` splits names at.
static NOT_NAME: Constant = LazyLock::new(|| constant(r"[^\p{L}',.+\-]"));

/// Whether get_maintainer.pl reads addresses from the file at `path`.
pub(crate) fn reads_addresses(path: &str) -> bool {
    path.ends_with(".yaml") && !ends_with_maintainers(path)
}

/// `$file =~ m@\bMAINTAINERS$@`.
fn ends_with_maintainers(path: &str) -> bool {
    path.strip_suffix("MAINTAINERS").is_some_and(|before| {
        !before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// The addresses in `text`, formatted as `Name <address>`.
pub(crate) fn in_text(text: &str) -> Vec<String> {
    let Some(possible) = POSSIBLE.as_ref() else {
        return Vec::new();
    };
    possible
        .find_iter(text)
        .map(|m| clean(m.as_str()))
        .collect()
}

/// `clean_file_emails` for one possible address: the last two names (three with an
/// initial), stray punctuation removed.
fn clean(possible: &str) -> String {
    let bracketed = BRACKETED
        .as_ref()
        .map(|re| re.replace_all(possible, "<$1>").into_owned())
        .unwrap_or_else(|| possible.to_owned());
    let (name, address) = parse_email(&bracketed);
    let name = unquote(&name);
    let words = name_words(name);
    let mut name = pick_names(&words);
    if name.ends_with([',', '.']) {
        name.pop();
    }
    if name.starts_with([',', '.']) {
        name.remove(0);
    }
    format_email(&name, &address)
}

/// `s/^"(.*)"$/$1/`
fn unquote(name: &str) -> &str {
    name.strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .filter(|inner| !inner.contains('\n'))
        .unwrap_or(name)
}

/// `split(/[^\p{L}\'\,\.\+-]/, $name)` without the one-character punctuation words: Perl
/// keeps leading empty fields and drops trailing ones.
fn name_words(name: &str) -> Vec<&str> {
    let mut words: Vec<&str> = match NOT_NAME.as_ref() {
        Some(re) => re.split(name).collect(),
        None => vec![name],
    };
    while words.last().is_some_and(|w| w.is_empty()) {
        words.pop();
    }
    words.retain(|w| !matches!(*w, "'" | "," | "." | "+" | "-"));
    words
}

/// The last two words, or three when the first or middle of them is an initial.
fn pick_names(words: &[&str]) -> String {
    let [.., first, middle, last] = words else {
        return words.join(" ");
    };
    let initial = |w: &str, letter_only: bool| {
        let n = w.chars().count();
        (n == 1 && (!letter_only || is_letter(w))) || (n == 2 && w.ends_with('.'))
    };
    if initial(first, true) || initial(middle, false) {
        format!("{first} {middle} {last}")
    } else {
        format!("{middle} {last}")
    }
}

/// `m/\p{L}/` on one character.
fn is_letter(word: &str) -> bool {
    NOT_NAME.as_ref().is_some_and(|re| !re.is_match(word))
        && !word.contains(['\'', ',', '.', '+', '-'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_compile() {
        assert!(POSSIBLE.is_some() && BRACKETED.is_some() && NOT_NAME.is_some());
    }

    #[test]
    fn binding_maintainers() {
        let yaml = "title: Foo\n\nmaintainers:\n  - Jane Q. Public <jane@example.com>\n  \
                    - John Smith <john.smith@example.org>\n  - Dr. Karl Heinz Maier <khm@example.net>\n";
        assert_eq!(
            in_text(yaml),
            [
                "\"Jane Q. Public\" <jane@example.com>",
                "John Smith <john.smith@example.org>",
                "Heinz Maier <khm@example.net>",
            ]
        );
    }

    #[test]
    fn which_files() {
        assert!(reads_addresses("Documentation/devicetree/bindings/x.yaml"));
        assert!(!reads_addresses("drivers/x.c"));
        assert!(ends_with_maintainers("MAINTAINERS"));
        assert!(ends_with_maintainers("foo/MAINTAINERS"));
        assert!(!ends_with_maintainers("fooMAINTAINERS"));
    }

    #[test]
    fn perl_split_keeps_leading_empty_words() {
        assert_eq!(name_words(" a b "), ["", "a", "b"]);
        assert_eq!(name_words("a - b"), ["a", "b"]);
    }
}
