#!/usr/bin/env python3
"""Check a `kdelta rebase --json` plan against GNU patch applying the same queue for real.

usage: scripts/rebase-vs-patch.py PLAN.json QUEUE_DIR SCRATCH_TREE [--fuzz N]

SCRATCH_TREE is a copy of the target tree that this script CHANGES: every patch the plan
does not drop is applied to it, in the plan's (series) order, with
`patch -p1 -f -F N --no-backup-if-mismatch` (N = 2 by default; use 0 for a plan made with
`--no-fuzz`). Each patch's outcome is read from patch's messages:

  failed   a hunk FAILED, or a file to patch is missing  -> conflict or blocked
  fuzz     a hunk applied with fuzz                       -> keep-refreshed
  clean    otherwise (offsets allowed)                    -> keep

and compared with the plan's action. A plan's conflict where patch applies with fuzz is a
known, deliberate difference when its reason says the change is already there (patch would
apply it a second time elsewhere); such patches are listed apart.
Exit 0 when every patch agrees, 1 otherwise, 2 on a usage error.
"""
import json
import os
import re
import subprocess
import sys


def outcome(queue, name, tree, fuzz):
    with open(os.path.join(queue, name), "rb") as f:
        run = subprocess.run(
            ["patch", "-p1", "-f", f"-F{fuzz}", "--no-backup-if-mismatch", "-r", "-"],
            stdin=f,
            cwd=tree,
            capture_output=True,
            env=dict(os.environ, LC_ALL="C"),
        )
    said = (run.stdout + run.stderr).decode("utf-8", "replace")
    if re.search(r"FAILED|can't find file|No file to patch", said):
        return "failed", said
    if re.search(r"with fuzz \d", said):
        return "fuzz", said
    return "clean", said


def main():
    args = sys.argv[1:]
    fuzz = 2
    if "--fuzz" in args:
        i = args.index("--fuzz")
        fuzz = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    plan = json.load(open(args[0]))
    queue, tree = args[1], args[2]
    expect = {"failed": ("conflict", "blocked"), "fuzz": ("keep-refreshed",), "clean": ("keep",)}
    agree, deliberate, wrong = 0, [], []
    for step in plan:
        if step["action"].startswith("drop"):
            continue
        got, said = outcome(queue, step["name"], tree, fuzz)
        if step["action"] in expect[got]:
            agree += 1
        elif got == "fuzz" and any("already there" in w for w in step.get("why", [])):
            deliberate.append(step["name"])
        else:
            wrong.append((step["name"], step["action"], got, said.strip().splitlines()[-3:]))
    print(f"kept patches pushed: {agree + len(deliberate) + len(wrong)}; agree with patch -F{fuzz}: {agree}")
    for name in deliberate:
        print(f"  deliberate: {name}: patch applies it with fuzz, kdelta finds its change there")
    for name, action, got, said in wrong:
        print(f"  DISAGREE: {name}: kdelta {action}, patch {got}")
        for line in said:
            print(f"      {line}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
