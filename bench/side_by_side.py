"""This tree against an earlier one, and both against Taskwarrior, in one interleaved run.

    git worktree add ../wt-base 486c3b8
    (cd ../wt-base && python3 -m venv .venv && .venv/bin/pip install -q -e .)
    .venv/bin/python bench/side_by_side.py --base ../wt-base --rounds 41

`due --dept 市应急管理局` with a warm parse cache, each tree through its own installed console
script, on the same registries: the earlier tree's shipped data/ (which both trees read) and
a synthetic registry of --items items (bench/generate.py; its reports name no department, as
the earlier tree knows them); today's data/ with this tree as well. Every round runs every row
once, in a shuffled order, so a machine busy with other work slows both trees alike; the
medians and their ratios are printed. Taskwarrior's equivalent report (as in bench/run.py) is
the third column.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import run as bench  # bench/run.py, beside this file
from generate import generate

AS_OF = "2022-06-01"


def due(tree: Path, data: Path) -> list[str]:
    return [str(tree / ".venv" / "bin" / "safetylist"), "due", "--dept", bench.DEPT, "--as-of", AS_OF,
            "--data", str(data)]


def records(tree: Path, data: Path) -> list[dict]:
    out = subprocess.run([str(tree / ".venv" / "bin" / "safetylist"), "list", "--format", "json",
                          "--as-of", AS_OF, "--data", str(data)], capture_output=True, text=True,
                         check=True, env={**os.environ, "SAFETYLIST_CACHE": "off"}).stdout
    return [{"id": r["id"], "text": r["text"], "departments": r["departments"], "status": r["status"],
             "deadline": r["deadline"], "campaign": r["campaign"],
             "recurring": r["recurrence"] is not None} for r in json.loads(out)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the earlier tree, with its own .venv")
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    trees = {"base": args.base.resolve(), "this": bench.ROOT}
    out = bench.OUT / "side-by-side"
    out.mkdir(parents=True, exist_ok=True)
    for tree in trees.values():  # byte code as an installed package has it
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "src" / "safetylist")], check=True)
    shipped, big = out / "shipped", out / f"reg-{args.items}"
    shutil.rmtree(shipped, ignore_errors=True)
    shutil.copytree(trees["base"] / "data", shipped)
    big_records = generate(args.items, big, shares=False)  # a registry both trees read
    rc = {"shipped": bench.taskwarrior_load(records(trees["this"], shipped), out / "task-shipped"),
          "big": bench.taskwarrior_load(big_records, out / "task-big")}
    report = ["status:pending", *bench.dept_filter(), "due.before:2099-01-01", "list"]

    rows: dict[str, tuple[list[str], dict[str, str]]] = {}
    for name, tree in trees.items():
        for reg, data in (("shipped", shipped), (f"{args.items}", big)):
            cache = out / f"cache-{name}-{reg}"
            shutil.rmtree(cache, ignore_errors=True)
            rows[f"{name} {reg}"] = (due(tree, data), bench._env(SAFETYLIST_CACHE=str(cache)))
    cache = out / "cache-this-live"
    shutil.rmtree(cache, ignore_errors=True)
    rows["this data/"] = (due(trees["this"], bench.ROOT / "data"), bench._env(SAFETYLIST_CACHE=str(cache)))
    if rc["shipped"] is not None and rc["big"] is not None:
        rows["task shipped"] = (["task", *report], bench.taskwarrior_env(rc["shipped"]))
        rows[f"task {args.items}"] = (["task", *report], bench.taskwarrior_env(rc["big"]))

    items = {}
    for label, (cmd, env) in rows.items():
        if label.startswith("task"):
            items[label] = bench.count_taskwarrior(rc["shipped" if "shipped" in label else "big"], *report[:-1])
            continue
        ids = subprocess.run([*cmd, "--format", "ids"], env=env, capture_output=True, text=True)
        if ids.returncode != 0:  # a refused registry must not be timed as if it were an answer
            raise SystemExit(f"{label}: exit {ids.returncode}: {ids.stderr[:300]}")
        items[label] = len(ids.stdout.split())
        subprocess.run(cmd, env=env, capture_output=True, check=True)  # fill the cache

    times: dict[str, list[float]] = {label: [] for label in rows}
    shuffle = random.Random(2022)
    for _ in range(args.rounds):
        order = list(rows)
        shuffle.shuffle(order)
        for label in order:
            times[label].append(bench.measure(*rows[label], runs=1)[0])

    median = {k: statistics.median(v) for k, v in times.items()}
    print(f"# {time.strftime('%Y-%m-%d')} · {platform.platform()} · {os.cpu_count()} cores · "
          f"Python {platform.python_version()} · load {os.getloadavg()[0]:.1f} · {args.rounds} rounds")
    for label in rows:
        print(f"{label:<16} median {median[label]:.3f} s  min {min(times[label]):.3f}  "
              f"max {max(times[label]):.3f}  {items[label]} items")
    for reg in ("shipped", f"{args.items}"):
        line = f"{reg}: this/base {median[f'this {reg}'] / median[f'base {reg}']:.3f}"
        if f"task {reg}" in median:
            line += "".join(f"; {n}/task {median[f'{n} {reg}'] / median[f'task {reg}']:.2f}"
                            for n in ("base", "this"))
        print(line)
    (out / "results.json").write_text(json.dumps({"times": times, "items": items}, indent=1),
                                      encoding="utf-8")


if __name__ == "__main__":
    main()
