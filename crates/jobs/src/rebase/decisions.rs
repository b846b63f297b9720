//! Human decisions carried into the plan from the team's annotations, by the report's rule:
//! a status override is applied to the verdict before the plan is made (so a patch a human
//! keeps is pushed, one a human calls upstream or replaced is dropped), but only when the
//! annotation was written for the patch as it is now; the plan says who decided and why,
//! who checked it, and who owns the patch (who takes a conflict).

use kdelta_analysis::rebase::{Action, Step};
use kdelta_analysis::Verdict;
use kdelta_annotations::{Annotations, Fingerprint};
use kdelta_queue::Queue;

/// What the annotations say of one entry, for its step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decision {
    /// Lines that go first in the step's reasons (an override, applied or not).
    pub lead: Vec<String>,
    /// Lines that go last (who checked it).
    pub tail: Vec<String>,
    /// Who owns the patch (its own owner, else its feature's).
    pub owner: Option<String>,
}

/// Apply the status overrides of `annotations` to `verdicts` (by entry of `queue`) where
/// the annotation is not stale, and say per entry what the annotations decided.
pub fn apply(queue: &Queue, verdicts: &mut [Verdict], annotations: &Annotations) -> Vec<Decision> {
    let mut out = Vec::with_capacity(verdicts.len());
    for (entry, verdict) in queue.entries.iter().zip(verdicts.iter_mut()) {
        let Some(a) = annotations.patches.get(&entry.name) else {
            out.push(Decision::default());
            continue;
        };
        let now = entry.patch.as_ref().map(Fingerprint::of);
        let freshness = a.freshness(now.as_ref());
        let mut decision = Decision {
            owner: annotations.owner_of(a),
            ..Decision::default()
        };
        if let Some(status) = a.status {
            let reason = a.reason.as_deref().unwrap_or("no reason given");
            if !freshness.is_stale() {
                decision.lead.push(format!(
                    "annotation (line {}) decides {status}: {reason}; the analysis said {}",
                    a.line, verdict.status
                ));
                verdict.status = status;
            } else {
                decision.lead.push(format!(
                    "annotation (line {}) says {status}, not applied: the patch changed since it was written",
                    a.line
                ));
            }
        }
        if let Some(v) = &a.verified {
            decision
                .tail
                .push(format!("annotation checked by {} on {}", v.by, v.on));
        }
        out.push(decision);
    }
    out
}

/// Put the decisions into the plan's reasons; a conflicting or blocked patch's owner is
/// named as the one who takes it.
pub fn annotate(steps: &mut [Step], decisions: &[Decision]) {
    for (step, d) in steps.iter_mut().zip(decisions) {
        let mut why = d.lead.clone();
        why.append(&mut step.why);
        why.extend(d.tail.iter().cloned());
        if let Some(owner) = &d.owner {
            why.push(match step.action {
                Action::Conflict | Action::Blocked => format!("owner {owner} takes it"),
                _ => format!("owner {owner}"),
            });
        }
        step.why = why;
    }
}
