"""Writes with real git and real processes: small diffs, clean merges, no lost updates."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from safetylist.errors import LockTimeout
from safetylist.registry import open_registry
from safetylist.store import registry_lock

from conftest import DATA, ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def sl(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "safetylist", *args], cwd=cwd,
                            capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a copy of the shipped registry."""
    root = tmp_path / "office"
    shutil.copytree(DATA, root / "data")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "clerk@example.org")
    git(root, "config", "user.name", "clerk")
    git(root, "config", "diff.safetylist.xfuncname", "^ *- id: .*$")
    shutil.copy(ROOT / ".gitattributes", root / ".gitattributes")
    (root / ".gitignore").write_text(".safetylist.lock\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "registry")
    return root


def test_done_changes_only_that_items_lines(repo):
    before = (repo / "data/tasks/04-coal-mine.yaml").read_text(encoding="utf-8").splitlines()
    at = before.index("  - id: 4.15.2") + 1  # 1-based line of the item
    sl(repo, "done", "4.15.2", "--date", "2022-06-15", "--by", "市应急管理局")
    assert git(repo, "diff", "--numstat") == "3\t1\tdata/tasks/04-coal-mine.yaml\n"
    diff = git(repo, "diff", "-U0")
    hunks = [line for line in diff.splitlines() if line.startswith("@@")]
    status = at + 2  # id, text, status
    assert hunks == [f"@@ -{status} +{status},3 @@   - id: 4.15.2"]  # the hunk header names the item
    lines = (repo / "data/tasks/04-coal-mine.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[at - 1] == "  - id: 4.15.2" and lines[at + 4] == "  - id: 4.15.3"


def test_commit_option_makes_one_commit_with_the_message(repo):
    sl(repo, "done", "4.15.2", "--date", "2022-06-15", "--by", "市应急管理局", "--note", "已验收", "--commit")
    assert git(repo, "log", "-1", "--format=%s") == "4.15.2 done (市应急管理局): 已验收\n"
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "show", "--numstat", "--format=").strip() == "3\t1\tdata/tasks/04-coal-mine.yaml"


def test_two_branches_updating_different_tasks_merge_cleanly(repo):
    git(repo, "checkout", "-q", "-b", "county")
    sl(repo, "done", "4.15.5", "--date", "2022-06-15", "--by", "市应急管理局", "--commit")
    git(repo, "checkout", "-q", "main")
    sl(repo, "start", "4.16", "--date", "2022-06-16", "--by", "市能源局", "--commit")
    sl(repo, "done", "4.14.3", "--all", "--date", "2022-06-17", "--commit")
    out = subprocess.run(["git", "merge", "--no-edit", "county"], cwd=repo, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    got = sl(repo, "list", "--campaign", "4", "--status", "done", "--status", "in_progress",
             "--format", "ids").stdout.split()
    assert got == ["4.14.3", "4.15.5", "4.16.1"]
    assert sl(repo, "check").returncode == 0
    assert sl(repo, "fmt", "--check").returncode == 0


def test_twenty_concurrent_updates_lose_nothing(repo):
    registry = open_registry(repo / "data")
    items = [i.id for c in registry.campaigns if c.number == 4 for t in c.tasks for i in t.items][:20]
    procs = [subprocess.Popen([sys.executable, "-m", "safetylist", "note", ident, f"并发 {n}",
                               "--date", "2022-06-01"], cwd=repo,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n, ident in enumerate(items)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    got = sl(repo, "log", "--format", "ids").stdout.split()
    assert sorted(got) == sorted(items)
    assert sl(repo, "check").returncode == 0


def test_a_lock_held_elsewhere_times_out_with_exit_4(repo):
    data = repo / "data"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from pathlib import Path; from safetylist.store import registry_lock\n"
         "with registry_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)", str(data)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        env_run = subprocess.run([sys.executable, "-m", "safetylist", "done", "4.15.2", "--all"], cwd=repo,
                                 capture_output=True, text=True,
                                 env={**__import__("os").environ, "SAFETYLIST_LOCK_TIMEOUT": "0.3"})
        assert env_run.returncode == 4
        assert "another safetylist process holds" in env_run.stderr
    finally:
        holder.kill()
        holder.wait()
    # The killed holder's lock is gone with it: the next run goes through.
    sl(repo, "done", "4.15.2", "--all")


def test_the_lock_is_not_reentrant_and_is_free_again_after_its_block(tmp_path):
    # A second take in the same process times out (no silent nesting); leaving frees it.
    with registry_lock(tmp_path, timeout=0.1):
        with pytest.raises(LockTimeout):
            with registry_lock(tmp_path, timeout=0.1):
                pass
    with registry_lock(tmp_path, timeout=0.1):
        pass


def test_several_files_are_written_all_or_nothing(tmp_path, monkeypatch):
    import datetime as dt

    from safetylist import store
    from safetylist.errors import WriteRefused

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    registry = open_registry(data)
    before = {p.name: p.read_bytes() for p in (data / "tasks").glob("*.yaml")}
    day = dt.date(2022, 6, 15)
    prepared = [store.prepare(registry, 3, store.record("3.3.1", "done", None, None, day)),
                store.prepare(registry, 4, store.record("4.15.2", "done", None, None, day))]
    real = store.atomic_write

    def disk_full_on_the_second(path, text, newline="\n"):
        if path.name == "04-coal-mine.yaml" and text == prepared[1].new_text:
            raise WriteRefused("cannot write data/tasks/04-coal-mine.yaml: No space left on device")
        real(path, text, newline)

    monkeypatch.setattr(store, "atomic_write", disk_full_on_the_second)
    with pytest.raises(WriteRefused, match="the files written before it were restored, nothing was recorded"):
        store.write_prepared(prepared)
    assert {p.name: p.read_bytes() for p in (data / "tasks").glob("*.yaml")} == before
    monkeypatch.setattr(store, "atomic_write", real)
    store.write_prepared(prepared)
    for p in prepared:
        assert p.new_text != p.text and p.path.read_text(encoding="utf-8") == p.new_text
