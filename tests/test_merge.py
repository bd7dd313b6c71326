"""The merge driver: clones' reports on shared items merge without conflicts, in any order."""

from __future__ import annotations

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
        sl(clone, "done", ITEM, "--by", name, "--date", f"2022-06-{10 + n:02d}", "--note", f"{name}已完成")
        sl(clone, "note", NOTED, f"{name}已阅", "--by", name, "--date", "2022-06-30")
        git(clone, "commit", "-qam", f"{name} reports")
    return top, names


def merged_in(top: Path, name: str, order: list[int]) -> Path:
    repo = top / name
    git(top, "clone", "-q", str(top / "main"), str(repo))
    git(repo, "config", "user.email", "office@example.org")
    git(repo, "config", "user.name", "office")
    assert sl(repo, "install-git").stdout == "git config merge.safetylist.driver 'safetylist merge-file %O %A %B %P'\n"
    env_path = f"{Path(SCRIPT).parent}:{__import__('os').environ['PATH']}"
    for n in order:
        git(repo, "fetch", "-q", str(top / f"clone{n}"), "main")
        run = subprocess.run(["git", "merge", "-q", "--no-edit", "FETCH_HEAD"], cwd=repo,
                             capture_output=True, text=True, env={**__import__("os").environ, "PATH": env_path})
        assert run.returncode == 0, run.stdout + run.stderr
    return repo


def test_fourteen_clones_merge_without_conflict_in_any_order(office):
    top, names = office
    forward = merged_in(top, "forward", list(range(14)))
    backward = merged_in(top, "backward", list(reversed(range(14))))
    path = Path("data") / "tasks" / "05-non-coal-mine.yaml"
    assert (forward / path).read_bytes() == (backward / path).read_bytes()
    coal = Path("data") / "tasks" / "04-coal-mine.yaml"
    assert (forward / coal).read_bytes() == (backward / coal).read_bytes()
    import json

    shown = json.loads(sl(forward, "show", ITEM, "--as-of", "2022-06-30", "--format", "json").stdout)
    rec = shown["items"][0]
    assert (rec["status"], rec["shares_done"], rec["shares_total"]) == ("done", 14, 14)
    assert sorted(h["by"] for h in rec["history"]) == sorted(names)
    noted = json.loads(sl(forward, "show", NOTED, "--format", "json").stdout)["items"][0]
    assert sorted(h["note"] for h in noted["history"]) == sorted(f"{n}已阅" for n in names)
    assert sl(forward, "check").returncode == 0
    assert "<<<<<<<" not in (forward / path).read_text(encoding="utf-8")


def test_a_true_conflict_is_marked_around_the_item_and_fails(office, tmp_path):
    top, names = office
    repo = tmp_path / "repo"
    git(top, "clone", "-q", str(top / "main"), str(repo))
    git(repo, "config", "user.email", "office@example.org")
    git(repo, "config", "user.name", "office")
    sl(repo, "install-git")
    path = repo / "data" / "tasks" / "04-coal-mine.yaml"
    text = path.read_text(encoding="utf-8")
    old = "强化标准的监督执行"
    assert old in text
    git(repo, "checkout", "-q", "-b", "other")
    path.write_text(text.replace(old, "强化标准的监督执行和检查", 1), encoding="utf-8")
    sl(repo, "done", "4.15.2", "--by", "市应急管理局", "--date", "2022-06-15")
    git(repo, "commit", "-qam", "theirs")
    git(repo, "checkout", "-q", "main")
    path.write_text(text.replace(old, "加强标准的监督执行", 1), encoding="utf-8")
    sl(repo, "note", "4.16.1", "已部署", "--by", "市能源局", "--date", "2022-06-16")
    git(repo, "commit", "-qam", "ours")
    env = {**__import__("os").environ, "PATH": f"{Path(SCRIPT).parent}:{__import__('os').environ['PATH']}"}
    run = subprocess.run(["git", "merge", "--no-edit", "other"], cwd=repo, capture_output=True,
                         text=True, env=env)
    assert run.returncode != 0
    merged = path.read_text(encoding="utf-8")
    assert merged.count("<<<<<<< ours") == 1 and merged.count(">>>>>>> theirs") == 1
    conflict = merged[merged.index("<<<<<<< ours"):merged.index(">>>>>>> theirs")]
    assert "  - id: 4.1.1\n" in conflict and "加强标准的监督执行" in conflict and "强化标准的监督执行和检查" in conflict
    outside = merged.replace(conflict, "")
    assert "    - {date: 2022-06-15, status: done, by: 市应急管理局}\n" in outside  # theirs, merged
    assert "    - {date: 2022-06-16, by: 市能源局, note: 已部署}\n" in outside  # ours, kept


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
