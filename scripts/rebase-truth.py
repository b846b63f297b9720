#!/usr/bin/env python3
"""Score a `kdelta rebase --json` plan against what the distribution really did.

usage: scripts/rebase-truth.py PLAN.json OLD_QUEUE_DIR NEW_QUEUE_DIR [--list] [--written DIR]

OLD_QUEUE_DIR holds the patches the plan was made for; NEW_QUEUE_DIR the distribution's
queue after its own rebase, with a quilt `series` file. Each old patch is:

  dropped     when the new series does not name it, nor a new patch with the same
              Subject (a patch renamed, as Qubes renumbers its queue, is carried);
  unchanged   when the new file is byte for byte the old one;
  renumbered  when only hunk headers (`@@ -a,b +c,d @@ function`), `index` lines or the
              text before the first diff changed;
  refreshed   when hunks changed but not the lines they add and remove (context only);
  rewritten   when the lines a hunk adds or removes changed: a new version of the patch,
              which no tool predicts; counted apart.

Prints the issue's figures: dropped predicted drop-*, carried predicted drop-*, unchanged
predicted keep, renumbered predicted keep (an offset needs no refresh) and refreshed
predicted keep-refreshed or conflict. `--list` also prints every disagreement.
`--written DIR` (the queue `kdelta rebase -o DIR` wrote; its patches at the paths the old
queue has them, relative to OLD_QUEUE_DIR's place in that tree, found by name) compares
each patch kdelta refreshed with the distribution's own: the same hunks (lines, hunk
headers' numbers left aside) or not.
Exit 0, or 2 on a usage error.
"""
import json
import os
import re
import sys

HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@.*")


def body(data):
    """The diff part, hunk headers without their numbers, before any `-- ` signature."""
    lines = data.split(b"\n")
    start = next(
        (i for i, l in enumerate(lines) if l.startswith((b"--- ", b"diff --git "))), 0
    )
    end = next((i for i in range(len(lines) - 1, start - 1, -1) if lines[i] == b"-- "), len(lines))
    return [HUNK.sub(b"@@", l) for l in lines[start:end] if not l.startswith(b"index ")]


def subject(data):
    """The Subject header, unfolded, without [PATCH ...] tags."""
    m = re.search(rb"^Subject: (.*(?:\n[ \t].*)*)", data[:4096], re.M)
    if not m:
        return None
    text = re.sub(rb"\s+", b" ", m.group(1)).strip()
    return re.sub(rb"^(\[[^]]*\]\s*)+", b"", text) or None


def renamed(old_dir, new_dir, old_names, carried):
    """Old name -> new name, for patches the new series carries under another name."""
    fresh = {}
    for n in carried - old_names:
        p = os.path.join(new_dir, n)
        if os.path.isfile(p):
            s = subject(open(p, "rb").read())
            if s:
                fresh.setdefault(s, n)
    out = {}
    for n in old_names - carried:
        p = os.path.join(old_dir, n)
        s = subject(open(p, "rb").read()) if os.path.isfile(p) else None
        if s in fresh:
            out[n] = fresh[s]
    return out


def truth(name, old_dir, new_dir, carried, moves):
    new_name = name if name in carried else moves.get(name)
    if new_name is None:
        return "dropped"
    old = open(os.path.join(old_dir, name), "rb").read()
    new = open(os.path.join(new_dir, new_name), "rb").read()
    if old == new:
        return "unchanged"
    if body(old) == body(new):
        return "renumbered"
    return "refreshed" if changes(old) == changes(new) else "rewritten"


def changes(data):
    """The lines the diff adds and removes, in order."""
    return [l for l in body(data) if l[:1] in (b"+", b"-") and not l.startswith((b"+++", b"---"))]


def find(root, name):
    """The file of patch `name` under `root`: at any depth, the one whose path ends so."""
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            if p.endswith("/" + name):
                return p
    return None


def main():
    args = [a for a in sys.argv[1:] if a != "--list"]
    written = None
    if "--written" in args:
        i = args.index("--written")
        written = args[i + 1]
        del args[i : i + 2]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    plan_path, old_dir, new_dir = args
    plan = json.load(open(plan_path))
    with open(os.path.join(new_dir, "series")) as f:
        carried = {
            l.split()[0] for l in f if l.strip() and not l.lstrip().startswith("#")
        }
    moves = renamed(old_dir, new_dir, {s["name"] for s in plan}, carried)
    counts = {}
    wrong = []
    for step in plan:
        t = truth(step["name"], old_dir, new_dir, carried, moves)
        a = step["action"]
        counts.setdefault(t, {}).setdefault(a, 0)
        counts[t][a] += 1
        ok = {
            "dropped": a.startswith("drop"),
            "unchanged": a == "keep",
            "renumbered": a == "keep",
            "refreshed": a in ("keep-refreshed", "conflict"),
            "rewritten": True,
        }[t]
        if not ok:
            wrong.append((t, a, step["name"], step.get("why", [])[:2]))

    def n(t, pred=lambda a: True):
        return sum(v for a, v in counts.get(t, {}).items() if pred(a))

    drop = lambda a: a.startswith("drop")
    kinds = ("unchanged", "renumbered", "refreshed", "rewritten")
    carried_n = sum(n(t) for t in kinds)
    carried_drop = sum(n(t, drop) for t in kinds)
    judged = sum(n(t) - n(t, drop) for t in kinds[:3])
    agree = (
        n("unchanged", lambda a: a == "keep")
        + n("renumbered", lambda a: a == "keep")
        + n("refreshed", lambda a: a in ("keep-refreshed", "conflict"))
    )
    print(f"patches {len(plan)} ({len(moves)} carried under a new name)")
    for t in ("dropped",) + kinds:
        print(f"  {t:<11} {n(t):>4}  " + ", ".join(f"{a} {v}" for a, v in sorted(counts.get(t, {}).items())))
    print(f"dropped -> drop-*:            {n('dropped', drop)}/{n('dropped')}")
    print(f"carried -> drop-*:            {carried_drop}/{carried_n}")
    print(f"carried, action agrees:       {agree}/{judged}"
          " (unchanged/renumbered -> keep, refreshed -> keep-refreshed/conflict;"
          " rewritten and drop-* left out)")
    if written:
        same, total = 0, 0
        for step in plan:
            n = step["name"]
            if step["action"] != "keep-refreshed":
                continue
            new_name = n if n in carried else moves.get(n)
            ours = find(written, n)
            if new_name is None or ours is None:
                continue
            total += 1
            theirs = open(os.path.join(new_dir, new_name), "rb").read()
            ok = body(open(ours, "rb").read()) == body(theirs)
            same += ok
            if "--list" in sys.argv and not ok:
                print(f"refreshed differently: {n}")
        print(f"kdelta's refreshed patches equal to the distribution's: {same}/{total}"
              " (carried ones; same hunk lines, numbers aside)")
    if "--list" in sys.argv:
        for t, a, name, why in wrong:
            print(f"{t:<11} {a:<15} {name}")
            for w in why:
                print(f"{'':<28}{w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
