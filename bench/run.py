"""Benchmark safetylist side by side with Taskwarrior, as whole processes.

    python bench/run.py                      # shipped registry and 20,000 items
    python bench/run.py --items 20000 --runs 7 --growth 1000,10000,100000

For each registry it times `due --dept`, `overdue`, `summary`, `update` of one item, `check`
and `export` of the ledger as xlsx (medians of --runs runs, whole processes, stdout to a
pipe), cold (no parse cache) and warm, and the equivalent filtered Taskwarrior report on the
same items, loaded into a Taskwarrior data folder of its own under bench/out/ (never the
user's). It prints the medians, the ratio safetylist / Taskwarrior, and the peak memory of
each. Taskwarrior (`task`, Debian package taskwarrior) is optional: without it the ratios are
left out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

DEPT = "市应急管理局"
def _dept_groups() -> list[str]:
    """What the city bureau sees: itself and every group it belongs to (as safetylist does)."""
    sys.path.insert(0, str(ROOT / "src"))
    from safetylist.registry import open_registry

    return sorted(open_registry(ROOT / "data").directory.visible("市应急管理局"))


DEPT_GROUPS = _dept_groups()

# Runs one command and prints its wall time and peak RSS (KiB), measured from a parent of its own.
MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=None)
dt = time.perf_counter() - t
if r.returncode not in (0, 1):
    sys.stderr.write(r.stderr.decode()); sys.exit(r.returncode)
print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _env(**extra: str) -> dict[str, str]:
    """The environment of a measured command: as a user's, with byte-code caching on."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def measure(cmd: list[str], env: dict[str, str], runs: int, before=None) -> tuple[float, int]:
    times, peak = [], 0
    for _ in range(runs):
        if before:
            before()
        out = subprocess.run([sys.executable, "-c", MEASURE, "x", *cmd], env=env,
                             capture_output=True, text=True, check=True).stdout.split()
        times.append(float(out[0]))
        peak = max(peak, int(out[1]))
    return statistics.median(times), peak


def safetylist_cmd(data: Path, *args: str) -> list[str]:
    exe = shutil.which("safetylist", path=str(Path(sys.executable).parent)) or "safetylist"
    return [exe, *args, "--data", str(data)]


# Taskwarrior ---------------------------------------------------------------------------


def taskwarrior_load(records: list[dict], folder: Path) -> Path | None:
    """Load the same items into a Taskwarrior data folder of its own; return its rc file."""
    task = shutil.which("task")
    if task is None:
        return None
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "data").mkdir(parents=True)
    rc = folder / "taskrc"
    rc.write_text("\n".join([
        f"data.location={folder / 'data'}", "confirmation=off", "verbose=nothing", "color=off",
        "gc=off", "hooks=off", "uda.depts.type=string", "uda.depts.label=Depts",
        "defaultwidth=200", "recurrence=off", "search.case.sensitive=yes", ""]), encoding="utf-8")
    tasks = []
    for r in records:
        status = "completed" if r["status"] == "done" and not r["recurring"] else "pending"
        t = {"description": r["text"], "project": f"c{r['campaign']}", "status": status,
             "entry": "20220101T000000Z", "due": r["deadline"].replace("-", "") + "T000000Z",
             "depts": "|".join(r["departments"])}
        if status == "completed":
            t["end"] = "20220601T000000Z"
        tasks.append(t)
    batch = folder / "import.json"
    batch.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(folder / "data")}
    subprocess.run([task, "import", str(batch)], env=env, check=True, capture_output=True)
    return rc


def taskwarrior_env(rc: Path) -> dict[str, str]:
    return _env(TASKRC=str(rc), TASKDATA=str(rc.parent / "data"))


def dept_filter() -> list[str]:
    return ["(", *" or ".join(f"depts.has:{d}" for d in DEPT_GROUPS).split(" "), ")"]


def count_taskwarrior(rc: Path, *filt: str) -> int:
    out = subprocess.run(["task", *filt, "count"], env=taskwarrior_env(rc), capture_output=True,
                         text=True, check=True).stdout
    return int(out.strip())


# The benchmark -------------------------------------------------------------------------


