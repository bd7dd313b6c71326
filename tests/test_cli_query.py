"""Listing commands on the shipped registry: exact rows, filters, formats, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from safetylist.cli import app

from conftest import DATA, MINI_CAMPAIGN, MINI_INFERRED


def ids(runner, *args):
    result = runner.invoke(app, [*args, "--format", "ids", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def key(ident):
    return tuple(int(p) for p in ident.split("."))


def assigned_items():
    """(id, departments) for every item, read from the YAML without safetylist's code."""
    out = []
    for path in sorted((DATA / "tasks").glob("*.yaml")):
        c = yaml.safe_load(path.read_text(encoding="utf-8"))
        for t in c["tasks"]:
            task_depts = [d if isinstance(d, str) else d["name"] for d in t["departments"]]
            for i in t["items"]:
                depts = i.get("departments")
                depts = task_depts if depts is None else [d if isinstance(d, str) else d["name"] for d in depts]
                out.append((i["id"], set(depts)))
    return out


def test_city_and_county_bureaus_differ_by_city_only_and_county_only_work(runner):
    city = ids(runner, "due", "--dept", "市应急管理局")
    county = ids(runner, "due", "--dept", "孝义市应急管理局")
    items = assigned_items()
    city_seen = {"市应急管理局", "市、县应急管理局"}
    county_seen = {"孝义市应急管理局", "市、县应急管理局", "各县市区应急管理局"}
    assert sorted(city, key=key) == sorted((i for i, d in items if d & city_seen), key=key)
    assert sorted(county, key=key) == sorted((i for i, d in items if d & county_seen), key=key)
    assert sorted(set(county) - set(city), key=key) == [
        "13.1.1", "13.2.1", "13.3.1", "13.4.1", "13.5.1", "13.7.1"]
    city_only = sorted(set(city) - set(county), key=key)
    assert len(city) == 197 and len(county) == 68 and len(city_only) == 135
    assert all(d & {"市应急管理局"} and not d & county_seen for i, d in items if i in city_only)


def test_due_is_soonest_first(runner):
    got = ids(runner, "due", "--dept", "市应急管理局", "--as-of", "2022-06-01")
    # Recurring obligations with nothing recorded are due for their first period (January).
    assert got[:7] == ["4.22.4", "4.10.1", "3.24.2", "5.10.1", "5.2.1", "1.5.1", "1.5.2"]


def test_campaign_by_title_part_slug_and_number_are_the_same(runner):
    by_number = ids(runner, "list", "--campaign", "4")
    assert len(by_number) == 61
    assert ids(runner, "list", "--campaign", "煤矿") == by_number
    assert ids(runner, "list", "--campaign", "coal-mine") == by_number


def test_alias_and_short_forms_give_the_canonical_rows(runner):
    canonical = ids(runner, "due", "--dept", "吕梁邮政管理局")
    assert len(canonical) == 32
    assert ids(runner, "due", "--dept", "市邮管局") == canonical
    assert ids(runner, "due", "--dept", "吕梁市 政管理局") == canonical
    assert ids(runner, "due", "--dept", "孝义应急") == ids(runner, "due", "--dept", "孝义市应急管理局")


def test_repeated_dept_is_a_union(runner):
    a = set(ids(runner, "list", "--dept", "市能源局"))
    b = set(ids(runner, "list", "--dept", "市公安局"))
    assert set(ids(runner, "list", "--dept", "市能源局", "--dept", "市公安局")) == a | b


RECURRING_LATE = ["4.22.4", "0.1.1", "4.10.1", "0.2.1", "0.3.1"]  # weekly, monthly, quarterly


def test_overdue_as_of_after_2022_lists_every_open_item(runner):
    assert len(ids(runner, "overdue", "--as-of", "2023-01-01")) == 353
    assert ids(runner, "overdue", "--as-of", "2022-06-30") == RECURRING_LATE
    assert ids(runner, "overdue", "--as-of", "2022-07-01") == [*RECURRING_LATE, "3.24.2", "5.10.1"]
    assert ids(runner, "overdue", "--as-of", "2022-09-01") == [*RECURRING_LATE, "3.24.2", "5.10.1", "5.2.1"]


