//! The tree's facts about a patch, as weighed evidence for each hypothesis. Hunks count by
//! their distinctive changed lines:
//!
//! - all present: upstream as is;
//! - most present and the rest changed since (none still applies), or every added line
//!   there and no removed line left: upstream in an evolved form;
//! - hunks that still apply: needed, strongly (the old code is there unchanged), growing
//!   with the square root of their share (a few stray hunks of a big patch say little);
//! - hunks whose code changed (conflicts): needed, weakly (it needs a refresh; upstream
//!   code changes over the years whether or not the patch went in);
//! - hunks whose code is nowhere: obsolete;
//! - hunks that apply only on top of the queue's earlier patches: needed, as those are;
//! - specific names it provides found upstream: replaced; its names absent: needed.

use super::names::{kind_word, NameFact};
use super::TreeFacts;
use crate::model::{Evidence, EvidenceKind as K, HunkFate, HunkVerdict, Hypothesis as H};

/// Shares of the hunks' weight, by fate.
#[derive(Clone, Copy, Debug, Default)]
struct Shares {
    present: f64,
    /// Files it creates that upstream has nowhere.
    new_files: f64,
    /// Present though the code around changed.
    changed: f64,
    applies: f64,
    on_queue: f64,
    conflicts: f64,
    gone: f64,
    /// The weight of the hunks that count (ambiguous ones do not).
    total: f64,
}

impl Shares {
    fn of(hunks: &[HunkVerdict]) -> Shares {
        let mut s = Shares::default();
        for h in hunks {
            let w = h.weight;
            match h.fate {
                HunkFate::Present
                | HunkFate::PresentModuloWhitespace
                | HunkFate::PresentRenamed => s.present += w,
                HunkFate::PresentChanged => s.changed += w,
                HunkFate::Ambiguous => continue,
                HunkFate::Applies => s.applies += w,
                HunkFate::AppliesOnQueue => s.on_queue += w,
                HunkFate::NewFile => s.new_files += w,
                HunkFate::Conflicts => s.conflicts += w,
                HunkFate::Gone => s.gone += w,
            }
            s.total += w;
        }
        if s.total > 0.0 {
            for x in [
                &mut s.present,
                &mut s.new_files,
                &mut s.changed,
                &mut s.applies,
                &mut s.on_queue,
                &mut s.conflicts,
                &mut s.gone,
            ] {
                *x /= s.total;
            }
        }
        s
    }
}

impl TreeFacts {
    /// The evidence the tree gives, weighed.
    pub fn evidence(&self) -> Vec<Evidence> {
        let mut names = Vec::new();
        self.name_evidence(&mut names);
        let replaced = names
            .iter()
            .filter(|e| e.hypothesis == Some(H::Replaced))
            .map(|e| e.weight)
            .fold(0.0, f64::max);
        let mut out = Vec::new();
        self.hunk_evidence(&mut out, replaced);
        self.moved_evidence(&mut out);
        out.extend(names);
        out
    }

