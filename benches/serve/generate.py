"""Write a synthetic distribution for benches/serve.sh: an upstream tree of 250 files and a
quilt queue of N patches against it (each adds a line in its own region of a file; one in
ten is already in the tree), and a second queue carrying every other patch of the first
under other names plus some of its own, so that the common delta is large.

usage: generate.py DIR N
"""
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])
files, regions = 250, 15


def added(i):
    return f"int added_{i};"


def path(i):
    return f"drivers/bench/file{i % files:03d}.c"


def region(i):
    return (i // files) % 4


# The tree: every file has 4 regions of 15 lines; a patch in ten is already in it.
os.makedirs(os.path.join(out, "tree", "drivers", "bench"), exist_ok=True)
upstream = {i for i in range(n) if i % 10 == 0}
for f in range(files):
    lines = []
    for r in range(4):
        for l in range(regions):
            lines.append(f"int f{f}_r{r}_l{l};")
            if l == 6:
                for i in upstream:
                    if i % files == f and region(i) == r:
                        lines.append(added(i))
    with open(os.path.join(out, "tree", f"drivers/bench/file{f:03d}.c"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
with open(os.path.join(out, "tree", "Makefile"), "w") as fh:
    fh.write("VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n")


def patch(i, name_subject):
    f, r = i % files, region(i)
    # Line numbers of the region's lines 5-7 (1-based), before the patch.
    before = sum(1 for j in upstream if j % files == f and region(j) < r)
    start = r * regions + before + 5
    ctx = [f" int f{f}_r{r}_l{l};" for l in (4, 5, 6)]
    body = "\n".join(ctx + ["+" + added(i)])
    return (
        f"From: Bench Author {i % 37} <author{i % 37}@example.org>\n"
        f"Subject: [PATCH] {name_subject}\n\n"
        f"The change number {i}.\n\nSigned-off-by: Bench <bench@example.org>\n---\n"
        f"diff --git a/{path(i)} b/{path(i)}\n--- a/{path(i)}\n+++ b/{path(i)}\n"
        f"@@ -{start},3 +{start},4 @@\n{body}\n"
    )


def queue(name, members, prefix):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    series = []
    for k, i in enumerate(members):
        fname = f"{prefix}{k:04d}-bench-change-{i}.patch"
        with open(os.path.join(d, fname), "w") as fh:
            fh.write(patch(i, f"bench: change {i}"))
        series.append(fname)
    with open(os.path.join(d, "series"), "w") as fh:
        fh.write("\n".join(series) + "\n")


queue("big", list(range(n)), "")
queue("other", [i for i in range(n) if i % 2 == 0], "o")
