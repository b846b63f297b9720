#!/usr/bin/env python3
"""Fit kdelta's confidence calibration (crates/analysis/src/calibration.rs).

usage: scripts/calibrate.py EVAL.json [EVAL.json ...]

Each file is the output of `kdelta eval SPEC --tree T [--later SPEC] [--labels TSV] --json`.
Every labelled case carries the support of its verdict before calibration and whether the
status was right (a drop call on a droppable label, a keep call on a still-needed one).
Labels from a later queue that dropped a patch ("dropped") are left out: a distribution
drops patches for reasons other than upstream having them, so they are not ground truth.
Calls of fixed confidence (in-progress, downstream-only, unknown) are left out too.

The fit is isotonic regression (pool adjacent violators) of "right" on support, for drop
calls and keep calls separately; blocks of fewer than MIN cases are merged with their
neighbour. It prints the two tables as Rust, then the reliability per confidence band
before and after, pooled over the files, and per file.
"""
import json
import sys

MIN = 30
DROP = {"upstream", "replacement-likely", "obsolete"}
FIXED = {"in-progress", "downstream-only", "unknown"}


def cases(paths):
    for path in paths:
        report = json.load(open(path))
        for c in report["cases"]:
            if c["label"] == "dropped" or c["status"] in FIXED:
                continue
            drops = c["status"] in DROP
            droppable = c["label"] not in ("carried", "needs-effort")
            yield path, drops, c["support"], c["confidence"], drops == droppable


def pav(points):
    """Isotonic fit of (x, y) points: blocks of [sum_x, sum_y, n], merged while they decrease."""
    blocks = []
    for x, y in sorted(points):
        blocks.append([x, float(y), 1])
        while len(blocks) > 1 and (
            blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]
            or blocks[-2][2] < MIN
        ):
            x2, y2, n2 = blocks.pop()
            blocks[-1][0] += x2
            blocks[-1][1] += y2
            blocks[-1][2] += n2
    if len(blocks) > 1 and blocks[-1][2] < MIN:
        x2, y2, n2 = blocks.pop()
        blocks[-1][0] += x2
        blocks[-1][1] += y2
        blocks[-1][2] += n2
    return [(sx / n, sy / n, n) for sx, sy, n in blocks]


def table(name, fit):
    print(f"pub const {name}: &[(f64, f64)] = &[")
    for x, y, n in fit:
        print(f"    ({x:.3}, {y:.3}), // {n} cases")
    print("];")


def reliability(rows, key):
    bands = [[0, 0] for _ in range(5)]
    for r in rows:
        b = min(int(r[key] * 5), 4)
        bands[b][0] += 1
        bands[b][1] += int(r[4])
    return "  ".join(
        f"{i / 5:.1f}-{(i + 1) / 5:.1f}: {right}/{n}" + (f" ({right / n:.2f})" if n else "")
        for i, (n, right) in enumerate(bands)
    )


def main():
    rows = list(cases(sys.argv[1:]))
    for name, drops in (("DROP", True), ("KEEP", False)):
        fit = pav([(r[2], r[4]) for r in rows if r[1] == drops])
        table(name, fit)
    print("\nreliability (band of printed confidence: right/cases)")
    print("pooled, confidence as printed:", reliability(rows, 3))
    print("pooled, support before calibration:", reliability(rows, 2))
    for path in sys.argv[1:]:
        mine = [r for r in rows if r[0] == path]
        print(f"{path}: {reliability(mine, 3)}")


if __name__ == "__main__":
    main()