    /// `replaced`: how strongly what the patch provides exists elsewhere. The old code its
    /// hunks still apply to then says less: the patch is redundant where it applies.
    fn hunk_evidence(&self, out: &mut Vec<Evidence>, replaced: f64) {
        let s = Shares::of(&self.hunks);
        let n = self.hunks.len();
        if n == 0 || s.total == 0.0 {
            return;
        }
        let tree = &self.tree;
        let count = |f: &dyn Fn(HunkFate) -> bool| self.hunks.iter().filter(|h| f(h.fate)).count();
        let present = count(&|f| {
            matches!(
                f,
                HunkFate::Present | HunkFate::PresentModuloWhitespace | HunkFate::PresentRenamed
            )
        });
        let places = self.places(&|f| {
            matches!(
                f,
                HunkFate::Present | HunkFate::PresentModuloWhitespace | HunkFate::PresentRenamed
            )
        });
        let changed = count(&|f| f == HunkFate::PresentChanged);
        let credit = evolved_credit(&self.hunks);
        if s.present >= 0.999 {
            let w = if s.total >= 2.0 { 0.9 } else { 0.75 };
            out.push(Evidence::weighed(
                K::TreeApplied,
                format!(
                    "{} present in {tree}{places}",
                    all(n, "hunk is", "hunks are")
                ),
                H::Upstream,
                w,
            ));
        } else if credit >= 0.4 && s.applies + s.on_queue <= 0.05 {
            let also = if changed > 0 {
                format!(
                    "; {changed} present with later changes around them (added lines there, removed lines gone){}",
                    self.places(&|f| f == HunkFate::PresentChanged)
                )
            } else {
                String::new()
            };
            out.push(Evidence::weighed(
                K::TreeEvolved,
                format!(
                    "{present} of {n} hunks are present as they are in {tree}{places}{also}; {:.0}% of the change is there by its lines, none of it still applies: upstream in an evolved form",
                    credit * 100.0
                ),
                H::UpstreamEvolved,
                (0.3 + 0.55 * credit).min(0.85),
            ));
        } else if present + changed > 0 {
            out.push(Evidence::weighed(
                K::TreeApplied,
                format!(
                    "{} of {n} hunks are present in {tree}{places}",
                    present + changed
                ),
                H::UpstreamEvolved,
                0.3 * credit,
            ));
        }
        let applies = count(&|f| f == HunkFate::Applies);
        if s.applies > 0.0 {
            let at = self.places(&|f| f == HunkFate::Applies);
            out.push(Evidence::weighed(
                K::TreeApplies,
                format!(
                    "{applies} of {n} hunks still apply to {tree}{at}: that change is not upstream"
                ),
                H::Needed,
                0.9 * s.applies.sqrt() * (1.0 - 0.6 * replaced),
            ));
        }
        if s.on_queue > 0.0 {
            self.queue_evidence(out, s.on_queue, n, replaced);
        }
        if s.new_files > 0.0 {
            let files: Vec<&str> = self
                .files
                .iter()
                .filter(|f| {
                    f.change == kdelta_patch::ChangeKind::Added
                        && !f.in_tree
                        && f.moved_to.is_empty()
                })
                .map(|f| f.path.as_str())
                .take(6)
                .collect();
            out.push(Evidence::weighed(
                K::TreeApplies,
                format!("it creates files {tree} has nowhere: {}", files.join(", ")),
                H::Needed,
                0.3 * s.new_files.sqrt() * (1.0 - 0.6 * replaced),
            ));
        }
        let kept: Vec<&HunkVerdict> = self.hunks.iter().filter(|h| h.old_code_kept).collect();
        if !kept.is_empty() {
            let share = kept.iter().map(|h| h.weight).sum::<f64>() / s.total;
            out.push(Evidence::weighed(
                K::TreeConflicts,
                format!(
                    "{} of {n} hunks find their old lines still in {tree}, slightly changed, and not their new ones (at {})",
                    kept.len(),
                    kept.iter().filter_map(|h| h.at.as_deref()).take(4).collect::<Vec<_>>().join(", ")
                ),
                H::Needed,
                0.2 + 0.4 * share,
            ));
        }
        if s.conflicts > 0.0 {
            let at = self.places(&|f| f == HunkFate::Conflicts);
            out.push(Evidence::weighed(
                K::TreeConflicts,
                format!(
                    "{} of {n} hunks no longer match: their code is still in {tree}{at} but has changed (a refresh is needed, or upstream changed it itself)",
                    count(&|f| f == HunkFate::Conflicts)
                ),
                H::Needed,
                0.15 + 0.2 * s.conflicts,
            ));
        }
        if s.gone > 0.0 {
            self.gone_evidence(out, s, n);
        }
    }

