//! Confidence as measured. The support of the chosen hypothesis (see
//! [`crate::verdict::support_of`]) orders verdicts from doubtful to sure, but is not the
//! chance of being right. `kdelta eval --tree --json` pairs each labelled patch's support
//! with whether its status was right; `scripts/calibrate.py` fits, over the labelled sets
//! of docs/ACCURACY.md, a monotone map from support to the share of right calls (isotonic
//! regression, pooled adjacent violators), separately for "drop it" calls and "needed"
//! calls. The confidence a verdict prints is that share, interpolated.

// Fitted by `scripts/calibrate.py` on 36,605 labelled cases (36,385 droppable, 220 still
// needed, weighed half each) of the sets in docs/ACCURACY.md, headers hidden and kept:
// Debian 6.1.176, 6.12.8 and 6.12.38 (later: 6.12.107), openSUSE 13.1, 42.1 and 15.0
// (later: master), XCP-ng's kernel, SLE11-SP4 patches.xen (hand labels), all against
// Linux 6.12.107. Each share is the lower end of its 95% Wilson interval.

/// `(support, share right)` for calls that drop the patch (upstream, replaced, obsolete),
/// support increasing. Not one of 29,905 such calls fell on a still-needed patch.
pub const DROP: &[(f64, f64)] = &[(0.666, 1.0)];

/// `(support, share right)` for calls that keep it (needed), support increasing.
pub const KEEP: &[(f64, f64)] = &[
    (0.248, 0.0),   // 64 cases, 0.0 right
    (0.433, 0.37),  // 4533 cases, 0.384 right
    (0.552, 0.476), // 291 cases, 0.534 right
    (0.608, 0.74),  // 805 cases, 0.77 right
    (0.789, 0.825), // 641 cases, 0.855 right
    (0.893, 0.847), // 200 cases, 0.897 right
    (0.94, 0.976),  // 166 cases, 0.999 right
];

/// The calibrated confidence of a call with this `support`: the share of such calls the
/// labelled sets found right (droppable and still-needed patches weighed alike),
/// interpolated between the fitted points, at most 0.99.
pub fn calibrated(drops: bool, support: f64) -> f64 {
    let table = if drops { DROP } else { KEEP };
    interpolate(table, support).clamp(0.0, 0.99)
}

fn interpolate(table: &[(f64, f64)], x: f64) -> f64 {
    let Some(&(x0, y0)) = table.first() else {
        return x;
    };
    if x <= x0 {
        return y0;
    }
    for pair in table.windows(2) {
        let ((a, ya), (b, yb)) = (pair[0], pair[1]);
        if x <= b {
            let t = if b > a { (x - a) / (b - a) } else { 1.0 };
            return ya + t * (yb - ya);
        }
    }
    table.last().map_or(x, |p| p.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn points_are_interpolated_and_ends_held() {
        let t = [(0.2, 0.1), (0.6, 0.5), (0.9, 0.95)];
        assert_eq!(interpolate(&t, 0.0), 0.1);
        assert!((interpolate(&t, 0.4) - 0.3).abs() < 1e-9);
        assert_eq!(interpolate(&t, 1.0), 0.95);
    }

    proptest! {
        /// More support never means less confidence, and confidence stays in [0, 0.99].
        #[test]
        fn calibration_is_monotone(a in 0.0f64..1.0, b in 0.0f64..1.0, drops: bool) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let (cl, ch) = (calibrated(drops, lo), calibrated(drops, hi));
            prop_assert!(cl <= ch);
            prop_assert!((0.0..=0.99).contains(&cl) && (0.0..=0.99).contains(&ch));
        }

        /// The fitted tables are increasing in support and in share.
        #[test]
        fn tables_are_monotone(i in 0usize..64) {
            for table in [DROP, KEEP] {
                let pair = table.windows(2).nth(i % table.len().saturating_sub(1).max(1));
                if let Some(p) = pair {
                    prop_assert!(p[0].0 <= p[1].0 && p[0].1 <= p[1].1);
                }
            }
        }
    }
}
