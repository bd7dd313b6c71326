"""The installed console script, as a user runs it: a real process for every command, and
what a warm run of ``due`` imports.

``cli.main`` hands typer an app holding only the command being run, and that trick leans on
the app's ``--version`` callback (without a callback a one-command app runs that command with
no name, and ``safetylist due --help`` would fail). CliRunner tests call ``app`` and never
see it, so these run the script pip installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from safetylist import __version__
from safetylist.cli import COMMAND_MODULE, MODULES, app

COMMANDS = sorted(typer.main.get_command(app).commands)


def script() -> str:
    found = shutil.which("safetylist", path=str(Path(sys.executable).parent))
    assert found, f"the console script is not installed next to {sys.executable} (pip install -e .)"
    return found


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SAFETYLIST_CACHE": str(tmp_path / "cache"), "COLUMNS": "100"}
    return subprocess.run([script(), *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)


def test_the_app_has_its_commands():
    assert len(COMMANDS) >= 20 and {"check", "due", "done", "summary"} <= set(COMMANDS)


def test_the_command_table_names_each_command_s_own_module():
    # main imports only the module the table names: a stale entry would cost a fallback.
    registered = {name: command.callback.__module__.rsplit(".", 1)[1]
                  for name, command in typer.main.get_command(app).commands.items()}
    assert registered == COMMAND_MODULE
    assert set(COMMAND_MODULE.values()) == set(MODULES)


def test_version(tmp_path):
    result = run(tmp_path, "--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"safetylist {__version__}\n", "")


def test_help_lists_every_command(tmp_path):
    result = run(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: safetylist [OPTIONS] COMMAND [ARGS]...\n"), result.stdout
    listed = {line.split()[0] for line in result.stdout.split("Commands:", 1)[1].splitlines()
              if line.startswith("  ") and not line.startswith("   ")}
    assert listed == set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_s_help(tmp_path, name):
    result = run(tmp_path, name, "--help")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith(f"Usage: safetylist {name} [OPTIONS]"), result.stdout
    assert f"Example: safetylist {name}" in result.stdout.replace("\n", " ")


# Runs the console script like the shell does, then leaves the names of the modules the run
# imported in a file. (sys.modules, not `python -X importtime`, which leaves out a module
# loaded through importlib.import_module, as `from dateutil import rrule` loads it.)
RECORD_MODULES = """
import json, runpy, sys
script, out, *args = sys.argv[1:]
sys.argv = [script, *args]
try:
    runpy.run_path(script, run_name="__main__")
finally:
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(sorted(sys.modules), fh)
"""
# What start-up must not pay for when the parse cache answers and the output is a pipe.
HEAVY = {"yaml", "_yaml", "pydantic", "pydantic_core", "openpyxl", "docx", "lxml", "opencc", "rich"}


def imported_by(tmp_path: Path, cache: Path, *args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    out = tmp_path / "modules.json"
    env = {**os.environ, "SAFETYLIST_CACHE": str(cache)}
    result = subprocess.run([sys.executable, "-c", RECORD_MODULES, script(), str(out), *args],
                            cwd=tmp_path, env=env, capture_output=True, text=True,
                            encoding="utf-8", timeout=60)
    return result, {name.split(".")[0] for name in json.loads(out.read_text(encoding="utf-8"))}


def test_due_from_a_warm_parse_cache_imports_no_heavy_module(tmp_path, shipped_copy):
    args = ("due", "--dept", "市应急管理局", "--as-of", "2022-06-01", "--data", str(shipped_copy))
    cache = tmp_path / "cache"
    cold, cold_modules = imported_by(tmp_path, cache, *args)
    assert cold.returncode == 0, cold.stderr
    assert {"yaml", "pydantic"} <= cold_modules  # files parsed and validated: the check sees them
    warm, warm_modules = imported_by(tmp_path, cache, *args)
    assert (warm.returncode, warm.stdout, warm.stderr) == (0, cold.stdout, "")
    assert warm_modules & HEAVY == set()


def test_a_run_imports_only_its_own_command_module(tmp_path, shipped_copy):
    args = ("due", "--dept", "市应急管理局", "--as-of", "2022-06-01", "--data", str(shipped_copy))
    out = tmp_path / "modules.json"
    env = {**os.environ, "SAFETYLIST_CACHE": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", RECORD_MODULES, script(), str(out), *args],
                            cwd=tmp_path, env=env, capture_output=True, text=True,
                            encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    commands = {n for n in json.loads(out.read_text(encoding="utf-8"))
                if n.startswith("safetylist.cli.") and n.rsplit(".", 1)[1] in MODULES}
    assert commands == {"safetylist.cli.ask"}


def test_a_write_leaves_the_file_it_wrote_in_the_parse_cache(tmp_path, shipped_copy):
    # The run after a report reads the file just written without parsing it again.
    cache = tmp_path / "cache"
    args = ("due", "--dept", "市应急管理局", "--as-of", "2022-06-01", "--data", str(shipped_copy))
    first, _ = imported_by(tmp_path, cache, *args)
    assert first.returncode == 0, first.stderr
    wrote, wrote_modules = imported_by(tmp_path, cache, "done", "4.15.2", "--by", "市应急管理局",
                                       "--date", "2022-05-20", "--data", str(shipped_copy))
    assert wrote.returncode == 0, wrote.stderr
    if sys.platform != "win32":  # the lock is flock, called by safetylist: no filelock to import
        assert "fcntl" in wrote_modules and "filelock" not in wrote_modules
    after, modules = imported_by(tmp_path, cache, *args)
    assert after.returncode == 0, after.stderr
    assert "4.15.2" not in after.stdout.split("\n", 1)[1].split() and "4.15.2" in first.stdout
    assert modules & HEAVY == set()
