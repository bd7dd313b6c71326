"""Stand-ins for Windows, run on Linux: no Windows machine runs these tests.

What they prove: the package calls nothing POSIX-only on the paths Windows reaches (a
static scan, and real runs with ``fcntl`` unavailable and POSIX-only calls made to fail);
output to narrow encodings (cp936, ascii) never crashes; ``--output`` is UTF-8 whatever the
locale; a ``core.autocrlf=true`` clone gets the registry with LF; a data folder under a
path with Chinese characters and spaces works; PowerShell completion is offered. What
they cannot prove: filelock's Windows lock (LockFileEx, the lock's Windows path) and Windows' own os.replace are
exercised only by their own projects' tests on Windows.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, MINI_CAMPAIGN, ROOT

SCRIPT = Path(sys.executable).with_name("safetylist")  # the console script pip installed
PACKAGE = ROOT / "src" / "safetylist"
# Cleared for each run, so that only what a test sets decides the encoding.
LOCALE_VARIABLES = ("PYTHONIOENCODING", "PYTHONUTF8", "PYTHONCOERCECLOCALE", "LC_ALL", "LC_CTYPE", "LANG")


def script(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
           ) -> subprocess.CompletedProcess:
    """The installed console script, as a clerk runs it; output kept as bytes."""
    assert SCRIPT.is_file(), f"{SCRIPT} is missing: install the package (pip install -e .)"
    base = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    return subprocess.run([str(SCRIPT), *args], cwd=cwd, capture_output=True, env={**base, **(env or {})})


# Nothing POSIX-only ------------------------------------------------------------------------

POSIX_MODULES = ("fcntl", "pwd", "grp", "termios", "tty", "pty", "resource", "syslog")
POSIX_ONLY = ("getuid", "geteuid", "getgid", "getegid", "getgroups", "fchmod", "fchown", "chown",
              "lchown", "fork", "setsid", "killpg", "getpgid", "sync", "mkfifo", "mknod",
              "statvfs", "fstatvfs", "uname", "nice", "getloadavg", "fchdir")
POSIX_FLAGS = ("O_NOFOLLOW", "O_DIRECTORY", "O_CLOEXEC", "O_NONBLOCK", "O_NOCTTY", "O_SYNC",
               "O_DSYNC", "O_NOATIME", "O_PATH", "O_TMPFILE")
POSIX_SIGNALS = ("SIGKILL", "SIGHUP", "SIGALRM", "SIGCHLD", "SIGUSR1", "SIGUSR2", "SIGPIPE",
                 "SIGQUIT", "SIGSTOP", "SIGCONT", "SIGTSTP")
# Each use allowed here is behind a platform check, and tested on both sides of it.
ALLOWED = {("platform_dirs.py", "os.geteuid"), ("lock.py", "import fcntl")}


def test_the_package_names_nothing_posix_only():
    modules = "|".join(POSIX_MODULES)
    pattern = re.compile(
        rf"^\s*(?:import|from)\s+(?:{modules})\b"
        rf"|\bos\.(?:{'|'.join(POSIX_ONLY)})\b"
        rf"|\bos\.(?:{'|'.join(POSIX_FLAGS)})\b"
        rf"|\bsignal\.(?:{'|'.join(POSIX_SIGNALS)}|alarm|pause|setitimer|siginterrupt)\b", re.M)
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 15
    found = {(path.name, m.group().strip()) for path in sources
             for m in pattern.finditer(path.read_text(encoding="utf-8"))}
    assert found == ALLOWED


# Runs the console script's main() in a process made to fail as Windows would on anything
# POSIX-only that safetylist's own code does: `import fcntl` (and the other POSIX modules)
# fails, POSIX-only os functions raise, os.open on a folder raises PermissionError, and
# os.replace of a file this process still has open fails with a sharing violation. The lock
# takes its Windows path (filelock), imported first: filelock's Unix lock (flock) stands in
# for its Windows one (LockFileEx).
WINDOWS_LIKE = f"""
import builtins, os, sys
import filelock
assert filelock.has_fcntl
import safetylist.lock
safetylist.lock.ON_WINDOWS = True
sys.modules["fcntl"] = None  # from here on `import fcntl` fails, as on Windows
POSIX_MODULES, POSIX_ONLY = {set(POSIX_MODULES)!r}, {POSIX_ONLY!r}
trips = []

def ours(namespace):
    return (namespace or {{}}).get("__name__", "").partition(".")[0] == "safetylist"

real_import = builtins.__import__

def windows_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and ours(globals) and name.partition(".")[0] in POSIX_MODULES:
        trips.append(f"import {{name}} in {{globals['__name__']}}")
        raise ImportError(f"No module named {{name!r}}")
    return real_import(name, globals, locals, fromlist, level)

