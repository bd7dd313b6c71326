"""The README stays honest: every command has help and is documented, its example output is real."""

from __future__ import annotations

import re

from safetylist.cli import app

from conftest import DATA, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_names():
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands), group


def test_every_command_has_help_and_is_in_the_readme(runner):
    names, group = command_names()
    assert "check" in names and "due" in names
    for name in names:
        assert group.commands[name].help, name
        assert f"`safetylist {name}" in README, name
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example: safetylist " + name in result.stdout.replace("\n", " "), name


def test_readme_due_example_is_real_output(runner):
    block = README.split("$ safetylist due --dept 市应急管理局 --as-of 2022-06-01 | head -n 5\n", 1)[1]
    expected = block.split("```", 1)[0]
    result = runner.invoke(app, ["due", "--dept", "市应急管理局", "--as-of", "2022-06-01", "--data", str(DATA)])
    assert result.exit_code == 0
    assert "".join(result.stdout.splitlines(keepends=True)[:5]) == expected


def test_readme_names_the_ci_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = ".venv/bin/python -m pytest"
    assert command in ci and command in README
    assert re.search(r"safetylist check", ci)


def test_readme_summary_excerpt_is_real_output(runner):
    command = "$ safetylist summary --month 2022-06 --dept 市应急管理局 | sed -n '1,5p;24,29p'\n"
    expected = README.split(command, 1)[1].split("```", 1)[0]
    result = runner.invoke(app, ["summary", "--month", "2022-06", "--dept", "市应急管理局",
                                 "--data", str(DATA)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines(keepends=True)
    assert "".join(lines[0:5] + lines[23:29]) == expected
