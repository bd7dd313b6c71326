"""The monthly summary: numbers that agree with the listings, exact sections, stable bytes."""

from __future__ import annotations

import json
import textwrap
from collections import Counter

import pytest

from safetylist.cli import app

from conftest import DATA, MINI_DEPARTMENTS, ROOT

GOLDEN = ROOT / "tests" / "golden"

HISTORY_CAMPAIGN = textwrap.dedent("""\
    id: coal-mine
    number: 4
    title: 煤矿安全专项整治
    heading: 四、煤矿安全专项整治（3条6项）
    declared: {tasks: 3, items: 6}
    source: test
    default_deadline: 2022-12-31
    tasks:
    - id: "4.1"
      departments:
      - 市应急管理局
      items:
      - id: 4.1.1
        text: 已完成的一项
        status: done
        history:
        - {date: 2022-06-10, status: done, by: 市应急管理局, note: 已验收}
      - id: 4.1.2
        text: 逾期的一项
        status: in_progress
        deadline: {date: 2022-05-31, text: 2022年5月底前}
        history:
        - {date: 2022-05-02, status: in_progress, by: 市应急管理局}
    - id: "4.2"
      departments:
      - {name: 市能源局, role: lead}
      - 市、县应急管理局
      items:
      - id: 4.2.1
        text: 受阻的一项 | 含竖线
        status: blocked
        history:
        - {date: 2022-06-20, status: blocked, by: 市能源局, note: 资金未到位}
      - id: 4.2.2
        text: 四月完成的一项
        status: in_progress
        history:
        - {date: 2022-04-01, status: done, by: 孝义市应急管理局}
      - id: 4.2.3
        text: 有备注的一项
        status: not_started
        history:
        - {date: 2022-06-05, by: 市能源局, note: 设备未到货, problem: true}
    - id: "4.3"
      departments: []
      source_note: no department
      items:
      - id: 4.3.1
        text: 下月到期的一项
        status: not_started
        deadline: {date: 2022-07-15, text: 2022年7月15日前}
    """)

DEPARTMENTS = MINI_DEPARTMENTS.replace("- name: 市能源局\n", "- name: 市能源局\n- name: 市财政局\n")


@pytest.fixture
def history_registry(make_registry):
    return make_registry({"04-coal-mine.yaml": HISTORY_CAMPAIGN}, departments=DEPARTMENTS)


def summary(runner, data, *args):
    result = runner.invoke(app, ["summary", *args, "--data", str(data)])
    assert result.exit_code == 0, result.output
    return result.stdout


def ids(rows):
    return [r["id"] for r in rows]


def test_numbers_agree_with_list_json(runner, history_registry):
    got = json.loads(summary(runner, history_registry, "--month", "2022-06", "--format", "json"))
    listed = json.loads(runner.invoke(app, ["list", "--format", "json", "--as-of", "2022-06-30",
                                            "--data", str(history_registry)]).stdout)
    status = Counter(r["status"] for r in listed)
    t = got["totals"]
    assert (t["items"], t["done"], t["in_progress"], t["not_started"], t["blocked"]) == (
        len(listed), status["done"], status["in_progress"], status["not_started"], status["blocked"])
    assert t["overdue"] == sum(r["overdue"] for r in listed) == 1
    assert t["unassigned"] == sum(not r["departments"] for r in listed) == 1
    assert t["completion"] == round(status["done"] / len(listed), 4)
    (camp,) = got["campaigns"]
    assert {k: camp[k] for k in ("items", "done", "blocked", "overdue", "shares", "shares_done")} == {
        "items": 6, "done": 1, "blocked": 1, "overdue": 1, "shares": 15, "shares_done": 2}
    assert (t["shares"], t["shares_done"]) == (15, 2)
    assert t["shares"] == sum(max(1, r["shares_total"]) for r in listed)
    # Each department is ranked on its own shares: what `list --dept D` says of D's shares.
    for d in got["departments"]:
        mine = json.loads(runner.invoke(app, ["list", "--dept", d["name"], "--as-of", "2022-06-30",
                                              "--format", "json", "--data", str(history_registry)]).stdout)
        assert d["items"] == len(mine), d["name"]
        assert d["done"] == sum(r["share_status"] == "done" for r in mine), d["name"]
        assert d["overdue"] == sum(r["overdue"] for r in mine), d["name"]
    ranked = [(d["name"], d["items"], d["done"], d["on_time"]) for d in got["departments"]]
    assert ranked == [("孝义市应急管理局", 3, 1, 1), ("市应急管理局", 5, 1, 1), ("市能源局", 3, 0, 0),
                      ("离石区应急管理局", 3, 0, 0)]
    assert [(d["rank"], d["on_time_rate"]) for d in got["departments"]] == [
        (1, 0.3333), (2, 0.2), (3, 0.0), (4, 0.0)]


