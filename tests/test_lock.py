"""The registry lock: held across processes, gone with a killed holder, timed out with exit 4."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from safetylist import lock, store
from safetylist.cli import app
from safetylist.errors import LockTimeout, UsageError, WriteRefused

HOLDER = """
import sys, time
from pathlib import Path
from safetylist.lock import registry_lock
with registry_lock(Path(sys.argv[1]), timeout=5):
    print("held", flush=True)
    time.sleep(60)
"""


def hold(root: Path) -> subprocess.Popen:
    """Another process that takes the lock on ``root`` and keeps it until it is killed."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(root)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held", holder.stderr.read()
    return holder


def test_store_re_exports_the_lock():
    assert store.registry_lock is lock.registry_lock
    assert store.LOCK_NAME == ".safetylist.lock" and store.ENV_LOCK_TIMEOUT == "SAFETYLIST_LOCK_TIMEOUT"


def test_a_lock_held_by_another_process_times_out(tmp_path):
    holder = hold(tmp_path)
    try:
        started = time.monotonic()
        with pytest.raises(LockTimeout) as caught:
            with lock.registry_lock(tmp_path, timeout=0.3):
                pass
        assert 0.3 <= time.monotonic() - started < 2
        assert caught.value.exit_code == 4
        assert caught.value.message == (
            f"another safetylist process holds {tmp_path / '.safetylist.lock'} (waited 0.3 s); "
            "try again, or raise SAFETYLIST_LOCK_TIMEOUT")
    finally:
        holder.kill()
        holder.wait()


def test_a_holder_killed_with_sigkill_leaves_no_lock_behind(tmp_path):
    holder = hold(tmp_path)
    holder.send_signal(signal.SIGKILL)  # no handler, no clean-up: only the kernel releases it
    holder.wait()
    assert holder.returncode == -signal.SIGKILL
    started = time.monotonic()
    with lock.registry_lock(tmp_path, timeout=2):
        pass
    assert time.monotonic() - started < 0.5  # not waited out: free at once


def test_the_next_write_goes_through_after_a_killed_writer(shipped_copy):
    holder = hold(shipped_copy)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    run = subprocess.run([sys.executable, "-m", "safetylist", "done", "4.15.2", "--all", "--date", "2022-06-15",
                          "--data", str(shipped_copy)], capture_output=True, text=True,
                         env={**os.environ, "SAFETYLIST_LOCK_TIMEOUT": "1"})
    assert run.returncode == 0, run.stderr
    assert run.stdout == "4.15.2 done for every share (the office's decision) (市政府安委办)\n"


def test_one_process_cannot_take_the_lock_twice(tmp_path):
    with lock.registry_lock(tmp_path, timeout=0.1):
        with pytest.raises(LockTimeout):
            with lock.registry_lock(tmp_path, timeout=0.1):
                pass
    with lock.registry_lock(tmp_path, timeout=0.1):  # released on leaving the block
        pass


def test_the_lock_is_released_when_the_block_raises(tmp_path):
    with pytest.raises(RuntimeError):
        with lock.registry_lock(tmp_path, timeout=0.1):
            raise RuntimeError("boom")
    with lock.registry_lock(tmp_path, timeout=0.1):
        pass


@pytest.mark.parametrize("value, seconds", [(None, 30.0), ("", 30.0), ("  ", 30.0), ("0", 0.0),
                                            ("2.5", 2.5), (" 7 ", 7.0)])
