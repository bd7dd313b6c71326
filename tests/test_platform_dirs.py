"""The cache folder each platform expects, and the check that a folder is the user's own."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from safetylist.platform_dirs import private_folder_problem, user_cache_dir


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    return tmp_path / "home"


def test_windows_uses_localappdata(home, monkeypatch):
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\张三\AppData\Local")
    assert user_cache_dir("win32") == Path(r"C:\Users\张三\AppData\Local") / "safetylist" / "Cache"


def test_windows_without_localappdata_uses_the_profile(home):
    assert user_cache_dir("win32") == home / "AppData" / "Local" / "safetylist" / "Cache"


def test_macos_uses_library_caches(home, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "/elsewhere")  # not a macOS convention
    assert user_cache_dir("darwin") == home / "Library" / "Caches" / "safetylist"


def test_linux_uses_xdg_cache_home(home, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/clerk")
    assert user_cache_dir("linux") == Path("/var/cache/clerk/safetylist")


@pytest.mark.parametrize("value", [None, "", "relative/cache"])  # a relative one is ignored (XDG)
def test_linux_falls_back_to_dot_cache(home, monkeypatch, value):
    if value is not None:
        monkeypatch.setenv("XDG_CACHE_HOME", value)
    assert user_cache_dir("linux") == home / ".cache" / "safetylist"


def test_the_default_is_this_platform(home):
    assert user_cache_dir() == user_cache_dir(sys.platform)


def test_a_private_folder_has_no_problem(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    assert private_folder_problem(folder) is None
    os.chmod(folder, 0o755)  # readable by others is fine: only writing is a risk
    assert private_folder_problem(folder) is None


def test_a_folder_that_does_not_exist_yet_has_no_problem(tmp_path):
    assert private_folder_problem(tmp_path / "not-yet") is None


def test_a_world_writable_folder_is_a_problem(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    os.chmod(folder, 0o777)
    assert private_folder_problem(folder) == "is writable by every user (mode 777)"
    os.chmod(folder, 0o1777)  # sticky, like /tmp: others can still add entries
    assert private_folder_problem(folder) == "is writable by every user (mode 1777)"


def test_a_folder_owned_by_another_user_is_a_problem(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    owner = folder.stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    assert private_folder_problem(folder) == f"is owned by another user (uid {owner}, not {owner + 1})"


def test_a_folder_that_cannot_be_examined_is_a_problem(tmp_path, monkeypatch):
    def denied(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "stat", denied)
    assert private_folder_problem(tmp_path) == "cannot be examined: Permission denied"


def test_a_file_is_not_a_folder(tmp_path):
    path = tmp_path / "cache"
    path.write_text("x", encoding="utf-8")
    assert private_folder_problem(path) == "is not a folder"


def test_windows_skips_the_check_and_calls_nothing_posix(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir()
    os.chmod(folder, 0o777)
    monkeypatch.delattr(os, "geteuid")  # as on Windows
    assert private_folder_problem(folder, "win32") is None