def bench_registry(name: str, data: Path, records: list[dict] | None, runs: int,
                   as_of: str, month: str, only: tuple[str, ...] = ()) -> list[dict]:
    rows = []
    cache = OUT / "cache" / name
    warm_env = _env(SAFETYLIST_CACHE=str(cache))
    cold_env = _env(SAFETYLIST_CACHE="off")
    shutil.rmtree(cache, ignore_errors=True)
    item = _first_item(data)
    commands = {
        "due --dept": ["due", "--dept", DEPT, "--as-of", as_of],
        # A county bureau's own shares: most of its work is 市、县应急管理局's, 14 shares an item.
        "due --dept, 14-way shares": ["due", "--dept", "孝义市应急管理局", "--as-of", as_of],
        "overdue": ["overdue", "--as-of", as_of],
        "summary": ["summary", "--month", month],
        "update one item": ["note", item, "bench", "--date", as_of],
        "check": ["check"],
        # The ledger for the departments (office formats): a whole workbook, a sheet a campaign.
        "export xlsx": ["export", "--format", "xlsx", "--output", str(OUT / f"ledger-{name}.xlsx"),
                        "--as-of", as_of],
    }
    if only:
        commands = {k: v for k, v in commands.items() if k in only}
    rc = taskwarrior_load(records, OUT / f"task-{name}") if records is not None else None
    tw_reports = {
        "due --dept": ["status:pending", *dept_filter(), "due.before:2099-01-01", "list"],
        "overdue": ["status:pending", f"due.before:{as_of}", "list"],
    }
    if rc is not None:
        # The same items answer the same question on both sides.
        ours = subprocess.run(safetylist_cmd(data, *commands["due --dept"], "--format", "ids"),
                              env=cold_env, capture_output=True, text=True, check=True).stdout.split()
        theirs = count_taskwarrior(rc, *tw_reports["due --dept"][:-1])
        rows.append({"registry": name, "command": "(check) due --dept items", "safetylist": len(ours),
                     "taskwarrior": theirs})
    for label, args in commands.items():
        cmd = safetylist_cmd(data, *args)
        cold, cold_mem = measure(cmd, cold_env, runs)
        subprocess.run(cmd, env=warm_env, capture_output=True)  # fill the cache
        warm, warm_mem = measure(cmd, warm_env, runs)
        row = {"registry": name, "command": label, "cold_s": cold, "warm_s": warm,
               "peak_kib": max(cold_mem, warm_mem)}
        if label == "update one item":
            row["files_changed"] = _files_changed(data, cmd, warm_env)
        if rc is not None and label in tw_reports:
            tw, tw_mem = measure(["task", *tw_reports[label]], taskwarrior_env(rc), runs)
            row.update({"taskwarrior_s": tw, "taskwarrior_peak_kib": tw_mem, "ratio_warm": warm / tw,
                        "ratio_cold": cold / tw})
        rows.append(row)
    return rows


def _first_item(data: Path) -> str:
    for path in sorted((data / "tasks").glob("*.yaml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("  - id: "):
                return line.split(": ", 1)[1]
    raise SystemExit(f"no item in {data}")


def _files_changed(data: Path, cmd: list[str], env: dict[str, str]) -> int:
    before = {p: p.read_bytes() for p in (data / "tasks").glob("*.yaml")}
    # A note of its own: the timed runs repeated one note, which a retry records only once.
    cmd = [("bench: files changed" if part == "bench" else part) for part in cmd]
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return sum(1 for p, b in before.items() if p.read_bytes() != b)


def print_table(rows: list[dict]) -> None:
    head = f"{'registry':<14} {'command':<26} {'cold s':>8} {'warm s':>8} {'task s':>8} " \
           f"{'warm/task':>9} {'cold/task':>9} {'peak MiB':>8} {'task MiB':>8}"
    print(head)
    for r in rows:
        if "cold_s" not in r:
            print(f"{r['registry']:<14} {r['command']:<26} safetylist {r['safetylist']} items, "
                  f"Taskwarrior {r['taskwarrior']} tasks")
            continue
        tw = f"{r['taskwarrior_s']:8.3f}" if "taskwarrior_s" in r else f"{'-':>8}"
        rw = f"{r['ratio_warm']:9.2f}" if "ratio_warm" in r else f"{'-':>9}"
        rcold = f"{r['ratio_cold']:9.2f}" if "ratio_cold" in r else f"{'-':>9}"
        tmem = f"{r['taskwarrior_peak_kib'] / 1024:8.1f}" if "taskwarrior_peak_kib" in r else f"{'-':>8}"
        extra = f"  ({r['files_changed']} file changed)" if "files_changed" in r else ""
        print(f"{r['registry']:<14} {r['command']:<26} {r['cold_s']:8.3f} {r['warm_s']:8.3f} {tw} "
              f"{rw} {rcold} {r['peak_kib'] / 1024:8.1f} {tmem}{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20000, help="0: the shipped registry only")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--growth", default="", help="comma-separated sizes for the growth table")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"# {time.strftime('%Y-%m-%d')} · {platform.platform()} · {os.cpu_count()} cores · "
          f"Python {platform.python_version()} · "
          + (subprocess.run(["task", "--version"], capture_output=True, text=True).stdout.strip()
             and f"Taskwarrior {subprocess.run(['task', '--version'], capture_output=True, text=True).stdout.strip()}"
             if shutil.which("task") else "Taskwarrior not installed"))
    # Byte code as an installed package has it (an editable install compiles on first use).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "safetylist")],
                   env=_env(), check=True)
    rows = []
    shipped = OUT / "shipped"
    shutil.rmtree(shipped, ignore_errors=True)
    shutil.copytree(ROOT / "data", shipped)
    records = _records_of(shipped)
    rows += bench_registry("shipped", shipped, records, args.runs, "2022-06-01", "2022-06")
    if args.items:
        big = OUT / f"reg-{args.items}"
        records = generate(args.items, big)
        rows += bench_registry(f"{args.items} items", big, records, args.runs, "2022-06-01", "2022-06")
    for n in [int(x) for x in args.growth.split(",") if x]:
        reg = OUT / f"reg-{n}"
        generate(n, reg)
        rows += bench_registry(f"{n} items", reg, None, max(3, args.runs // 2), "2022-06-01",
                               "2022-06", only=("due --dept", "check"))
    print_table(rows)
    (OUT / "results.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def _records_of(data: Path) -> list[dict]:
    """The shipped items as plain records, via the tool's own JSON."""
    out = subprocess.run(safetylist_cmd(data, "list", "--format", "json", "--as-of", "2022-06-01"),
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "SAFETYLIST_CACHE": "off"}).stdout
    return [{"id": r["id"], "text": r["text"], "departments": r["departments"], "status": r["status"],
             "deadline": r["deadline"], "campaign": r["campaign"], "recurring": r["recurrence"] is not None}
            for r in json.loads(out)]


if __name__ == "__main__":
    main()