builtins.__import__ = windows_import

def posix_only(name, real):
    def call(*args, **kwargs):
        caller = sys._getframe(1).f_globals
        # platform_dirs calls geteuid only after its own sys.platform == "win32" guard, which
        # this harness (still on Linux) cannot take: the static scan (ALLOWED) covers it.
        if ours(caller) and (caller["__name__"], name) != ("safetylist.platform_dirs", "geteuid"):
            trips.append(f"os.{{name}} in {{caller['__name__']}}")
            raise AttributeError(f"module 'os' has no attribute {{name!r}}")
        return real(*args, **kwargs)
    return call

for name in POSIX_ONLY:
    if hasattr(os, name):
        setattr(os, name, posix_only(name, getattr(os, name)))

real_open, real_replace = os.open, os.replace

def windows_open(path, flags, *args, **kwargs):
    if ours(sys._getframe(1).f_globals) and os.path.isdir(path):
        raise PermissionError(13, "Permission denied", str(path))  # folders cannot be opened
    return real_open(path, flags, *args, **kwargs)

def open_here():
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.add(os.path.realpath(os.readlink(f"/proc/self/fd/{{fd}}")))
        except OSError:
            pass
    return found

def windows_replace(src, dst):
    held = open_here() & {{os.path.realpath(src), os.path.realpath(dst)}}
    if ours(sys._getframe(1).f_globals) and held:
        trips.append(f"os.replace while this process holds {{sorted(held)}} open")
        exc = PermissionError(13, "The process cannot access the file", str(dst))
        exc.winerror = 32
        raise exc
    return real_replace(src, dst)

os.open, os.replace = windows_open, windows_replace

code = 0
try:
    if sys.argv[1] == "--selftest":  # the harness itself: each of these must trip
        for snippet in ("import fcntl", "import pwd", "os.getuid()", "os.fchmod(0, 0o600)"):
            try:
                exec(snippet, {{"__name__": "safetylist.selftest", "os": os}})
            except (ImportError, AttributeError):
                pass
    else:
        from safetylist.cli import main
        sys.argv = ["safetylist", *sys.argv[1:]]
        main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
finally:
    sys.stderr.write("".join(f"TRIP: {{t}}\\n" for t in trips))
