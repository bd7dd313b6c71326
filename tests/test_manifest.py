"""The registry manifest: nothing goes missing from tasks/ without `check` saying so."""

from __future__ import annotations

import shutil

import pytest

from safetylist.cli import app
from safetylist.manifest import dump_manifest
from safetylist.registry import load_manifest

from conftest import FIXTURE


@pytest.fixture
def reg(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    return data


def check(runner, data):
    result = runner.invoke(app, ["check", "--data", str(data)])
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    return result.exit_code, errors


def test_the_fixture_matches_its_manifest(runner, reg):
    code, errors = check(runner, reg)
    assert (code, errors) == (0, [])


def test_the_manifest_is_in_its_canonical_layout(reg):
    located, problems = load_manifest(reg)
    assert problems == []
    assert dump_manifest(located.manifest) == (reg / "registry.yaml").read_text(encoding="utf-8")
    assert located.manifest.period.start.isoformat() == "2022-01-01"
    assert located.manifest.notice == "吕安办发〔2022〕19号"


def test_a_deleted_campaign_file_is_an_error(runner, reg):
    (reg / "tasks" / "13-metallurgy.yaml").unlink()
    code, errors = check(runner, reg)
    assert code == 1
    assert len(errors) == 1 and errors[0].startswith(f"{reg}/registry.yaml:")
    assert ": error: campaign file " in errors[0] and "13-metallurgy.yaml is listed but missing; restore it" in errors[0]


def test_a_renamed_campaign_file_is_an_error_that_names_both(runner, reg):
    (reg / "tasks" / "13-metallurgy.yaml").rename(reg / "tasks" / "13-metallurgy.YAML")
    code, errors = check(runner, reg)
    assert code == 1 and len(errors) == 2
    assert "13-metallurgy.yaml is listed but missing; " in errors[0]
    assert "13-metallurgy.YAML looks like it, renamed: give it its listed name back" in errors[0]
    assert errors[1].endswith("13-metallurgy.YAML:1:1: error: not listed in registry.yaml: list it "
                              "under campaigns (number, id, file, index), or move it out of tasks/ "
                              "[unlisted-file]")


def test_an_unlisted_file_is_an_error(runner, reg):
    (reg / "tasks" / "notes.txt").write_text("x", encoding="utf-8")
    code, errors = check(runner, reg)
    assert code == 1 and len(errors) == 1 and "notes.txt:1:1: error: not listed in registry.yaml" in errors[0]


def remove_item(path, item_id, next_id):
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {item_id}\n")
    end = text.index(f"  - id: {next_id}\n") if next_id else text.index("\n- id:", start) + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")


def test_a_removed_item_is_an_error_unless_recorded(runner, reg):
    path = reg / "tasks" / "04-coal-mine.yaml"
    remove_item(path, "4.15.5", None)  # the task's last item: ids elsewhere stay in place
    code, errors = check(runner, reg)
    assert code == 1 and len(errors) == 1
    assert errors[0].endswith("04-coal-mine.yaml:1:1: error: item 4.15.5 is gone from task 4.15; restore "
                              "it, or record its removal: removed: [{id: 4.15.5, reason: …}] "
                              "[file-matches-index]")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tasks:\n", "removed:\n- {id: 4.15.5, reason: 与4.15.4重复}\ntasks:\n", 1),
                    encoding="utf-8")
    assert check(runner, reg) == (0, [])
    result = runner.invoke(app, ["fmt", "--check", "--data", str(reg)])
    assert result.exit_code == 0, result.output


def test_a_removed_middle_item_keeps_the_others_ids(runner, reg):
    path = reg / "tasks" / "04-coal-mine.yaml"
    remove_item(path, "4.15.2", "4.15.3")
    code, errors = check(runner, reg)
    assert code == 1 and [e.split(": error: ")[1] for e in errors] == [
        "item 4.15.2 is gone from task 4.15; restore it, or record its removal: "
        "removed: [{id: 4.15.2, reason: …}] [item-gone]"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tasks:\n", "removed:\n- {id: 4.15.2, reason: 并入4.15.1}\ntasks:\n", 1),
                    encoding="utf-8")
    assert check(runner, reg) == (0, [])
    result = runner.invoke(app, ["done", "4.15.3", "--all", "--date", "2022-05-01", "--data", str(reg)])
    assert result.exit_code == 0, result.output


def test_a_removed_task_is_an_error_unless_recorded(runner, reg):
    path = reg / "tasks" / "13-metallurgy.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index('- id: "13.9"\n')
    path.write_text(text[:start], encoding="utf-8")
    code, errors = check(runner, reg)
    assert code == 1 and len(errors) == 1
    assert "error: task 13.9 (1 item(s)) is gone from the file; restore it, or record its removal" in errors[0]


def test_a_removal_needs_a_reason(runner, reg):
    path = reg / "tasks" / "04-coal-mine.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tasks:\n", 'removed:\n- {id: 4.15.5, reason: " "}\ntasks:\n', 1),
                    encoding="utf-8")
    code, errors = check(runner, reg)
    assert code == 1 and "error: removal of 4.15.5: say why it was removed" in errors[0]


def test_a_registry_without_a_manifest_still_loads_with_one_warning(runner, reg):
    (reg / "registry.yaml").unlink()
    result = runner.invoke(app, ["check", "--data", str(reg)])
    assert result.exit_code == 0, result.output
    assert (f"{reg}/registry.yaml:1:1: warning: no registry.yaml: the registry has no manifest, so a "
            "missing campaign file or a removed task cannot be detected") in result.stderr


def test_a_manifest_listing_a_campaign_that_holds_another_is_an_error(runner, reg):
    path = reg / "registry.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  id: metallurgy\n", "  id: metal\n"),
                    encoding="utf-8")
    code, errors = check(runner, reg)
    assert code == 1 and ("13-metallurgy.yaml: listed as campaign 13 'metal', but the file holds "
                          "campaign 13 'metallurgy'") in errors[0]
