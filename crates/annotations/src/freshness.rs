//! Whether an annotation still applies: the fingerprint it recorded against the patch as it
//! is now. A changed or vanished patch makes its annotation stale; reports flag it instead of
//! silently applying or dropping it.

use crate::fingerprint::Fingerprint;
use crate::model::{Annotations, PatchAnnotation};
use std::collections::HashMap;

/// How an annotation relates to the patch it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Written for the patch as it is.
    Current,
    /// Written for other content: the patch changed since.
    Changed {
        /// The fingerprint the annotation recorded.
        recorded: Fingerprint,
        /// The patch's fingerprint now.
        now: Fingerprint,
    },
    /// No fingerprint recorded: nothing to compare (an annotation written by hand).
    Unrecorded,
    /// The patch is no longer in the queue.
    Gone,
}

impl Freshness {
    /// Whether the annotation must be flagged: the patch changed or is gone.
    pub fn is_stale(&self) -> bool {
        matches!(self, Freshness::Changed { .. } | Freshness::Gone)
    }
}

impl PatchAnnotation {
    /// This annotation's freshness given the patch's fingerprint `now` (`None`: the patch is
    /// not in the queue).
    pub fn freshness(&self, now: Option<&Fingerprint>) -> Freshness {
        match (now, &self.fingerprint) {
            (None, _) => Freshness::Gone,
            (Some(_), None) => Freshness::Unrecorded,
            (Some(now), Some(recorded)) if now == recorded => Freshness::Current,
            (Some(now), Some(recorded)) => Freshness::Changed {
                recorded: recorded.clone(),
                now: now.clone(),
            },
        }
    }
}

impl Annotations {
    /// The freshness of the annotation of patch `name`, whose fingerprint is `now` (`None`:
    /// the patch is not in the queue). A patch without annotation has nothing recorded:
    /// [`Freshness::Unrecorded`].
    pub fn freshness(&self, name: &str, now: Option<&Fingerprint>) -> Freshness {
        self.patches
            .get(name)
            .map_or(Freshness::Unrecorded, |a| a.freshness(now))
    }

    /// Every patch annotation that is stale against `current` (the queue's patches and their
    /// fingerprints), in name order: changed patches and patches gone from the queue.
    pub fn stale(&self, current: &HashMap<String, Fingerprint>) -> Vec<(String, Freshness)> {
        self.patches
            .iter()
            .map(|(name, a)| (name, a.freshness(current.get(name))))
            .filter(|(_, freshness)| freshness.is_stale())
            .map(|(name, freshness)| (name.clone(), freshness))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprint(digit: char) -> Fingerprint {
        let hex: String = std::iter::repeat_n(digit, 40).collect();
        Fingerprint::parse(&format!("patch-id:{hex}")).expect("valid")
    }

    fn annotations() -> Annotations {
        let mut annotations = Annotations::default();
        for (name, recorded) in [
            ("a", Some('a')),
            ("b", Some('b')),
            ("c", None),
            ("d", Some('d')),
        ] {
            let annotation = PatchAnnotation {
                fingerprint: recorded.map(fingerprint),
                ..Default::default()
            };
            annotations.patches.insert(name.to_string(), annotation);
        }
        annotations
    }

    #[test]
    fn freshness_compares_the_recorded_fingerprint_with_the_current_one() {
        let annotations = annotations();
        let (a, b) = (fingerprint('a'), fingerprint('b'));
        assert_eq!(annotations.freshness("a", Some(&a)), Freshness::Current);
        assert_eq!(
            annotations.freshness("a", Some(&b)),
            Freshness::Changed {
                recorded: a.clone(),
                now: b.clone()
            }
        );
        assert_eq!(annotations.freshness("c", Some(&a)), Freshness::Unrecorded);
        assert_eq!(annotations.freshness("a", None), Freshness::Gone);
        assert_eq!(annotations.freshness("c", None), Freshness::Gone);
        assert_eq!(
            annotations.freshness("nothing", Some(&a)),
            Freshness::Unrecorded
        );
    }

    #[test]
    fn stale_lists_changed_and_gone_annotations_in_name_order() {
        let annotations = annotations();
        let current: HashMap<String, Fingerprint> = [
            ("a".to_string(), fingerprint('a')),
            ("b".to_string(), fingerprint('e')),
            ("c".to_string(), fingerprint('c')),
        ]
        .into();
        let stale = annotations.stale(&current);
        let expected = vec![
            (
                "b".to_string(),
                Freshness::Changed {
                    recorded: fingerprint('b'),
                    now: fingerprint('e'),
                },
            ),
            ("d".to_string(), Freshness::Gone),
        ];
        assert_eq!(stale, expected);
    }
}