def test_sections_list_exactly_the_expected_items(runner, history_registry):
    got = json.loads(summary(runner, history_registry, "--month", "2022-06", "--format", "json"))
    assert got["period"] == {"month": "2022-06", "start": "2022-06-01", "end": "2022-06-30"}
    assert got["as_of"] == "2022-06-30"
    assert got["completed"] == [{"id": "4.1.1", "campaign": 4, "date": "2022-06-10", "by": "市应急管理局",
                                 "note": "已验收", "text": "已完成的一项", "share": "市应急管理局",
                                 "reopened": False}]
    # Problems: what is blocked, and the notes that report a problem; a done's note is not one.
    assert [(p["kind"], p["id"], p["date"]) for p in got["problems"]] == [
        ("blocked", "4.2.1", "2022-06-20"), ("note", "4.2.3", "2022-06-05")]
    assert ids(got["overdue"]) == ["4.1.2"] and got["overdue"][0]["days_overdue"] == 30
    assert ids(got["due_next_month"]) == ["4.3.1"]
    assert ids(got["stale"]) == ["4.3.1", "4.2.2"]  # 4.2.2: in progress, no report since April
    got30 = json.loads(summary(runner, history_registry, "--month", "2022-06", "--stale-days", "30",
                               "--format", "json"))
    assert ids(got30["stale"]) == ["4.3.1", "4.2.2", "4.1.2"]


def test_status_is_as_of_the_report_date(runner, history_registry):
    may = json.loads(summary(runner, history_registry, "--month", "2022-05", "--format", "json"))
    # 4.2.2: 孝义's share done in April; the item is in progress until every share is done.
    assert (may["totals"]["done"], may["totals"]["in_progress"], may["totals"]["blocked"]) == (0, 2, 0)
    assert ids(may["completed"]) == [] and ids(may["due_next_month"]) == []
    assert ids(may["overdue"]) == []  # 4.1.2 is due 05-31, the report date itself
    mid = json.loads(summary(runner, history_registry, "--month", "2022-06", "--as-of", "2022-06-15",
                             "--format", "json"))
    assert [(p["kind"], p["id"]) for p in mid["problems"]] == [("note", "4.2.3")]


def test_dept_narrows_the_whole_summary(runner, history_registry):
    got = json.loads(summary(runner, history_registry, "--month", "2022-06", "--dept", "孝义市应急管理局",
                             "--format", "json"))
    assert got["department"] == "孝义市应急管理局"
    assert got["totals"]["items"] == 3
    assert [d["name"] for d in got["departments"]] == ["孝义市应急管理局"]  # its own shares only
    assert ids(got["overdue"]) == [] and ids(got["stale"]) == []


@pytest.mark.parametrize("args", [
    ["--month", "2022-01"],                         # an empty month
    ["--month", "2021-12"],                         # before any history
    ["--month", "2022-06", "--dept", "市财政局"],   # a department with no work
])
def test_quiet_months_and_idle_departments_give_a_valid_summary(runner, history_registry, args):
    got = json.loads(summary(runner, history_registry, *args, "--format", "json"))
    assert set(got) == {"period", "as_of", "department", "stale_days", "totals", "campaigns",
                        "departments", "completed", "problems", "overdue", "due_next_month",
                        "recurring", "stale"}
    assert got["completed"] == []
    md = summary(runner, history_registry, *args)
    assert md.startswith("# 安全生产专项整治三年行动 月度汇总 ")


@pytest.mark.parametrize("lang, name", [(None, "summary-2022-06.md"), ("en", "summary-2022-06.en.md")])
def test_markdown_golden(runner, history_registry, update_golden, lang, name):
    md = summary(runner, history_registry, "--month", "2022-06", *(["--lang", lang] if lang else []))
    golden = GOLDEN / name
    if update_golden:
        golden.write_text(md, encoding="utf-8")
    assert md == golden.read_text(encoding="utf-8")


