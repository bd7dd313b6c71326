"""`safetylist check`: every problem located, in one run, with the right exit code."""

from __future__ import annotations

from safetylist.cli import app

from conftest import DATA, MINI_CAMPAIGN, MINI_INFERRED


def run_check(runner, data):
    return runner.invoke(app, ["check", "--data", str(data)])


def lines(result):
    return [line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line]


def test_shipped_data_is_clean(runner):
    result = run_check(runner, DATA)
    assert result.exit_code == 0, result.output
    assert "0 error(s), 27 warning(s)" in result.stdout
    rows = [line.split() for line in result.stdout.splitlines()[2:16]]
    counts = [(r[0], r[-5], r[-4], r[-3], r[-2]) for r in rows]
    assert counts == [
        ("0", "3", "3", "3", "3"), ("1", "6", "6", "15", "15"), ("2", "24", "23", "28", "28"), ("3", "25", "25", "38", "38"),
        ("4", "30", "29", "61", "61"), ("5", "18", "17", "27", "27"), ("6", "27", "27", "29", "29"),
        ("7", "27", "27", "38", "39"), ("8", "20", "20", "35", "35"), ("9", "21", "17", "29", "24"),
        ("10", "12", "11", "20", "19"), ("11", "9", "9", "13", "13"), ("12", "8", "8", "13", "13"),
        ("13", "9", "9", "9", "9")]


def test_mini_registry_is_clean(runner, make_registry):
    result = run_check(runner, make_registry())
    assert result.exit_code == 0, result.output
    assert lines(result) == []
    assert "0 error(s), 0 warning(s)" in result.stdout


def test_departments_inferred_from_a_merged_cell_are_a_warning(runner, make_registry):
    result = run_check(runner, make_registry({"04-coal-mine.yaml": MINI_INFERRED}))
    assert result.exit_code == 0, result.output
    assert [line.split("tasks/", 1)[1] for line in lines(result)] == [
        "04-coal-mine.yaml:32:25: warning: task 4.3: departments inferred from a merged cell, to "
        "confirm (`safetylist assign` a department confirms them) [departments-inferred]"]


def test_yaml_syntax_error_is_located(runner, make_registry):
    bad = MINI_CAMPAIGN.replace("    text: 第二项\n", "    text: [第二项\n")
    result = run_check(runner, make_registry({"04-coal-mine.yaml": bad}))
    assert result.exit_code == 1
    (line,) = lines(result)
    assert line.split("tasks/", 1)[1] == (
        "04-coal-mine.yaml:18:11: error: YAML syntax: while parsing a flow sequence started at "
        "line 17: did not find expected ',' or ']' [syntax]")


def test_unknown_key_wrong_type_unknown_department_and_duplicate_id_in_one_run(runner, make_registry):
    bad = (MINI_CAMPAIGN
           .replace("    status: not_started\n", "    statuss: not_started\n", 1)
           .replace("- id: 4.2.1\n", "- id: 4.1.1\n")
           .replace("- 市应急管理局\n", "- 市应急管理\n"))
    bad2 = MINI_CAMPAIGN.replace("declared: {tasks: 2, items: 3}", "declared: {tasks: two, items: 3}")
    data = make_registry({"04-coal-mine.yaml": bad, "05-other.yaml": bad2.replace(
        "id: coal-mine\nnumber: 4", "id: other\nnumber: 5").replace('"4.', '"5.').replace(" 4.", " 5.")})
    result = run_check(runner, data)
    assert result.exit_code == 1
    got = [line.split("tasks/", 1)[1] for line in lines(result)]
    assert got == [
        "04-coal-mine.yaml:15:5: error: tasks[0].items[0]: unknown key 'statuss'; did you mean "
        "'status'? [schema]",
        "05-other.yaml:5:19: error: declared.tasks: Input should be a valid integer, unable to parse "
        "string as an integer [schema]",
    ]
    # The schema error stops that file; its other problems show once it validates.
    fixed = bad.replace("statuss", "status")
    (data / "tasks" / "05-other.yaml").unlink()
    data = make_registry({"04-coal-mine.yaml": fixed})
    result = run_check(runner, data)
    got = [line.split("tasks/", 1)[1] for line in lines(result)]
    assert got == [
        "04-coal-mine.yaml:11:5: error: unknown department '市应急管理'; did you mean "
        "市应急管理局、市、县应急管理局、孝义市应急管理局? [unknown-department]",
        "04-coal-mine.yaml:25:9: error: item id '4.1.1' does not match its place: expected '4.2.1' "
        "[item-id]",
        "04-coal-mine.yaml:25:9: error: duplicate id '4.1.1' [duplicate-id]",
    ]


def test_alias_in_a_task_file_names_the_canonical_name(runner, make_registry):
    data = make_registry({"04-coal-mine.yaml": MINI_CAMPAIGN.replace("- 市应急管理局\n", "- 市应急局\n")})
    result = run_check(runner, data)
    assert result.exit_code == 1
    assert lines(result)[0].endswith(
        "error: '市应急局' is an alias: write the canonical name '市应急管理局' [department-alias]")


def test_duplicate_keys_are_errors(runner, make_registry):
    bad = MINI_CAMPAIGN.replace("title: 煤矿安全专项整治\n", "title: 煤矿安全专项整治\ntitle: 另一个\n")
    result = run_check(runner, make_registry({"04-coal-mine.yaml": bad}))
    assert result.exit_code == 1
    assert lines(result)[0].split("tasks/", 1)[1] == (
        "04-coal-mine.yaml:4:1: error: duplicate key 'title' (first at line 3) [duplicate-key]")


def test_impossible_date_is_located(runner, make_registry):
    bad = MINI_CAMPAIGN.replace("2022-06-30", "2022-02-30")
    result = run_check(runner, make_registry({"04-coal-mine.yaml": bad}))
    assert result.exit_code == 1
    (line,) = lines(result)
    assert line.split("tasks/", 1)[1] == (
        "04-coal-mine.yaml:19:22: error: tasks[0].items[1].deadline.date: Input should be a valid "
        "date or datetime, day value is outside expected range [schema]")


def test_no_registry_found_is_a_usage_error(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SAFETYLIST_DATA", raising=False)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert result.stderr.startswith("safetylist: error: no registry found")
