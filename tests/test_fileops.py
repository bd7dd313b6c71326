"""Replacing files as Windows allows: a file held open by another program, folders that
cannot be opened. Windows' failures are simulated here (the tests run on Linux)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from safetylist import fileops, store
from safetylist.cli import app
from safetylist.errors import WriteRefused


def sharing_violation() -> PermissionError:
    """What os.replace raises on Windows while another process has the target open."""
    exc = PermissionError(13, "The process cannot access the file because it is being used "
                              "by another process")
    exc.winerror = 32  # set by CPython on Windows only
    return exc


class HeldOpen:
    """os.replace failing with a sharing violation ``times`` times, then the real one;
    only for ``target`` when given (the parse cache's own replaces go through)."""

    def __init__(self, times: int, target: Path | None = None):
        self.times, self.target, self.calls = times, target, 0
        self.real = os.replace

    def __call__(self, src, dst):
        if self.target is not None and Path(dst) != self.target:
            return self.real(src, dst)
        self.calls += 1
        if self.calls <= self.times:
            raise sharing_violation()
        return self.real(src, dst)


def test_held_open_knows_the_windows_codes():
    assert fileops.held_open(sharing_violation())
    denied = PermissionError(13, "Access is denied")
    denied.winerror = 5
    assert fileops.held_open(denied)
    assert not fileops.held_open(PermissionError(13, "Permission denied"))  # POSIX: no retry
    assert not fileops.held_open(FileNotFoundError(2, "No such file"))


def test_a_file_held_open_briefly_is_replaced_after_retries(tmp_path, monkeypatch):
    target = tmp_path / "04-coal-mine.yaml"
    target.write_text("old\n", encoding="utf-8")
    held = HeldOpen(times=3)
    monkeypatch.setattr(fileops.os, "replace", held)
    store.atomic_write(target, "new\n")
    assert held.calls == 4
    assert target.read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["04-coal-mine.yaml"]  # no .tmp left


def test_a_file_held_open_too_long_is_refused_and_left_unchanged(tmp_path, monkeypatch):
    target = tmp_path / "04-coal-mine.yaml"
    target.write_bytes(b"old\n")
    held = HeldOpen(times=10**6)
    monkeypatch.setattr(fileops.os, "replace", held)
    started = time.monotonic()
    with pytest.raises(WriteRefused) as caught:
        fileops.replace_file(_tmp(tmp_path, "new\n"), target, patience=0.3)
    assert 0.3 <= time.monotonic() - started < 1.5
    assert held.calls > 2  # it did retry
    assert caught.value.exit_code == 3
    assert "another program has it open" in caught.value.message
    assert "the file is unchanged" in caught.value.message
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["04-coal-mine.yaml"]


def test_other_replace_failures_are_refused_at_once(tmp_path, monkeypatch):
    target = tmp_path / "f.yaml"
    target.write_bytes(b"old\n")

    def fails(src, dst):
        raise PermissionError(13, "Permission denied")  # POSIX: no .winerror, no retry

    monkeypatch.setattr(fileops.os, "replace", fails)
    started = time.monotonic()
    with pytest.raises(WriteRefused, match=r"cannot write .*f\.yaml: Permission denied; the file is unchanged"):
        fileops.replace_file(_tmp(tmp_path, "new\n"), target)
    assert time.monotonic() - started < 0.2
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["f.yaml"]


def test_done_on_a_file_held_open_exits_3_and_changes_nothing(runner, shipped_copy, monkeypatch):
    path = shipped_copy / "tasks" / "04-coal-mine.yaml"
    before = path.read_bytes()
    monkeypatch.setattr(fileops, "PATIENCE", 0.2)
    held = HeldOpen(times=10**6, target=path)
    monkeypatch.setattr(fileops.os, "replace", held)
    result = runner.invoke(app, ["done", "4.15.2", "--all", "--data", str(shipped_copy)])
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    assert "safetylist: error: cannot replace" in result.stderr
    assert "Close it and run the command again; the file is unchanged" in result.stderr
    assert held.calls > 2
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_folder_fsync_is_skipped_on_windows(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(fileops.os, "open", lambda *a, **k: opened.append(a) or 0)
    monkeypatch.setattr(fileops, "ON_WINDOWS", True)
    fileops.fsync_folder(tmp_path)
    assert opened == []
    monkeypatch.setattr(fileops, "ON_WINDOWS", False)
    monkeypatch.setattr(fileops.os, "fsync", lambda fd: None)
    monkeypatch.setattr(fileops.os, "close", lambda fd: None)
    fileops.fsync_folder(tmp_path)
    assert opened == [(tmp_path, os.O_RDONLY)]


def test_a_folder_that_cannot_be_opened_does_not_stop_a_write(tmp_path, monkeypatch):
    real_open = os.open

    def windows_open(path, flags, *args):
        if os.path.isdir(path):
            raise PermissionError(13, "Permission denied")  # Windows: folders cannot be opened
        return real_open(path, flags, *args)

    monkeypatch.setattr(fileops.os, "open", windows_open)
    target = tmp_path / "f.yaml"
    target.write_text("old\n", encoding="utf-8")
    store.atomic_write(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"


def _tmp(folder: Path, text: str) -> Path:
    tmp = folder / ".f.yaml.123.tmp"
    tmp.write_text(text, encoding="utf-8")
    return tmp