def test_unassigned_lists_items_of_tasks_with_no_department(runner):
    assert ids(runner, "unassigned") == [
        "2.4.1", "2.9.1", "2.11.1", "2.12.1", "2.13.1", "2.14.1", "2.15.1", "2.16.1", "2.24.1",
        "6.5.1", "9.8.1", "9.8.2", "9.9.1", "9.9.2", "9.9.3", "9.10.1", "9.10.2"]
    assert ids(runner, "unassigned", "--campaign", "6") == ["6.5.1"]


def test_unassigned_lists_departments_inferred_from_a_merged_cell_apart(runner, make_registry):
    data = make_registry({"04-coal-mine.yaml": MINI_INFERRED})
    result = runner.invoke(app, ["unassigned", "--as-of", "2022-06-01", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "unassigned: 1 item(s) as of 2022-06-01 (0 overdue; 1 with departments inferred from a "
        "merged cell, to confirm)\n"
        "ID     departments  deadline     days  status       text\n"
        "4.3.1  市能源局 †   2022-12-31*   213  not_started  第四项\n"
        "* the campaign's default deadline (end of 2022); ? an ambiguous phrase; ~ the period due "
        "of a recurring obligation; † departments inferred from a merged cell, to confirm\n")
    result = runner.invoke(app, ["list", "--format", "json", "--data", str(data)])
    assert result.exit_code == 0, result.output
    got = [(r["id"], r["departments"], r["departments_inferred"]) for r in json.loads(result.stdout)]
    assert got == [("4.1.1", ["市应急管理局"], False), ("4.1.2", ["市应急管理局"], False),
                   ("4.2.1", ["市能源局", "市、县应急管理局"], False), ("4.3.1", ["市能源局"], True)]
    # The department sees the inferred work as its own meanwhile.
    result = runner.invoke(app, ["due", "--dept", "市能源局", "--format", "ids", "--data", str(data)])
    assert result.stdout.split() == ["4.2.1", "4.3.1"]


def test_show_says_the_departments_are_inferred(runner, make_registry):
    data = make_registry({"04-coal-mine.yaml": MINI_INFERRED})
    result = runner.invoke(app, ["show", "4.3", "--as-of", "2022-06-01", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        "4.3  4 煤矿安全专项整治 · task 4.3",
        "departments: 市能源局 (inferred from a merged cell, to confirm)",
        "as printed: 市能源局",
        "source note: 本行未印责任部门，按合并单元格读作第2行的"]
    result = runner.invoke(app, ["show", "4.3", "--format", "json", "--data", str(data)])
    assert json.loads(result.stdout)["departments_inferred"] is True


def test_date_filters(runner):
    early = ["0.1.1", "0.2.1", "0.3.1", "3.24.2", "4.10.1", "4.22.4"]  # recurring, in id order
    assert ids(runner, "list", "--before", "2022-08-31", "--as-of", "2022-06-01") == [*early, "5.2.1", "5.10.1"]
    assert ids(runner, "list", "--before", "2022-08-30", "--as-of", "2022-06-01") == [*early, "5.10.1"]
    assert ids(runner, "due", "--as-of", "2022-06-01", "--within", "29") == [
        *RECURRING_LATE, "3.24.2", "5.10.1"]
    assert ids(runner, "due", "--as-of", "2022-06-01", "--within", "28") == RECURRING_LATE
    after = ids(runner, "list", "--after", "2022-09-01", "--as-of", "2022-06-01")
    assert len(after) == 353 - 8 and "5.2.1" not in after
    assert ids(runner, "list", "--before", "30 June 2022", "--as-of", "2022-06-01") == [*early, "5.10.1"]
    assert ids(runner, "list", "--before", "2022年6月30日", "--as-of", "2022-06-01") == [*early, "5.10.1"]


def test_status_filter(runner):
    assert ids(runner, "list", "--status", "done") == []
    assert len(ids(runner, "list", "--status", "not_started")) == 353


def test_table_is_plain_when_not_a_terminal(runner):
    result = runner.invoke(app, ["overdue", "--as-of", "2022-09-01", "--campaign", "5", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "overdue: 2 item(s) as of 2022-09-01 (2 overdue)"
    assert lines[1].split() == ["ID", "departments", "deadline", "days", "status", "shares", "text"]
    assert lines[2].split()[:7] == ["5.10.1", "市、县应急管理局", "2022-06-30", "-63", "not_started", "0/14",
                                    "2022年6月底前，边坡或排土场高度200米及以上的露天矿山全部推广使用高陡边坡在线安全监测设施。"]
    assert lines[3].split()[:7] == ["5.2.1", "各县（市、区）政府", "+3", "2022-08-31?", "-1", "not_started", "0/16"]
    wide = runner.invoke(app, ["overdue", "--as-of", "2022-09-01", "-c", "5", "--wide", "--data", str(DATA)])
    assert wide.stdout.splitlines()[3].split()[1] == "各县（市、区）政府、市应急管理局、市自然资源局、市公安局"
    from rich.cells import cell_len

    assert len({cell_len(line[: line.index("2022-0")]) for line in lines[2:4]}) == 1  # aligned


def test_json_contract(runner):
    result = runner.invoke(app, ["list", "--campaign", "5", "--as-of", "2022-09-01",
                                 "--format", "json", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert len(records) == 27
    rec = records[1]
    assert rec == {
        "id": "5.2.1", "campaign": 5, "campaign_id": "non-coal-mine",
        "campaign_title": "非煤矿山安全专项整治", "task": 2, "item": 1,
        "text": "2022年9月份前，全部淘汰采用干式制动的无轨胶轮车或者改装车辆运输人员、炸药、油料等落后工艺设备。",
        "departments": ["各县（市、区）政府", "市应急管理局", "市自然资源局", "市公安局"],
        "roles": [{"name": n, "role": None} for n in
                  ["各县（市、区）政府", "市应急管理局", "市自然资源局", "市公安局"]],
        "departments_inferred": False,
        "deadline": "2022-08-31", "deadline_text": "2022年9月份前", "deadline_explicit": True,
        "deadline_ambiguous": True, "status": "not_started", "overdue": True, "days_left": -1,
        "recurrence": None, "period": None, "period_met": None,
        "shares_total": 16, "shares_done": 0, "share_status": None,
    }
    types = {"id": str, "campaign": int, "campaign_id": str, "campaign_title": str, "task": int,
             "item": int, "text": str, "departments": list, "roles": list,
             "departments_inferred": bool, "deadline": str,
             "deadline_text": (str, type(None)), "deadline_explicit": bool,
             "deadline_ambiguous": bool, "status": str, "overdue": bool, "days_left": int,
             "recurrence": (str, type(None)), "period": (str, type(None)),
             "period_met": (str, type(None)), "shares_total": int, "shares_done": int,
             "share_status": (str, type(None))}
    for r in records:
        assert set(r) == set(types)
        assert all(isinstance(r[k], t) for k, t in types.items()), r["id"]
    assert records[0]["deadline_explicit"] is False and records[0]["deadline_text"] is None


def test_csv_round_trips_to_the_json(runner):
    args = ["list", "--campaign", "1", "--campaign", "12", "--as-of", "2022-06-01", "--data", str(DATA)]
    as_json = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    result = runner.invoke(app, [*args, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(as_json) == 28
    for row, rec in zip(rows, as_json):
        back = {
            **row,
            "campaign": int(row["campaign"]), "task": int(row["task"]), "item": int(row["item"]),
            "departments": row["departments"].split(";") if row["departments"] else [],
            "departments_inferred": row["departments_inferred"] == "true",
            "deadline_text": row["deadline_text"] or None,
            "deadline_explicit": row["deadline_explicit"] == "true",
            "deadline_ambiguous": row["deadline_ambiguous"] == "true",
            "overdue": row["overdue"] == "true", "days_left": int(row["days_left"]),
            "recurrence": row["recurrence"] or None, "period": row["period"] or None,
            "period_met": row["period_met"] or None,
            "shares_total": int(row["shares_total"]), "shares_done": int(row["shares_done"]),
            "share_status": row["share_status"] or None,
        }
        assert back == {k: v for k, v in rec.items() if k != "roles"}
    tsv = runner.invoke(app, [*args, "--format", "tsv"]).stdout
    assert tsv.splitlines()[0].split("\t")[:3] == ["id", "campaign", "campaign_id"]


def test_show_item(runner):
    result = runner.invoke(app, ["show", "5.2.1", "--as-of", "2022-06-01", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "5.2.1  5 非煤矿山安全专项整治 · task 5.2\n"
        "departments: 各县（市、区）政府、市应急管理局、市自然资源局、市公安局\n"
        "as printed: 各县市区政府，市应急管理局、市自然资源局、市公安局\n"
        "\n"
        "5.2.1  [not_started]\n"
        "  text: 2022年9月份前，全部淘汰采用干式制动的无轨胶轮车或者改装车辆运输人员、炸药、油料等落后工艺设备。\n"
        "  deadline: 2022-08-31 (explicit: 2022年9月份前, ambiguous reading); as of 2022-06-01: 91 days left\n"
        "  shares: 0 of 16 done\n"
        "    not_started: 离石区人民政府、孝义市人民政府、汾阳市人民政府、文水县人民政府、交城县人民政府、兴县人民政府、"
        "临县人民政府、柳林县人民政府、石楼县人民政府、岚县人民政府、方山县人民政府、中阳县人民政府、交口县人民政府、"
        "市应急管理局、市自然资源局、市公安局\n"
        "  history: none\n")


def test_show_task_with_roles_and_default_deadline(runner):
    result = runner.invoke(app, ["show", "4.16", "--as-of", "2022-06-01", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == ("departments: 市能源局 (lead 牵头)、市工信局 (support 配合)、市应急管理局 (support 配合)、"
                        "国家矿山安全监察局山西局执法五处 (support 配合)")
    result = runner.invoke(app, ["show", "1.2", "--as-of", "2022-06-01", "--data", str(DATA)])
    out = result.stdout
    assert "  deadline: 2022-12-31 (default: the campaign's end of 2022); as of 2022-06-01: 213 days left" in out
    assert "  departments: 市委宣传部、各负有安全监管职责的部门、各县市区党委政府" in out
    assert "source note: Item (4) and its own department cell" in out


def test_show_lost_task(runner):
    result = runner.invoke(app, ["show", "4.28", "--data", str(DATA)])
    assert result.exit_code == 0
    assert result.stdout.endswith("items: none (the notice's text for this task is lost)\n")


def test_campaigns(runner):
    result = runner.invoke(app, ["campaigns", "--as-of", "2022-09-01", "--format", "json", "--data", str(DATA)])
    rows = json.loads(result.stdout)
    assert [r["items"] for r in rows] == [3, 15, 28, 38, 61, 27, 29, 39, 35, 24, 19, 13, 13, 9]
    assert rows[5]["overdue"] == 2 and rows[2]["unassigned"] == 9
    result = runner.invoke(app, ["campaigns", "--as-of", "2022-09-01", "--data", str(DATA)])
    assert result.stdout.splitlines()[0] == "14 campaigns, 353 items, 0 done, as of 2022-09-01"


def test_depts_resolves_a_name(runner):
    result = runner.invoke(app, ["depts", "孝义应急", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "孝义市应急管理局  (department, county)\n"
        "groups: 各县市区应急管理局、市、县应急管理局\n"
        "open items: 0 assigned to it, 68 it sees (its own and its groups')\n")
    result = runner.invoke(app, ["depts", "各县市区应急管理局", "--data", str(DATA)])
    members = result.stdout.splitlines()[2]
    assert members.startswith("members: ") and len(members.split("、")) == 13
    names = members.split("members: ")[1].split("、")
    assert "交口县应急管理局" in names and "市应急管理局" not in names


def test_depts_lists_every_department_and_group(runner):
    result = runner.invoke(app, ["depts", "--format", "json", "--data", str(DATA)])
    rows = json.loads(result.stdout)
    kinds = [(r["kind"], r["level"] == "county") for r in rows]
    assert (kinds.count(("department", False)), kinds.count(("department", True)),
            kinds.count(("group", False))) == (52, 13 * 11, 23)
    city = next(r for r in rows if r["name"] == "市应急管理局")
    assert city["open_own"] == 135 and city["open_visible"] == 197


@pytest.mark.parametrize("args, message", [
    (["due", "--dept", "市应急"], "safetylist: error: department '市应急' is ambiguous: it matches"),
    (["due", "--dept", "市应急管理"], "safetylist: error: department '市应急管理' is ambiguous"),
    (["due", "--dept", "不存在的局"], "safetylist: error: unknown department '不存在的局'"),
    (["due", "--as-of", "2022-02-30"], "safetylist: error: --as-of: '2022-02-30' is not a real date"),
    (["due", "--before", "soon"], "safetylist: error: --before: cannot read 'soon' as a date"),
    (["due", "--campaign", "99"], "safetylist: error: no campaign number 99"),
    (["due", "--campaign", "火星"], "safetylist: error: unknown campaign '火星'"),
    (["due", "--campaign", "安全"], "safetylist: error: campaign '安全' is ambiguous"),
    (["due", "--status", "finished"], "safetylist: error: unknown status 'finished'"),
    (["due", "--format", "xml"], "safetylist: error: unknown format 'xml'"),
    (["show", "4.99"], "safetylist: error: no task 4.99 in campaign 4"),
    (["show", "4.15.9"], "safetylist: error: no item 4.15.9: task 4.15 has 5 item(s)"),
    (["show", "../etc"], "safetylist: error: '../etc' is not an id"),
    (["due", "--as-of", "June"], "safetylist: error: --as-of: 'June' is not a whole date"),
    (["due", "--as-of", "30"], "safetylist: error: --as-of: '30' is not a whole date"),
    (["due", "--as-of", ""], "safetylist: error: --as-of: empty date"),
    (["due", "--before", ""], "safetylist: error: --before: empty date"),
    (["due", "--as-of", "9999-12-31"], "safetylist: error: --as-of: '9999-12-31' is outside the dates "
                                       "safetylist works with (2000-01-01 to 2099-12-31)"),
    (["due", "--within", "99999999"], "safetylist: error: --within takes a number of days from 0 to 36500"),
    (["log", "--since", ""], "safetylist: error: --since: empty date"),
    (["due", "--status", "滞后"], "safetylist: error: unknown status '滞后'"),
])
def test_usage_errors_exit_2_with_one_message(runner, args, message):
    result = runner.invoke(app, [*args, "--data", str(DATA)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr


def test_markup_and_escapes_in_task_text_print_literally(runner, make_registry):
    hostile = "[bold red]粗体[/bold red] \x1b[31m红色\x1b[0m [link=file:///etc]x[/link]"
    text = MINI_CAMPAIGN.replace("text: 第一项", "text: " + json.dumps(hostile, ensure_ascii=False))
    data = make_registry({"04-coal-mine.yaml": text})
    for args in (["list"], ["show", "4.1.1"]):
        result = runner.invoke(app, [*args, "--data", str(data)])
        assert result.exit_code == 0, result.output
        assert "[bold red]粗体[/bold red] \\x1b[31m红色\\x1b[0m [link=file:///etc]x[/link]" in result.stdout
        assert "\x1b" not in result.stdout
    # Data formats carry the text as it is, for files and pipes.
    as_csv = runner.invoke(app, ["list", "--format", "csv", "--data", str(data)]).stdout
    assert next(csv.DictReader(io.StringIO(as_csv)))["text"] == hostile
    as_json = runner.invoke(app, ["list", "--format", "json", "--data", str(data)]).stdout
    assert json.loads(as_json)[0]["text"] == hostile


def test_markup_prints_literally_in_a_terminal_table():
    from safetylist import render

    class Tty(io.StringIO):
        def isatty(self):
            return True

    printed = render.table("[bold]标题[/bold]", [render.Column("text", truncate=True)],
                           [["[red]红[/red] \x1b[2J"]], render.screen(Tty()), wide=True)
    assert "[bold]标题[/bold]" in printed and "[red]红[/red] \\x1b[2J" in printed
    assert "\x1b[2J" not in printed


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == "safetylist 0.1.0\n"


def test_completion_offers_departments_campaigns_and_ids(monkeypatch):
    from safetylist.cli import options

    monkeypatch.chdir(DATA.parent)
    assert "孝义市应急管理局" in options.complete_depts("孝义")
    assert options.complete_campaigns("co") == ["coal-mine"]
    assert options.complete_ids("4.15.") == ["4.15.1", "4.15.2", "4.15.3", "4.15.4", "4.15.5"]


def test_the_four_listings_take_the_same_options_in_the_same_order():
    import typer.main

    group = typer.main.get_command(app)
    options = {name: [p.name for p in group.commands[name].params]
               for name in ("due", "overdue", "unassigned", "list")}
    assert options["due"] == ["dept", "campaign", "before", "after", "within", "status", "grep",
                              "as_of", "warn", "format", "wide", "bom", "data"]
    assert all(names == options["due"] for names in options.values()), options


def test_shell_completion_through_the_real_mechanism():
    import os
    import subprocess
    import sys

    def complete(words: str, cword: int) -> list[str]:
        env = {**os.environ, "_SAFETYLIST_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(cword)}
        import shutil
        from pathlib import Path

        script = shutil.which("safetylist", path=str(Path(sys.executable).parent))
        assert script, "the console script is installed beside the interpreter"
        out = subprocess.run([script], env=env, cwd=DATA.parent, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout.split()

    assert "孝义市应急管理局" in complete("safetylist due --dept 孝义", 3)
    assert complete("safetylist list --campaign coa", 3) == ["coal-mine"]
    assert complete("safetylist show 4.15.", 2) == ["4.15.1", "4.15.2", "4.15.3", "4.15.4", "4.15.5"]


def test_dates_as_clerks_write_them(runner):
    june = ids(runner, "due", "--as-of", "2022-06-01", "--before", "2022-06-30")
    for typed in ("2022年6月底", "6月底", "6月30日", "2022年6月30号", "2022.6.30", "2022/6/30", "６月底"):
        assert ids(runner, "due", "--as-of", "2022-06-01", "--before", typed) == june, typed
    # A date without its year takes the --as-of year, else the registry's period (2022).
    assert ids(runner, "due", "--as-of", "2023-01-01", "--before", "6月底") == ids(
        runner, "due", "--as-of", "2023-01-01", "--before", "2023-06-30")
    assert ids(runner, "overdue", "--as-of", "7月1日") == ids(runner, "overdue", "--as-of", "2022-07-01")


def test_office_words_and_typed_forms_in_filters(runner):
    assert ids(runner, "list", "--status", "未开始") == ids(runner, "list", "--status", "not_started")
    assert ids(runner, "list", "--status", "完成") == []
    assert ids(runner, "list", "--dept", "吕梁市应急管理局") == ids(runner, "list", "--dept", "市应急管理局")
    assert ids(runner, "list", "--dept", "孝义市 应急管理局") == ids(runner, "list", "--dept", "孝义市应急管理局")
    assert ids(runner, "list", "--dept", "市應急管理局") == ids(runner, "list", "--dept", "市应急管理局")
    result = runner.invoke(app, ["show", "４．１５。２", "--as-of", "2022-06-01", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("4.15.2  4 煤矿安全专项整治 · task 4.15\n")


def test_a_short_name_for_the_city_bureau_says_so_on_the_first_line(runner):
    result = runner.invoke(app, ["due", "--dept", "应急局", "--as-of", "2022-06-01", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "note: '应急局' is read as 市应急管理局, the city's; for a county's, name the county: "
        "孝义应急 (孝义市应急管理局)",
        "due: 197 item(s) for 市应急管理局 as of 2022-06-01 (2 overdue)"]
    # Scripts' formats keep stdout clean: the note goes to stderr.
    result = runner.invoke(app, ["due", "--dept", "应急局", "--format", "ids", "--data", str(DATA)])
    assert result.stderr.startswith("note: '应急局' is read as 市应急管理局")
    assert "note" not in result.stdout and len(result.stdout.split()) == 197
    result = runner.invoke(app, ["due", "--dept", "市应急管理局", "--as-of", "2022-06-01", "--data", str(DATA)])
    assert result.stdout.startswith("due: 197 item(s) for 市应急管理局")
    result = runner.invoke(app, ["depts", "应急局", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "note: '应急局' is read as 市应急管理局, the city's; for a county's, name the county: "
        "孝义应急 (孝义市应急管理局)",
        "市应急管理局  (department, city)"]


def test_a_file_whose_tasks_are_out_of_order_is_listed_in_id_order(runner, make_registry):
    """Tasks out of order are a warning (task-order), not an error: listings still go by id,
    and equal deadlines keep id order."""
    first, second = MINI_CAMPAIGN.split('- id: "4.2"')
    swapped = first.replace('- id: "4.1"', '- id: "4.2"\n' + second.rstrip("\n").split("\n", 1)[1]
                            + '\n- id: "4.1"', 1)
    data = make_registry({"04-coal-mine.yaml": swapped})
    assert swapped.index('id: "4.2"') < swapped.index('id: "4.1"')
    listed = runner.invoke(app, ["list", "--format", "ids", "--data", str(data)])
    due = runner.invoke(app, ["due", "--dept", "市应急管理局", "--as-of", "2022-06-01",
                              "--format", "ids", "--data", str(data)])
    assert (listed.exit_code, listed.output) == (0, "4.1.1\n4.1.2\n4.2.1\n")
    assert (due.exit_code, due.output) == (0, "4.1.2\n4.1.1\n4.2.1\n")
    check = runner.invoke(app, ["check", "--data", str(data)])
    assert check.exit_code == 0 and "[task-order]" in check.output
