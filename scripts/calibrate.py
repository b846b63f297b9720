#!/usr/bin/env python3
"""Fit kdelta's confidence calibration (crates/analysis/src/calibration.rs).

usage: scripts/calibrate.py EVAL.json [EVAL.json ...]

Each file is the output of `kdelta eval SPEC --tree T [--later SPEC] [--labels TSV] --json`.
Every labelled case carries the support of its verdict before calibration and whether the
status was right (a drop call on a droppable label, a keep call on a still-needed one).
Labels from a later queue that dropped a patch ("dropped") are left out: a distribution
drops patches for reasons other than upstream having them, so they are not ground truth.
Calls of fixed confidence (in-progress, downstream-only, unknown) are left out too.

The labelled sets are dominated by patches with a recorded upstream commit (a SUSE queue
is mostly backports), so the share of right calls depends on that mix more than on the
verdict. Cases are weighed so that droppable and still-needed labels count half each
(the confidence is then the chance of being right when either is as likely). The fit is
isotonic regression (pool adjacent violators) of "right" on support, weighted, for drop
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
            yield path, drops, c["support"], c["confidence"], drops == droppable, droppable


def pav(points):
    """Weighted isotonic fit of (x, y, w) points: blocks of [sum_wx, sum_wy, sum_w, n],
    merged while their means decrease or the earlier one has fewer than MIN cases."""
    blocks = []

    def merge():
        b = blocks.pop()
        for i in range(4):
            blocks[-1][i] += b[i]

    for x, y, w in sorted(points):
        blocks.append([w * x, w * y, w, 1])
        while len(blocks) > 1 and (
            blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]
            or blocks[-2][3] < MIN
        ):
            merge()
    if len(blocks) > 1 and blocks[-1][3] < MIN:
        merge()
    return [(wx / w, wy / w, n) for wx, wy, w, n in blocks]


def wilson_low(p, n, z=1.96):
    """The lower end of the 95% Wilson interval of a share p over n cases."""
    if n == 0:
        return 0.0
    centre = p + z * z / (2 * n)
    spread = z * ((p * (1 - p) + z * z / (4 * n)) / n) ** 0.5
    return max(0.0, (centre - spread) / (1 + z * z / n))


def table(name, fit):
    """The fitted blocks as Rust, each share lowered to what its case count supports
    (Wilson, 95%), then kept non-decreasing from the top down."""
    points = [(x, wilson_low(y, n), n, y) for x, y, n in fit]
    for i in range(len(points) - 2, -1, -1):
        x, y, n, raw = points[i]
        points[i] = (x, min(y, points[i + 1][1]), n, raw)
    print(f"pub const {name}: &[(f64, f64)] = &[")
    for x, y, n, raw in points:
        print(f"    ({x:.3}, {y:.3}), // {n} cases, {raw:.3} right")
    print("];")


def reliability(rows, key, weight=None):
    """Per band of confidence: cases, right ones, and the weighted share right."""
    bands = [[0, 0, 0.0, 0.0] for _ in range(5)]
    for r in rows:
        b = min(int(r[key] * 5), 4)
        w = weight[r[5]] if weight else 1.0
        bands[b][0] += 1
        bands[b][1] += int(r[4])
        bands[b][2] += w * int(r[4])
        bands[b][3] += w
    return "  ".join(
        f"{i / 5:.1f}-{(i + 1) / 5:.1f}: {right}/{n}" + (f" ({wr / w:.2f})" if n else "")
        for i, (n, right, wr, w) in enumerate(bands)
    )


def main():
    rows = list(cases(sys.argv[1:]))
    droppable = sum(1 for r in rows if r[5])
    needed = len(rows) - droppable
    weight = {True: 0.5 / max(droppable, 1), False: 0.5 / max(needed, 1)}
    print(f"// {len(rows)} cases: {droppable} droppable, {needed} still needed, weighed half each")
    for name, drops in (("DROP", True), ("KEEP", False)):
        fit = pav([(r[2], float(r[4]), weight[r[5]]) for r in rows if r[1] == drops])
        table(name, fit)
    print("\nreliability (band: right/cases (share right, droppable and needed weighed half each))")
    print("pooled, confidence as printed:", reliability(rows, 3, weight))
    print("pooled, support before calibration:", reliability(rows, 2, weight))
    for path in sys.argv[1:]:
        mine = [r for r in rows if r[0] == path]
        print(f"{path}: {reliability(mine, 3)}")


if __name__ == "__main__":
    main()