sys.exit(code)
"""


def windows_like(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WINDOWS_LIKE, *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_the_windows_like_harness_catches_posix_calls():
    run = windows_like("--selftest")
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == [
        "TRIP: import fcntl in safetylist.selftest", "TRIP: import pwd in safetylist.selftest",
        "TRIP: os.getuid in safetylist.selftest", "TRIP: os.fchmod in safetylist.selftest"]


COMMANDS = {
    "check": (["check"], "14 campaigns: declared vs present\n"),
    "due": (["due", "--dept", "市应急管理局", "--as-of", "2022-06-01"],
            "due: 197 item(s) for 市应急管理局 as of 2022-06-01 (2 overdue)\n"),
    "done": (["done", "4.15.2", "--date", "2022-06-15", "--by", "市应急管理局", "--note", "已验收"],
             "4.15.2 done (市应急管理局): 已验收\n"),
    "assign": (["assign", "2.4", "--dept", "市应急管理局", "--date", "2022-06-15"],
               "2.4 assigned 市应急管理局\n"),
    "fmt": (["fmt"], "0 of 14 file(s) reformatted\n"),
    "summary": (["summary", "--month", "2022-06", "--output", "report.md"], ""),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_commands_run_with_fcntl_unavailable_and_posix_calls_failing(shipped_copy, name):
    args, expected = COMMANDS[name]
    path = shipped_copy / "tasks" / "04-coal-mine.yaml"
    before = path.read_bytes()
    run = windows_like(*args, "--data", str(shipped_copy), cwd=shipped_copy.parent)
    assert run.returncode == 0, run.stderr
    assert "TRIP:" not in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert ": error:" not in run.stderr, run.stderr
    if name == "summary":
        assert run.stderr == "wrote report.md\n"
        report = (shipped_copy.parent / "report.md").read_text(encoding="utf-8")
        assert report.startswith("# 安全生产专项整治三年行动 月度汇总 2022-06\n")
    else:
        assert run.stdout.startswith(expected), run.stdout[:300]
    changed = path.read_bytes() != before
    assert changed == (name == "done")


def test_the_harness_catches_a_replace_of_a_file_still_open(shipped_copy):
    """Windows refuses to replace a file that is open; so does the harness (which would
    catch a write that kept the campaign file open while replacing it)."""
    target = shipped_copy / "x.yaml"
    target.write_text("old\n", encoding="utf-8")
    code = ("import sys; from pathlib import Path; from safetylist import fileops\n"
            "p = Path(sys.argv[1]); tmp = p.with_name('x.tmp'); tmp.write_text('new')\n"
            "with open(p, 'rb'):\n    fileops.replace_file(tmp, p, patience=0.1)\n")
    harness = WINDOWS_LIKE.replace("from safetylist.cli import main", f"exec({code!r})") \
                          .replace("main()", "pass")
    run = subprocess.run([sys.executable, "-c", harness, str(target)], capture_output=True, text=True)
    assert "TRIP: os.replace while this process holds" in run.stderr
    assert "cannot replace" in run.stderr and run.returncode == 1
    assert target.read_text(encoding="utf-8") == "old\n"


# Text in and out -----------------------------------------------------------------------------

SNOWMAN = "\u2603"  # in neither GBK nor ascii


@pytest.fixture
def odd_registry(make_registry) -> Path:
    assert SNOWMAN.encode("gbk", "replace") == b"?"
    return make_registry({"04-coal-mine.yaml": MINI_CAMPAIGN.replace("text: 第一项", f"text: 第一项 {SNOWMAN}")})


@pytest.mark.parametrize("encoding, shown", [
    ("cp936", "第一项 \\u2603".encode("gbk")),
    ("ascii", b"\\u7b2c\\u4e00\\u9879 \\u2603"),
    ("utf-8", f"第一项 {SNOWMAN}".encode()),
])
def test_output_to_a_narrow_encoding_escapes_what_it_cannot_hold(odd_registry, encoding, shown):
    run = script("show", "4.1.1", "--data", str(odd_registry), env={"PYTHONIOENCODING": encoding})
    assert run.returncode == 0, run.stderr
    assert run.stderr == b""
    assert shown in run.stdout
    table = script("list", "--data", str(odd_registry), env={"PYTHONIOENCODING": encoding})
    assert table.returncode == 0, table.stderr
    assert shown in table.stdout


@pytest.mark.parametrize("encoding, shown", [("cp936", "市应急管理".encode("gbk")),
                                             ("ascii", b"\\u5e02\\u5e94\\u6025\\u7ba1\\u7406")])
def test_errors_to_a_narrow_encoding_are_one_line_not_a_traceback(odd_registry, encoding, shown):
    run = script("due", "--dept", "市应急管理", "--data", str(odd_registry), env={"PYTHONIOENCODING": encoding})
    assert run.returncode == 2
    assert run.stdout == b""
    assert b"Traceback" not in run.stderr and len(run.stderr.splitlines()) == 1
    assert run.stderr.startswith(b"safetylist: error: ")
    assert shown in run.stderr


@pytest.mark.parametrize("utf8_mode", ["1", "0"])  # 0: the C locale's own ascii encoding
def test_the_c_locale_never_crashes(odd_registry, utf8_mode):
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": utf8_mode, "PYTHONCOERCECLOCALE": "0"}
    run = script("show", "4.1.1", "--data", str(odd_registry), env=env)
    assert run.returncode == 0, run.stderr
    assert run.stderr == b""
    expected = f"第一项 {SNOWMAN}".encode() if utf8_mode == "1" else b"\\u7b2c\\u4e00\\u9879 \\u2603"
    assert expected in run.stdout


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "cp936"}, {"PYTHONIOENCODING": "ascii"},
                                 {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}])
def test_output_files_are_utf8_whatever_the_locale(tmp_path, env):
    out = tmp_path / "报告 2022-06.md"
    run = script("summary", "--month", "2022-06", "--output", str(out), "--data", str(DATA), env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout == b""
    text = out.read_bytes().decode("utf-8")  # strict: fails on any other encoding
    assert text.startswith("# 安全生产专项整治三年行动 月度汇总 2022-06\n")
    assert "| 204 | 市应急管理局 | 197 | 0 | 0 | 2 | 0.0% |\n" in text and "\r" not in text


# Line endings ----------------------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def origin_repo(root: Path, attributes: bool) -> Path:
    shutil.copytree(DATA, root / "data")
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")  # ignores the lock file
    if attributes:
        shutil.copy(ROOT / ".gitattributes", root / ".gitattributes")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.email=office@example.org", "-c", "user.name=office", "commit", "-qm", "registry")
    return root


def autocrlf_clone(origin: Path, dest: Path) -> Path:
    """A clone as on a Windows PC with git's default core.autocrlf=true."""
    git(origin.parent, "-c", "core.autocrlf=true", "clone", "-q", "-c", "core.autocrlf=true",
        str(origin), str(dest))
    git(dest, "config", "user.email", "clerk@example.org")
    git(dest, "config", "user.name", "clerk")
    return dest