def test_the_summary_is_data_and_its_formats_show_the_fields_they_are_given(history_registry):
    from safetylist import report
    from safetylist.registry import open_registry
    from safetylist.render import summary as formats

    data = report.build(open_registry(history_registry), "2022-06")
    assert report.SECTIONS == tuple(report.FIELDS) and set(report.SECTIONS) <= set(data)
    assert not hasattr(report, "markdown") and not hasattr(report, "csv_text")  # rendering is render's
    fields = {"overdue": ("id", "deadline")}
    md = formats.markdown(data, fields, "en")
    assert "## Overdue, oldest first (1)\n\n| ID | deadline |\n|---|---|\n| 4.1.2 | 2022-05-31 |\n" in md
    assert "## Campaigns" not in md
    assert formats.csv_text(data, fields) == "# overdue\nid,deadline\n4.1.2,2022-05-31\n"
    assert formats.csv_text(data, fields, "overdue") == "id,deadline\n4.1.2,2022-05-31\n"


def test_two_runs_are_byte_identical(runner, history_registry, tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    for out in (a, b):
        result = runner.invoke(app, ["summary", "--month", "2022-06", "--output", str(out),
                                     "--data", str(history_registry)])
        assert result.exit_code == 0, result.output
    assert a.read_bytes() == b.read_bytes()
    assert a.read_text(encoding="utf-8") == summary(runner, history_registry, "--month", "2022-06")
    shipped = [summary(runner, DATA, "--month", "2022-06", "--format", f) for f in ("md", "md", "json", "json")]
    assert shipped[0] == shipped[1] and shipped[2] == shipped[3]


def test_csv_sections(runner, history_registry):
    whole = summary(runner, history_registry, "--month", "2022-06", "--format", "csv")
    assert [line for line in whole.splitlines() if line.startswith("# ")] == [
        "# campaigns", "# departments", "# completed", "# problems", "# overdue",
        "# due_next_month", "# recurring", "# stale"]
    one = summary(runner, history_registry, "--month", "2022-06", "--format", "csv", "--section", "overdue")
    assert one == ("deadline,days_overdue,id,status,departments,text\n"
                   "2022-05-31,30,4.1.2,in_progress,市应急管理局,逾期的一项\n")


@pytest.mark.parametrize("args, message", [
    (["--month", "2022-13"], "--month: '2022-13' is not a month"),
    (["--month", "June"], "--month: 'June' is not a month"),
    (["--month", "2022-06", "--format", "pdf"], "unknown format 'pdf'"),
    (["--month", "2022-06", "--section", "overdue"], "--section goes with --format csv"),
    (["--month", "2022-06", "--output", "/nonexistent/dir/x.md"], "does not exist"),
    (["--month", "2022-06", "--lang", "fr"], "--lang: unknown language 'fr' (use zh or en)"),
])
def test_summary_usage_errors(runner, history_registry, args, message):
    result = runner.invoke(app, ["summary", *args, "--data", str(history_registry)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_the_json_shape_is_the_documented_one(runner, history_registry):
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("The JSON shape, section by section", 1)[1].split("\n\n", 2)[1]
    documented = {}
    for line in table.splitlines()[2:]:
        key, content = [c.strip() for c in line.strip().strip("|").split("|")]
        names = ",".join(re.findall(r"`([^`]+)`", content)).split(",")
        documented[key.strip("`")] = {n.strip() for n in names}
    got = json.loads(summary(runner, history_registry, "--month", "2022-06", "--format", "json"))
    for section in ("totals", "campaigns", "departments", "completed", "overdue", "due_next_month",
                    "recurring", "stale"):
        row = got[section] if section == "totals" else (got[section] or [{}])[0]
        assert set(row) <= documented[section], section
        if row:
            assert set(row) == documented[section], section
    assert set(got["problems"][0]) | {"blocked", "note"} == documented["problems"]


def test_csv_booleans_are_true_and_false_as_in_every_listing(runner):
    import csv as csv_module
    import io

    from conftest import DATA

    result = runner.invoke(app, ["summary", "--month", "2022-03", "--format", "csv", "--section",
                                 "recurring", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    rows = list(csv_module.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["met"] for r in rows} == {"false"}
