"""The merge driver: clones' reports on shared items merge without conflicts, in any order."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE, ROOT

SCRIPT = str(Path(sys.executable).parent / "safetylist")
ITEM, NOTED = "5.10.1", "4.15.2"  # 5.10.1 is given to 市、县应急管理局: 14 shares


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check)


def sl(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    run = subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run


def holders() -> list[str]:
    from safetylist.query import all_items
    from safetylist.registry import open_registry

    (view,) = [v for v in all_items(open_registry(FIXTURE)) if v.id == ITEM]
    return view.holders


DRIVER_LINE = "git config merge.safetylist.driver 'safetylist merge-file %O %A %B %P --marker-size %L'\n"
UNDONE = 5  # the clone that reports, takes its report back, and reports again


def day(n: int) -> str:
    """Four dates among the 14 clones: several departments report on the same day."""
    return f"2022-06-{10 + n % 4:02d}"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The office's repository, and 14 clones, one per share, each with its own reports."""
    top = tmp_path_factory.mktemp("merge")
    main = top / "main"
    shutil.copytree(FIXTURE, main / "data")
    shutil.copy(ROOT / ".gitattributes", main / ".gitattributes")
    (main / ".gitignore").write_text(".safetylist.lock\n", encoding="utf-8")
    git(main, "init", "-q", "-b", "main")
    git(main, "config", "user.email", "office@example.org")
    git(main, "config", "user.name", "office")
    git(main, "add", "-A")
    git(main, "commit", "-qm", "registry")
    names = holders()
    assert len(names) == 14
    for n, name in enumerate(names):
        clone = top / f"clone{n}"
        git(top, "clone", "-q", str(main), str(clone))
        git(clone, "config", "user.email", "clerk@example.org")
        git(clone, "config", "user.name", name)
        if n == UNDONE:  # a mistaken report, taken back the next day, then the real one
            sl(clone, "done", ITEM, "--by", name, "--date", day(n), "--note", "误报")
            sl(clone, "undo", ITEM, "--yes", "--by", name, "--date", "2022-06-14", "--note", "报错了")
        sl(clone, "done", ITEM, "--by", name, "--date", day(n), "--note", f"{name}已完成")
        sl(clone, "note", NOTED, f"{name}已阅", "--by", name, "--date", "2022-06-30")
        git(clone, "commit", "-qam", f"{name} reports")
    return top, names


def merged_in(top: Path, name: str, order: list[int]) -> Path:
    """The office's repository with the clones merged in, one by one, in ``order``; the
    office itself noted the item on a day the departments reported too."""
    repo = top / name
    git(top, "clone", "-q", str(top / "main"), str(repo))
    git(repo, "config", "user.email", "office@example.org")
    git(repo, "config", "user.name", "office")
    assert sl(repo, "install-git").stdout == DRIVER_LINE
    sl(repo, "note", ITEM, "请各县按期报送", "--by", "市政府安委办", "--date", day(1))
    git(repo, "commit", "-qam", "office notes")
    for n in order:
        git(repo, "fetch", "-q", str(top / f"clone{n}"), "main")
        run = subprocess.run(["git", "merge", "-q", "--no-edit", "FETCH_HEAD"], cwd=repo,
                             capture_output=True, text=True, env=ENV)
        assert run.returncode == 0, run.stdout + run.stderr
    return repo


ENV = {**os.environ, "PATH": f"{Path(SCRIPT).parent}{os.pathsep}{os.environ['PATH']}"}
NON_COAL = Path("data") / "tasks" / "05-non-coal-mine.yaml"
COAL = Path("data") / "tasks" / "04-coal-mine.yaml"