def registry_yaml(data: Path) -> list[Path]:
    files = [data / "departments.yaml", data / "registry.yaml", *sorted((data / "tasks").glob("*.yaml"))]
    assert len(files) == 16 and all(f.is_file() for f in files)
    return files


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@needs_git
def test_an_autocrlf_clone_checks_the_registry_out_with_lf_and_writes_stay_small(tmp_path):
    clone = autocrlf_clone(origin_repo(tmp_path / "origin", attributes=True), tmp_path / "clone")
    for path in registry_yaml(clone / "data"):
        assert b"\r" not in path.read_bytes(), path.name
    run = script("done", "4.15.2", "--date", "2022-06-15", "--by", "市应急管理局", cwd=clone)
    assert run.returncode == 0, run.stderr
    assert git(clone, "diff", "--numstat") == "3\t1\tdata/tasks/04-coal-mine.yaml\n"
    assert git(clone, "status", "--porcelain") == " M data/tasks/04-coal-mine.yaml\n"


@needs_git
def test_without_the_attributes_an_autocrlf_clone_would_get_crlf(tmp_path):
    """What .gitattributes prevents (and proof that the test above can fail)."""
    clone = autocrlf_clone(origin_repo(tmp_path / "origin", attributes=False), tmp_path / "clone")
    assert b"\r\n" in (clone / "data" / "tasks" / "04-coal-mine.yaml").read_bytes()


def test_gitattributes_declares_every_registry_yaml_lf():
    lines = (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()
    rules = {line.split()[0]: line.split()[1:] for line in lines if line and not line.startswith("#")}
    assert rules["data/tasks/*.yaml"] == ["text", "eol=lf", "diff=safetylist", "merge=safetylist"]
    assert rules["data/*.yaml"] == ["text", "eol=lf"]


# Folders ----------------------------------------------------------------------------------------


def test_a_data_folder_under_chinese_characters_and_spaces(tmp_path):
    office = tmp_path / "吕梁市 应急管理局" / "安全 台账 2022"
    shutil.copytree(DATA, office / "data")
    env = {"PYTHONIOENCODING": "utf-8"}
    check = script("check", cwd=office, env=env)  # finds data/ from the current folder
    assert check.returncode == 0, check.stderr
    due = script("due", "--dept", "市应急管理局", "--as-of", "2022-06-01", cwd=office, env=env)
    assert due.returncode == 0, due.stderr
    assert due.stdout.decode().startswith("due: 197 item(s) for 市应急管理局 as of 2022-06-01 (2 overdue)\n")
    done = script("done", "4.15.2", "--by", "市应急管理局", "--date", "2022-06-15", "--note", "已验收",
                  "--data", str(office / "data"), cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == "4.15.2 done (市应急管理局): 已验收\n"
    log = script("log", "4.15.2", "--format", "ids", cwd=office / "data" / "tasks", env=env)
    assert log.returncode == 0, log.stderr
    assert log.stdout.decode() == "4.15.2\n"
    assert sorted(p.name for p in (office / "data").iterdir()) == [
        ".safetylist.lock", "departments.yaml", "registry.yaml", "tasks"]


# Shell completion -------------------------------------------------------------------------------


@pytest.mark.parametrize("shell, marker", [
    ("pwsh", "Register-ArgumentCompleter -Native -CommandName safetylist"),
    ("powershell", "Register-ArgumentCompleter -Native -CommandName safetylist"),
    ("bash", "complete -o default -F _safetylist_completion safetylist"),
    ("zsh", "compdef _safetylist_completion safetylist"),
    ("fish", "complete --command safetylist"),
])
def test_show_completion_prints_each_shells_script(shell, marker):
    # typer's switch to name the shell instead of detecting the one it runs in
    run = script("--show-completion", shell, env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert run.returncode == 0, run.stderr
    assert marker in run.stdout.decode()


def test_powershell_completion_offers_departments_and_ids():
    def complete(line: str, word: str) -> list[str]:
        run = script(env={"_SAFETYLIST_COMPLETE": "complete_powershell", "_TYPER_COMPLETE_ARGS": line,
                          "_TYPER_COMPLETE_WORD_TO_COMPLETE": word, "SAFETYLIST_DATA": str(DATA),
                          "PYTHONIOENCODING": "utf-8"})
        assert run.returncode == 0, run.stderr
        return [row.split(":::")[0] for row in run.stdout.decode().splitlines()]

    assert complete("safetylist due --dept 孝义市应急", "孝义市应急") == ["孝义市应急管理局"]
    assert complete("safetylist show 4.15.", "4.15.") == ["4.15.1", "4.15.2", "4.15.3", "4.15.4", "4.15.5"]
