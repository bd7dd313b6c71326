"""Peak memory of `check` and of one `note` on a registry with one very large campaign file.

    python bench/memory.py --items 47000

Generates (bench/generate.py, all items in one file: about 19 MB for 47,000 items) and runs
each command in a child process: with the parse cache off (both parse the whole file), and
with a warm parse cache of its own (the default set-up, after a first run). The peak
resident set size comes from the kernel (wait4's ru_maxrss). POSIX only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402


def peak_mib(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024, proc.returncode  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=47000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "one-big-file")
    args = parser.parse_args()
    generate.ITEMS_PER_FILE = args.items
    generate.generate(args.items, args.out)
    (big,) = sorted((args.out / "tasks").glob("*.yaml"))
    size = big.stat().st_size / 1024 / 1024
    script = [sys.executable, "-m", "safetylist"]
    first = big.read_text(encoding="utf-8").split("  - id: ", 2)[1].split("\n", 1)[0]
    rows = [("check", [*script, "check", "--data", str(args.out)]),
            ("note", [*script, "note", first, "bench", "--date", "2022-06-01", "--data", str(args.out)])]
    print(f"one campaign file of {args.items} items, {size:.1f} MiB")
    print("| command | parse cache | peak RSS (MiB) | exit |")
    print("|---|---|---:|---:|")
    with tempfile.TemporaryDirectory() as cache:
        for label, env in (("off", {**os.environ, "SAFETYLIST_CACHE": "off"}),
                           ("warm", {**os.environ, "SAFETYLIST_CACHE": cache})):
            if label == "warm":
                peak_mib(rows[0][1], env)  # fills the cache
            for name, cmd in rows:
                if name == "note" and label == "warm":
                    peak_mib(rows[0][1], env)  # the last note changed the file: warm it again
                mib, code = peak_mib(cmd, env)
                print(f"| {name} | {label} | {mib:.0f} | {code} |")


if __name__ == "__main__":
    main()
