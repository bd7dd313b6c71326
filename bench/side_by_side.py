"""This tree against an earlier one, and both against Taskwarrior, in one interleaved run.

    git worktree add ../wt-base 486c3b8
    (cd ../wt-base && python3 -m venv .venv && .venv/bin/pip install -q -e .)
    .venv/bin/python bench/side_by_side.py --base ../wt-base --rounds 41

`due --dept 市应急管理局`, `overdue`, `summary`, `check` and a `note` (a write), with a warm parse
cache, each tree through its own installed console script, on copies of the same registries:
the earlier tree's shipped data/ and a synthetic registry of --items items (bench/generate.py;
its reports name no department, as the earlier tree knows them); `due` on today's data/ with
this tree as well. Every round runs every row once, in a shuffled order, so a machine busy
with other work slows both trees alike; the medians and their ratios are printed, as a
Markdown table. Taskwarrior's equivalent report of `due --dept` (as in bench/run.py) is the
last column.
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


MONTH = "2022-05"


def commands(data: Path, item: str) -> dict[str, list[str]]:
    """The rows: every command of bench/run.py that both trees have, with the same arguments."""
    return {
        "due --dept": ["due", "--dept", bench.DEPT, "--as-of", AS_OF],
        "overdue": ["overdue", "--as-of", AS_OF],
        "summary": ["summary", "--month", MONTH],
        "check": ["check"],
        "note (a write)": ["note", item, "bench", "--date", AS_OF],
    }


def run_in(tree: Path, data: Path, args: list[str]) -> list[str]:
    return [str(tree / ".venv" / "bin" / "safetylist"), *args, "--data", str(data)]


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

    # label -> (command, environment); each tree reads (and writes) a copy of its own.
    rows: dict[str, tuple[list[str], dict[str, str]]] = {}
    regs = {"shipped": shipped, f"{args.items}": big}
    for name, tree in trees.items():
        for reg, source in regs.items():
            data = out / f"data-{name}-{reg}"
            shutil.rmtree(data, ignore_errors=True)
            shutil.copytree(source, data)
            cache = out / f"cache-{name}-{reg}"
            shutil.rmtree(cache, ignore_errors=True)
            env = bench._env(SAFETYLIST_CACHE=str(cache))
            for command, argv in commands(data, bench._first_item(data)).items():
                rows[f"{name} {reg} {command}"] = (run_in(tree, data, argv), env)
    cache = out / "cache-this-live"
    shutil.rmtree(cache, ignore_errors=True)
    rows["this data/ due --dept"] = (run_in(trees["this"], bench.ROOT / "data", commands(bench.ROOT, "")["due --dept"]),
                                     bench._env(SAFETYLIST_CACHE=str(cache)))
    if rc["shipped"] is not None and rc["big"] is not None:
        rows["task shipped due --dept"] = (["task", *report], bench.taskwarrior_env(rc["shipped"]))
        rows[f"task {args.items} due --dept"] = (["task", *report], bench.taskwarrior_env(rc["big"]))

    items = {}
    for label, (cmd, env) in rows.items():
        if label.startswith("task"):
            items[label] = bench.count_taskwarrior(rc["shipped" if "shipped" in label else "big"], *report[:-1])
            continue
        if "due --dept" in label:
            ids = subprocess.run([*cmd, "--format", "ids"], env=env, capture_output=True, text=True)
            if ids.returncode != 0:  # a refused registry must not be timed as if it were an answer
                raise SystemExit(f"{label}: exit {ids.returncode}: {ids.stderr[:300]}")
            items[label] = len(ids.stdout.split())
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)  # fill the cache
        if done.returncode not in (0, 1) or (done.returncode == 1 and "check" not in label):
            raise SystemExit(f"{label}: exit {done.returncode}: {done.stderr[:300]}")

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
    print("| registry | command | release s | this tree s | this / release | this / task |")
    print("|---|---|---:|---:|---:|---:|")
    for reg in regs:
        for command in commands(shipped, ""):
            base, this = median[f"base {reg} {command}"], median[f"this {reg} {command}"]
            task = median.get(f"task {reg} {command}")
            shown = f"{this / task:.2f}" if task else "-"
            count = f" ({items[f'base {reg} {command}']} and {items[f'this {reg} {command}']} items)" \
                if command == "due --dept" else ""
            print(f"| {reg} | {command}{count} | {base:.3f} | {this:.3f} | **{this / base:.2f}** | {shown} |")
    for reg in regs:
        label = f"task {reg} due --dept"
        if label in median:
            print(f"Taskwarrior, {reg}: {median[label]:.3f} s ({items[label]} items); release / task "
                  f"{median[f'base {reg} due --dept'] / median[label]:.2f}")
    print(f"this tree, today's data/: due --dept {median['this data/ due --dept']:.3f} s "
          f"({items['this data/ due --dept']} items)")
    (out / "results.json").write_text(json.dumps({"times": times, "items": items}, indent=1),
                                      encoding="utf-8")


if __name__ == "__main__":
    main()