    /// Hunks that apply only on top of the queue's earlier patches go with those patches:
    /// code that only the queue brings is needed while its base is, and goes when its base
    /// is obsolete or replaced.
    fn queue_evidence(&self, out: &mut Vec<Evidence>, share: f64, n: usize, replaced: f64) {
        let count = self
            .hunks
            .iter()
            .filter(|h| h.fate == HunkFate::AppliesOnQueue)
            .count();
        let base = self
            .builds_on
            .iter()
            .find_map(|(_, h)| *h)
            .unwrap_or(H::Needed);
        // On top of a patch upstream has (in an evolved form, or the queue's copy would
        // not differ), a later change most likely went upstream with it: a weaker hint.
        // A patch on top of a replaced or obsolete one may still bring something of its
        // own (a knob, a quirk, a different behaviour): its base alone does not drop it.
        let (follows, weight) = match base {
            H::Obsolete | H::Replaced => (base, 0.2 + 0.15 * share),
            H::Upstream | H::UpstreamEvolved => (H::UpstreamEvolved, 0.3 + 0.2 * share),
            // What it provides found upstream elsewhere outweighs its base being needed.
            H::Needed => (H::Needed, (0.5 + 0.3 * share) * (1.0 - 0.6 * replaced)),
        };
        let names: Vec<String> = self
            .builds_on
            .iter()
            .map(|(name, h)| match h {
                Some(h) => format!("{name}: {h}"),
                None => name.clone(),
            })
            .collect();
        out.push(Evidence::weighed(
            K::QueueContext,
            format!(
                "{count} of {n} hunks change code that only the queue's earlier patches bring ({}); it goes with them",
                names.join(", ")
            ),
            follows,
            weight,
        ));
    }