def test_fourteen_clones_merge_without_conflict_in_any_order(office):
    top, names = office
    forward = merged_in(top, "forward", list(range(14)))
    backward = merged_in(top, "backward", list(reversed(range(14))))
    assert (forward / NON_COAL).read_bytes() == (backward / NON_COAL).read_bytes()
    assert (forward / COAL).read_bytes() == (backward / COAL).read_bytes()

    shown = json.loads(sl(forward, "show", ITEM, "--as-of", "2022-06-30", "--format", "json").stdout)
    rec = shown["items"][0]
    assert (rec["status"], rec["shares_done"], rec["shares_total"]) == ("done", 14, 14)
    # Every report once, by date; on a day, by department (the same in any merge order); the
    # correction still names the report it takes back.
    reports = [(day(n), name, f"{name}已完成") for n, name in enumerate(names)]
    reports += [(day(UNDONE), names[UNDONE], "误报"), (day(1), "市政府安委办", "请各县按期报送")]
    history = rec["history"]
    assert [(h["date"], h["by"], h.get("note")) for h in history if h.get("kind") is None] == sorted(
        reports, key=lambda r: (r[0], r[1], r[2] != "误报"))
    (correction,) = [h for h in history if h.get("kind") == "correction"]
    assert correction == {"date": "2022-06-14", "by": names[UNDONE], "note": "报错了",
                          "kind": "correction", "undoes": correction["undoes"]}
    taken = history[correction["undoes"] - 1]
    assert (taken["note"], taken.get("taken_back")) == ("误报", True)
    assert sum(1 for h in history if h.get("taken_back")) == 1

    noted = json.loads(sl(forward, "show", NOTED, "--format", "json").stdout)["items"][0]
    assert sorted(h["note"] for h in noted["history"]) == sorted(f"{n}已阅" for n in names)
    assert sl(forward, "check").returncode == 0
    assert "<<<<<<<" not in (forward / NON_COAL).read_text(encoding="utf-8")


def test_a_true_conflict_is_marked_around_the_lines_that_differ(office, tmp_path):
    top, names = office
    repo = tmp_path / "repo"
    git(top, "clone", "-q", str(top / "main"), str(repo))
    git(repo, "config", "user.email", "office@example.org")
    git(repo, "config", "user.name", "office")
    sl(repo, "install-git")
    path = repo / COAL
    text = path.read_text(encoding="utf-8")
    old = "强化标准的监督执行"
    assert old in text
    git(repo, "checkout", "-q", "-b", "other")
    path.write_text(text.replace(old, "强化标准的监督执行和检查", 1), encoding="utf-8")
    sl(repo, "done", "4.1.1", "--by", "市应急管理局", "--date", "2022-06-15")
    git(repo, "commit", "-qam", "theirs")
    git(repo, "checkout", "-q", "main")
    path.write_text(text.replace(old, "加强标准的监督执行", 1), encoding="utf-8")
    sl(repo, "note", "4.16.1", "已部署", "--by", "市能源局", "--date", "2022-06-16")
    git(repo, "commit", "-qam", "ours")
    run = subprocess.run(["git", "merge", "--no-edit", "other"], cwd=repo, capture_output=True,
                         text=True, env=ENV)
    assert run.returncode == 1
    assert "data/tasks/04-coal-mine.yaml: conflict: item 4.1.1: text changed differently on both sides\n" in run.stderr
    merged = path.read_text(encoding="utf-8")
    rest = "，充分发挥标准对煤矿企业现场安全管理、煤矿安全管理、监管监察执法的支撑作用。\n"
    assert ("  - id: 4.1.1\n"
            "<<<<<<< ours\n"
            f"    text: 加强标准的监督执行{rest}"
            "=======\n"
            f"    text: 强化标准的监督执行和检查{rest}"
            ">>>>>>> theirs\n"
            "    status: in_progress\n"  # theirs' report, merged: one share done
            "    history:\n"
            "    - {date: 2022-06-15, status: done, by: 市应急管理局}\n"
            '- id: "4.2"\n') in merged
    assert merged.count("<<<<<<<") == 1
    assert "    - {date: 2022-06-16, by: 市能源局, note: 已部署}\n" in merged  # ours, kept


def test_fmt_derives_the_status_a_file_of_an_earlier_version_holds(runner, shipped_copy):
    """Before shares, one department's done closed a shared item: fmt migrates, and says so."""
    from safetylist.cli import app

    path = shipped_copy / "tasks" / "04-coal-mine.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  - id: 4.15.2\n"
    at = text.index("    status: not_started\n", text.index(old))
    path.write_text(text[:at] + "    status: done\n    history:\n"
                    "    - {date: 2022-06-15, status: done, by: 市应急管理局}\n"
                    + text[at + len("    status: not_started\n"):], encoding="utf-8")
    checked = runner.invoke(app, ["check", "--data", str(shipped_copy)])
    assert checked.exit_code == 1 and "item 4.15.2: status 'done' but its history says 'in_progress'" in checked.stderr
    fixed = runner.invoke(app, ["fmt", "--data", str(shipped_copy)])
    assert fixed.exit_code == 0, fixed.output
    assert ("warning: item 4.15.2: status 'done' but its history says 'in_progress'; fmt sets it to "
            "what the history and shares say") in fixed.stderr
    assert "  - id: 4.15.2\n" in path.read_text(encoding="utf-8")
    assert runner.invoke(app, ["check", "--data", str(shipped_copy)]).exit_code == 0