def test_timeout_from_env(monkeypatch, value, seconds):
    if value is None:
        monkeypatch.delenv("SAFETYLIST_LOCK_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("SAFETYLIST_LOCK_TIMEOUT", value)
    assert lock.timeout_from_env() == seconds


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf", "30s"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_a_usage_error(monkeypatch, value):
    monkeypatch.setenv("SAFETYLIST_LOCK_TIMEOUT", value)
    with pytest.raises(UsageError) as caught:
        lock.timeout_from_env()
    assert caught.value.message == (
        f"SAFETYLIST_LOCK_TIMEOUT={value!r} is not a number of seconds; set it to one (such as 30), "
        "or unset it for the default of 30")


def test_an_invalid_timeout_stops_a_write_with_exit_2(shipped_copy):
    path = shipped_copy / "tasks" / "04-coal-mine.yaml"
    before = path.read_bytes()
    run = subprocess.run([sys.executable, "-m", "safetylist", "done", "4.15.2", "--all", "--data", str(shipped_copy)],
                         capture_output=True, text=True, env={**os.environ, "SAFETYLIST_LOCK_TIMEOUT": "abc"})
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    assert run.stderr == ("safetylist: error: SAFETYLIST_LOCK_TIMEOUT='abc' is not a number of seconds; "
                          "set it to one (such as 30), or unset it for the default of 30\n")
    assert path.read_bytes() == before


def test_a_held_lock_is_exit_4_through_the_cli(runner, shipped_copy, monkeypatch):
    monkeypatch.setenv("SAFETYLIST_LOCK_TIMEOUT", "0.2")
    path = shipped_copy / "tasks" / "04-coal-mine.yaml"
    before = path.read_bytes()
    with lock.registry_lock(shipped_copy, timeout=0.1):
        result = runner.invoke(app, ["done", "4.15.2", "--all", "--data", str(shipped_copy)])
    assert result.exit_code == 4, result.output
    assert "safetylist: error: another safetylist process holds" in result.stderr
    assert path.read_bytes() == before


@pytest.fixture(params=["posix", "windows"])
def lock_path(request, monkeypatch):
    """Each test of a refused lock runs on both paths: flock made here (Linux, macOS), and
    filelock's (Windows; its flock lock stands in for LockFileEx on this machine)."""
    monkeypatch.setattr(lock, "ON_WINDOWS", request.param == "windows")
    return request.param


def test_without_an_operating_system_lock_writes_are_refused(runner, shipped_copy, monkeypatch,
                                                             lock_path):
    """A lock that is only a file would outlive a killed writer: never fall back to one."""
    if lock_path == "posix":
        monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` fails
    else:
        import filelock

        monkeypatch.setattr(filelock, "has_fcntl", False)
    path = shipped_copy / "tasks" / "04-coal-mine.yaml"
    before = path.read_bytes()
    result = runner.invoke(app, ["done", "4.15.2", "--all", "--data", str(shipped_copy)])
    assert result.exit_code == 3, result.output
    assert "offers no file lock that ends with its process" in result.stderr
    assert path.read_bytes() == before
    with pytest.raises(WriteRefused):
        with lock.registry_lock(shipped_copy, timeout=0.1):
            pass


def test_an_unwritable_registry_folder_is_refused_with_exit_3(tmp_path, monkeypatch, lock_path):
    def cannot_open(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    if lock_path == "posix":
        monkeypatch.setattr(lock, "_open", cannot_open)
    else:
        import filelock

        monkeypatch.setattr(filelock.UnixFileLock, "acquire", cannot_open)
    with pytest.raises(WriteRefused, match=r"cannot open the lock file .*\.safetylist\.lock: "
                                           r"Permission denied; is the registry folder writable\?"):
        with lock.registry_lock(tmp_path, timeout=0.1):
            pass


@pytest.mark.parametrize("failure", [NotImplementedError("no flock"),  # filelock 3
                                     OSError(errno.ENOSYS, "Function not implemented"),  # 4, flock
                                     OSError(errno.EOPNOTSUPP, "Operation not supported"),
                                     OSError(errno.ENOLCK, "No locks available")])  # old NFS
def test_a_file_system_without_locks_is_refused_with_exit_3(tmp_path, monkeypatch, failure, lock_path):
    def unsupported(*args, **kwargs):
        raise failure

    if lock_path == "posix":
        if isinstance(failure, NotImplementedError):
            pytest.skip("filelock 3's way of saying it")
        import fcntl

        monkeypatch.setattr(fcntl, "flock", unsupported)
    else:
        if getattr(failure, "errno", None) in (errno.EOPNOTSUPP, errno.ENOLCK):
            pytest.skip("flock's way of saying it")
        import filelock

        monkeypatch.setattr(filelock.UnixFileLock, "acquire", unsupported)
    with pytest.raises(WriteRefused, match=r"the file system of .* does not support file locks; "
                                           r"keep the registry on a local disk; nothing was written"):
        with lock.registry_lock(tmp_path, timeout=0.1):
            pass


def test_the_lock_file_is_never_opened_through_a_symbolic_link(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me", encoding="utf-8")
    (tmp_path / lock.LOCK_NAME).symlink_to(target)
    with pytest.raises(WriteRefused, match=r"cannot open the lock file .*\.safetylist\.lock: .*; it must "
                                           r"be a plain file: remove what is there and run the command again"):
        with lock.registry_lock(tmp_path, timeout=0.1):
            pass
    assert target.read_text(encoding="utf-8") == "keep me"
