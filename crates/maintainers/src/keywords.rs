//! `K:` keywords matched against patch lines, as get_maintainer.pl's patch loop does.
//!
//! Before the first `---`/`+++` file header every line is matched against each `K:` regex
//! (`m/$keyword/x`): subject, description, tags. From the header on, the script prefixes the
//! regex with `^[+-].*` by plain string concatenation, so only added and removed lines count;
//! a keyword with a top-level `|` keeps its later alternatives unprefixed, as in the script.
//!
//! Perl's lines keep their newline and its `$` also matches before a final newline; the
//! `regex` crate's `$` does not, so a line matches when the regex matches it with or without
//! its newline.

use crate::patch::{self, PatchLine};
use crate::perlre;
use regex::RegexSet;

/// The `K:` regexes of a file, compiled into two sets: as written, and with `^[+-].*` before.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeywordMatcher {
    plain: Option<RegexSet>,
    prefixed: Option<RegexSet>,
    /// For each regex of the sets, the index of its keyword.
    plain_ids: Vec<usize>,
    prefixed_ids: Vec<usize>,
}

impl KeywordMatcher {
    /// Compiles the keywords' `raw` patterns; returns the matcher and, for each keyword that
    /// does not compile (in either form), its index and the compiler's message.
    pub(crate) fn new<'a>(
        raws: impl IntoIterator<Item = &'a str>,
    ) -> (KeywordMatcher, Vec<(usize, String)>) {
        let mut plain = Vec::new();
        let mut prefixed = Vec::new();
        let mut errors = Vec::new();
        for (i, raw) in raws.into_iter().enumerate() {
            let forms = [
                perlre::to_rust(raw, true),
                perlre::to_rust(&format!("^[+-].*{raw}"), true),
            ];
            for (source, into) in forms.into_iter().zip([&mut plain, &mut prefixed]) {
                match crate::pattern::compile(&source) {
                    Ok(_) => into.push((i, source)),
                    Err(error) if !errors.iter().any(|(j, _)| *j == i) => {
                        errors.push((i, error.to_string()))
                    }
                    Err(_) => {}
                }
            }
        }
        let set = |forms: &[(usize, String)]| RegexSet::new(forms.iter().map(|(_, s)| s)).ok();
        let matcher = KeywordMatcher {
            plain: set(&plain),
            prefixed: set(&prefixed),
            plain_ids: plain.iter().map(|(i, _)| *i).collect(),
            prefixed_ids: prefixed.iter().map(|(i, _)| *i).collect(),
        };
        (matcher, errors)
    }

    /// Marks in `hits` (one flag per keyword) the keywords that match `patch`.
    pub(crate) fn scan(&self, patch: &str, hits: &mut [bool]) {
        let mut in_diff = false;
        for line in patch::lines(patch) {
            match patch::classify(line) {
                PatchLine::Files(_, header) => in_diff |= header,
                PatchLine::Text => self.match_line(line, in_diff, hits),
                PatchLine::Fixes(_) | PatchLine::Hunk => {}
            }
        }
    }

    /// Marks the keywords matching one line.
    fn match_line(&self, line: &str, in_diff: bool, hits: &mut [bool]) {
        let (set, ids) = if in_diff {
            (&self.prefixed, &self.prefixed_ids)
        } else {
            (&self.plain, &self.plain_ids)
        };
        let Some(set) = set else {
            return;
        };
        let bare = line.strip_suffix('\n');
        for text in std::iter::once(line).chain(bare) {
            for i in set.matches(text).iter() {
                if let Some(hit) = ids.get(i).and_then(|&k| hits.get_mut(k)) {
                    *hit = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(raws: &[&str], patch: &str) -> Vec<bool> {
        let (matcher, errors) = KeywordMatcher::new(raws.iter().copied());
        assert!(errors.is_empty(), "{errors:?}");
        let mut hits = vec![false; raws.len()];
        matcher.scan(patch, &mut hits);
        hits
    }

    #[test]
    fn description_then_changed_lines_only() {
        let patch = "Subject: [PATCH] fix xenbus\n\n---\n\
                     --- a/f.c\n+++ b/f.c\n@@ -1,3 +1,3 @@\n context blkif\n-old grant\n+new\n";
        assert_eq!(
            hits(&["xenbus", "blkif", "grant", "new$"], patch),
            [true, false, true, true]
        );
    }

    #[test]
    fn top_level_alternation_is_not_prefixed() {
        let patch =
            "--- a/f.c\n+++ b/f.c\n@@ -1,1 +1,1 @@\n context phylink.h\n context struct phylink\n";
        assert_eq!(hits(&[r"struct\s+phylink|phylink\.h"], patch), [true]);
        assert_eq!(hits(&[r"phylink\.h|struct\s+phylink"], patch), [true]);
        assert_eq!(hits(&[r"(?:phylink\.h|struct\s+phylink)"], patch), [false]);
    }

    #[test]
    fn broken_keyword_is_reported() {
        let (_, errors) = KeywordMatcher::new(["ok", "(broken"]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, 1);
    }
}