    fn gone_evidence(&self, out: &mut Vec<Evidence>, s: Shares, n: usize) {
        let gone_files: Vec<&str> = self
            .files
            .iter()
            .filter(|f| {
                !f.in_tree && f.moved_to.is_empty() && f.change != kdelta_patch::ChangeKind::Added
            })
            .map(|f| f.path.as_str())
            .collect();
        let (_, functions) = &self.functions;
        let mut what = Vec::new();
        if !gone_files.is_empty() {
            what.push(format!(
                "files not in {}: {}",
                self.tree,
                gone_files.join(", ")
            ));
        }
        if !functions.is_empty() {
            what.push(format!(
                "functions defined and used nowhere: {}",
                functions.join(", ")
            ));
        }
        let kind = if gone_files.is_empty() {
            K::FunctionsGone
        } else {
            K::FilesGone
        };
        // Lines gone from a file that is still there, in no function known to be gone, are
        // as likely rewritten (a macro renamed, a table reworked) as dropped: that alone
        // does not outweigh "needed".
        let weight = if gone_files.is_empty() && functions.is_empty() {
            0.3 * s.gone
        } else if s.gone >= 0.999 {
            0.8
        } else {
            0.3 + 0.5 * s.gone
        };
        out.push(Evidence::weighed(
            kind,
            format!(
                "{} of {n} hunks have code found nowhere in {}{}",
                self.hunks
                    .iter()
                    .filter(|h| h.fate == HunkFate::Gone)
                    .count(),
                self.tree,
                if what.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", what.join("; "))
                }
            ),
            crate::model::Hypothesis::Obsolete,
            weight,
        ));
    }

    fn moved_evidence(&self, out: &mut Vec<Evidence>) {
        for f in self.files.iter().filter(|f| !f.moved_to.is_empty()) {
            out.push(Evidence::new(
                K::PathMapped,
                format!(
                    "{} {}: its code is now in {}",
                    f.path,
                    if f.in_tree { "exists" } else { "is gone" },
                    f.moved_to.join(", ")
                ),
            ));
        }
        let whole: Vec<&str> = self
            .files
            .iter()
            .filter(|f| f.by_content)
            .map(|f| f.path.as_str())
            .collect();
        // Said already, hunk by hunk, when the hunks' lines were weighed.
        let said = self.hunks.iter().all(|h| {
            matches!(
                h.fate,
                HunkFate::Present | HunkFate::PresentModuloWhitespace | HunkFate::PresentRenamed
            )
        }) || evolved_credit(&self.hunks) >= 0.4;
        if !whole.is_empty() && !said {
            let share = whole.len() as f64
                / self
                    .files
                    .iter()
                    .filter(|f| !f.path.is_empty())
                    .count()
                    .max(1) as f64;
            out.push(Evidence::weighed(
                K::TreeEvolved,
                format!(
                    "every added line is in {} and no removed line is left in {} (its context changed since)",
                    self.tree,
                    whole.join(", ")
                ),
                H::UpstreamEvolved,
                0.35 + 0.4 * share,
            ));
        }
    }

    fn name_evidence(&self, out: &mut Vec<Evidence>) {
        let names = &self.names;
        if names.is_empty() {
            return;
        }
        let total = names.len();
        let list = |facts: &[&NameFact]| -> String {
            facts
                .iter()
                .take(8)
                .map(|n| {
                    let at = if n.found.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", n.found.join(", "))
                    };
                    format!("{} {}{at}", kind_word(n.symbol.kind), n.symbol.name)
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        let own: Vec<&NameFact> = names.iter().filter(|n| n.at_own).collect();
        if !own.is_empty() && own.len() * 2 >= total {
            out.push(Evidence::weighed(
                K::SymbolsUpstream,
                format!(
                    "{} of {total} names it introduces are in {} where it puts them: {}",
                    own.len(),
                    self.tree,
                    list(&own)
                ),
                H::UpstreamEvolved,
                0.2 + 0.4 * own.len() as f64 / total as f64,
            ));
        }
        let found: Vec<&NameFact> = names.iter().filter(|n| n.exists() && !n.at_own).collect();
        // An interface name in many files (`"default"`, `enable`) tells nothing either way.
        let interface: Vec<&NameFact> = names
            .iter()
            .filter(|n| is_interface(n) && n.files <= COMMON_INTERFACE)
            .collect();
        let interface_found: Vec<&NameFact> = interface
            .iter()
            .copied()
            .filter(|n| n.exists() && !n.at_own)
            .collect();
        if interface.len() >= 2 && interface_found.len() * 2 >= interface.len() {
            let share = interface_found.len() as f64 / interface.len() as f64;
            out.push(Evidence::weighed(
                K::SymbolsUpstream,
                format!(
                    "{} of the {} interface names it provides (keys, parameters, attributes, Kconfig symbols) exist in {} elsewhere: {}",
                    interface_found.len(),
                    interface.len(),
                    self.tree,
                    list(&interface_found)
                ),
                H::Replaced,
                0.3 + 0.5 * share,
            ));
        }
        let specific: Vec<&NameFact> = found.iter().copied().filter(|n| n.specific).collect();
        let together = most_in_one_file(&specific);
        if specific.len() >= 2 && together >= 2 && found.len() * 2 >= total {
            let weight =
                0.3 + 0.4 * specific.len() as f64 / total as f64 + 0.1 * (together - 1) as f64;
            out.push(Evidence::weighed(
                K::SymbolsUpstream,
                format!(
                    "{} of {total} names it provides exist in {} elsewhere ({} in three files or fewer, {together} of them in one file): {}",
                    found.len(),
                    self.tree,
                    specific.len(),
                    list(&found)
                ),
                H::Replaced,
                weight.min(0.95),
            ));
        } else if !found.is_empty() {
            out.push(Evidence::new(
                K::SymbolsUpstream,
                format!(
                    "{} of {total} names it provides exist in {} elsewhere, too few or too common to say it was replaced: {}",
                    found.len(),
                    self.tree,
                    list(&found)
                ),
            ));
        }
        // What is missing counts by the interface when there is one: internal names differ
        // between implementations of the same thing.
        let judged: Vec<&NameFact> = if interface.is_empty() {
            names.iter().collect()
        } else {
            interface.clone()
        };
        // A name put in code that is gone from the tree (its file's hunks found nowhere) is
        // gone with that code: its absence says no more than theirs.
        let missing: Vec<&NameFact> = judged
            .iter()
            .copied()
            .filter(|n| !n.exists() && !self.gone_with_code(n))
            .collect();
        if !missing.is_empty() && missing.len() * 2 > judged.len() {
            let share = missing.len() as f64 / judged.len() as f64;
            let weight = if interface.is_empty() {
                0.15 + 0.2 * share
            } else {
                0.2 + 0.3 * share
            };
            out.push(Evidence::weighed(
                K::SymbolsMissing,
                format!(
                    "{} of the {} {} it provides are absent from {}: {}",
                    missing.len(),
                    judged.len(),
                    if interface.is_empty() {
                        "names"
                    } else {
                        "interface names"
                    },
                    self.tree,
                    list(&missing)
                ),
                H::Needed,
                weight,
            ));
        }
    }

    /// Whether the code `name` is put in is gone: every hunk of its file is found nowhere.
    fn gone_with_code(&self, name: &NameFact) -> bool {
        let mut hunks = self
            .hunks
            .iter()
            .filter(|h| h.file == name.symbol.path)
            .peekable();
        hunks.peek().is_some() && hunks.all(|h| h.fate == HunkFate::Gone)
    }

    /// How many names the patch provides, when there are two or more and none of them
    /// exists in the tree, and the patch mostly creates files the tree lacks or changes
    /// code found nowhere: then it brings something the tree does not have at all.
    pub fn provides_nothing_upstream(&self) -> Option<usize> {
        let s = Shares::of(&self.hunks);
        let all_absent = self.names.len() >= 2 && self.names.iter().all(|n| !n.exists());
        (all_absent && s.new_files + s.gone + s.on_queue >= 0.5).then_some(self.names.len())
    }

    /// ` (at path:line, …)` for up to four hunks whose fate passes `keep`.
    fn places(&self, keep: &dyn Fn(HunkFate) -> bool) -> String {
        let at: Vec<String> = self
            .hunks
            .iter()
            .filter(|h| keep(h.fate))
            .filter_map(|h| {
                let at = h.at.clone()?;
                Some(if h.renamed.is_empty() {
                    at
                } else {
                    format!("{at}, renamed {}", h.renamed.join(" "))
                })
            })
            .collect();
        if at.is_empty() {
            return String::new();
        }
        let mut shown: Vec<String> = at.iter().take(4).cloned().collect();
        if at.len() > 4 {
            shown.push(format!("{} more", at.len() - 4));
        }
        format!(" (at {})", shown.join(", "))
    }
}

/// The share of the change that is in the tree: hunks present count whole, hunks judged
/// by their lines count by the share of their lines there, the rest nothing (ambiguous
/// hunks are left out).
fn evolved_credit(hunks: &[HunkVerdict]) -> f64 {
    let (mut got, mut total) = (0.0, 0.0);
    for h in hunks.iter().filter(|h| h.fate != HunkFate::Ambiguous) {
        let credit = match h.fate {
            HunkFate::Present | HunkFate::PresentModuloWhitespace | HunkFate::PresentRenamed => 1.0,
            HunkFate::PresentChanged | HunkFate::Conflicts => h.lines_present.unwrap_or(0.0),
            _ => 0.0,
        };
        got += h.weight * credit;
        total += h.weight;
    }
    if total == 0.0 {
        0.0
    } else {
        got / total
    }
}

/// An interface name found in more files than this is too common to tell anything.
const COMMON_INTERFACE: usize = 10;

/// Whether a name is part of what the patch offers to users and other components (a key,
/// a parameter, an attribute, a Kconfig symbol), which any implementation of the same
/// feature shares, rather than an internal name.
fn is_interface(n: &NameFact) -> bool {
    use kdelta_patch::SymbolKind as S;
    matches!(
        n.symbol.kind,
        S::StringLiteral | S::ModuleParam | S::Sysfs | S::KconfigSymbol
    )
}

/// The most names of `names` found in one and the same file.
fn most_in_one_file(names: &[&NameFact]) -> usize {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for n in names {
        for f in &n.found {
            *counts.entry(f.as_str()).or_default() += 1;
        }
    }
    counts.values().copied().max().unwrap_or(0)
}

/// "the hunk is" / "all 3 hunks are".
fn all(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("the {one}")
    } else {
        format!("all {n} {many}")
    }
}
