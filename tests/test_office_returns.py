"""The ledger back in: `import` records a department's changed rows, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from safetylist.cli import app
from safetylist.office import returns
from safetylist.query import all_items, find
from safetylist.registry import open_registry
from safetylist.store import registry_lock

from conftest import MINI_CAMPAIGN

DEPT = "市应急管理局"


def run(runner, data, *args):
    return runner.invoke(app, [*args, "--data", str(data)])


def export(runner, data, out: Path, *args: str) -> Path:
    result = run(runner, data, "export", "--output", str(out), "--as-of", "2022-06-30", *args)
    assert result.exit_code == 0, result.output
    return out


def edit(path: Path, changes: dict[str, dict[str, object]], sheet: str | None = None) -> None:
    """Change cells as a department would: {id: {header: value}}."""
    wb = load_workbook(path)
    found = set()
    for ws in ([wb[sheet]] if sheet else wb.worksheets):
        header = {c.value: c.column for c in ws[2]}
        for row in ws.iter_rows(min_row=3):
            ident = row[0].value
            for name, value in changes.get(ident, {}).items():
                ws.cell(row=row[0].row, column=header[name], value=value)
                found.add(ident)
    assert found == set(changes), "every row to change is in the ledger"
    wb.save(path)


def row_of(path: Path, sheet: str, ident: str) -> int:
    ws = load_workbook(path)[sheet]
    return next(r[0].row for r in ws.iter_rows(min_row=3) if r[0].value == ident)


def tasks_bytes(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((data / "tasks").glob("*.yaml"))}


# The round trip of the issue ---------------------------------------------------------------


def test_round_trip_export_edit_dry_run_refuse_fix_import_show_log_import_again(
        runner, shipped_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    today = dt.date.today().isoformat()  # here, not at import: a suite may run across midnight
    book = export(runner, shipped_copy, tmp_path / "ledger.xlsx", "--dept", DEPT)
    text_4161 = find(open_registry(shipped_copy), "4.16.1")[2].text
    # As a department would: three statuses, two 进展情况, one edited 工作措施, one blank row.
    edit(book, {
        "3.3.1": {"状态": "进行中", "报告日期": "2022-06-10"},
        "4.15.2": {"状态": "已完成", "报告日期": dt.datetime(2022, 6, 15)},
        "13.8.1": {"状态": "受阻"},
        "4.2.1": {"进展情况": "已制定方案", "报告日期": "2022年6月20日"},
        "13.6.1": {"进展情况": "已部署排查"},
        "4.16.1": {"工作措施": text_4161 + "（已修改）"},
    })
    wb = load_workbook(book)
    wb["04 煤矿安全专项整治"].insert_rows(10)
    wb.save(book)
    before = tasks_bytes(shipped_copy)
    planned = [
        "2022-06-10 3.3.1 in_progress (市应急管理局)",
        "2022-06-20 4.2.1 not_started (市应急管理局): 已制定方案",
        "2022-06-15 4.15.2 done (市应急管理局)",
        f"{today} 13.6.1 not_started (市应急管理局): 已部署排查",
        f"{today} 13.8.1 blocked (市应急管理局)",
    ]

    result = run(runner, shipped_copy, "import", "ledger.xlsx", "--by", DEPT, "--dry-run")
    assert result.exit_code == 2, result.output
    assert result.stdout == "".join(f"would record {line}\n" for line in planned)
    row = row_of(book, "04 煤矿安全专项整治", "4.16.1")
    assert result.stderr == (
        f"ledger.xlsx[04 煤矿安全专项整治]:{row}:4: error: 4.16.1: 工作措施 is not the registry's "
        "text of this item; the notice's wording is not changed by import, restore the cell as "
        "exported\n"
        "safetylist: error: import refused: 1 problem(s) in ledger.xlsx; nothing was recorded\n")
    refused = run(runner, shipped_copy, "import", "ledger.xlsx", "--by", DEPT)
    assert refused.exit_code == 2 and refused.stdout == ""
    assert tasks_bytes(shipped_copy) == before

    edit(book, {"4.16.1": {"工作措施": text_4161}})
    result = run(runner, shipped_copy, "import", "ledger.xlsx", "--by", DEPT, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == "".join(f"would record {line}\n" for line in planned) + (
        "dry run: 5 report(s) by 市应急管理局 in 3 file(s); nothing was written\n")
    assert tasks_bytes(shipped_copy) == before

    result = run(runner, shipped_copy, "import", "ledger.xlsx", "--by", DEPT)
    assert result.exit_code == 0, result.output
    assert result.stdout == "".join(f"recorded {line}\n" for line in planned) + (
        "5 report(s) by 市应急管理局 recorded in 3 file(s)\n")
    after = tasks_bytes(shipped_copy)
    assert sorted(n for n in after if after[n] != before[n]) == [
        "03-hazardous-chemicals.yaml", "04-coal-mine.yaml", "13-metallurgy.yaml"]

    shown = run(runner, shipped_copy, "show", "4.15.2", "--as-of", "2022-06-30")
    assert shown.exit_code == 0, shown.output
    assert "4.15.2  [in_progress]" in shown.stdout  # 市应急管理局's share; 执法五处's is still open
    assert "  history:\n    1. 2022-06-15 done by=市应急管理局\n" in shown.stdout
    log = run(runner, shipped_copy, "log", "--dept", DEPT, "--format", "csv")
    assert log.exit_code == 0, log.output
    assert log.stdout == (
        "date,id,status,by,note,period,problem,kind,entry,undoes,taken_back,whole\n"
        f"{today},13.6.1,not_started,市应急管理局,已部署排查,,false,,1,,false,false\n"
        f"{today},13.8.1,blocked,市应急管理局,,,false,,1,,false,false\n"
        "2022-06-20,4.2.1,not_started,市应急管理局,已制定方案,,false,,1,,false,false\n"
        "2022-06-15,4.15.2,done,市应急管理局,,,false,,1,,false,false\n"
        "2022-06-10,3.3.1,in_progress,市应急管理局,,,false,,1,,false,false\n")
    assert run(runner, shipped_copy, "check").exit_code == 0

    again = run(runner, shipped_copy, "import", "ledger.xlsx", "--by", DEPT)
    assert again.exit_code == 0, again.output
    assert again.stdout == "nothing to record: every row of ledger.xlsx matches what is recorded (197 row(s))\n"
    assert tasks_bytes(shipped_copy) == after


# What counts as a change ---------------------------------------------------------------------

OTHERS = MINI_CAMPAIGN.replace(
    "  - id: 4.2.1\n    text: 第三项\n    status: not_started\n",
    "  - id: 4.2.1\n    text: 第三项\n    status: in_progress\n    history:\n"
    "    - {date: 2022-05-02, status: in_progress, by: 市能源局, note: 已部署}\n")


def test_a_full_ledger_returned_unchanged_records_nothing(runner, make_registry, tmp_path):
    data = make_registry({"04-coal-mine.yaml": OTHERS})
    book = export(runner, data, tmp_path / "all.xlsx")  # shows 市能源局's report on 4.2.1
    before = tasks_bytes(data)
    result = run(runner, data, "import", str(book), "--by", DEPT)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("nothing to record: ") and result.stdout.endswith("(3 row(s))\n")
    assert tasks_bytes(data) == before


def test_a_department_reports_its_own_share_beside_another_departments(runner, make_registry, tmp_path):
    data = make_registry({"04-coal-mine.yaml": OTHERS})
    book = export(runner, data, tmp_path / "mine.xlsx", "--dept", DEPT)  # its own: 未开始
    edit(book, {"4.2.1": {"状态": "推进中", "进展情况": "已部署", "报告日期": "2022-06-03"}})
    result = run(runner, data, "import", str(book), "--by", DEPT)
    # The same words as 市能源局's report: unchanged against the item, so nothing recorded.
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("nothing to record")
    edit(book, {"4.2.1": {"进展情况": "已部署到各县"}})
    result = run(runner, data, "import", str(book), "--by", DEPT)
    assert result.stdout == ("recorded 2022-06-03 4.2.1 in_progress (市应急管理局): 已部署到各县\n"
                             "1 report(s) by 市应急管理局 recorded in 1 file(s)\n")


def test_the_date_option_dates_every_report_and_a_shown_date_is_not_the_reports(
        runner, make_registry, tmp_path):
    data = make_registry({"04-coal-mine.yaml": OTHERS})
    today = dt.date.today().isoformat()
    book = export(runner, data, tmp_path / "all.xlsx")
    # 4.2.1 still shows 2022-05-02, the date of 市能源局's report: the new report is not of that day.
    edit(book, {"4.2.1": {"状态": "已完成"}, "4.1.1": {"状态": "进行中", "报告日期": "2022-06-09"}})
    result = run(runner, data, "import", str(book), "--by", DEPT, "--dry-run")
    assert result.stdout.splitlines()[:2] == ["would record 2022-06-09 4.1.1 in_progress (市应急管理局)",
                                              f"would record {today} 4.2.1 done (市应急管理局): 已部署"]
    result = run(runner, data, "import", str(book), "--by", DEPT, "--dry-run", "--date", "2022-06-30")
    assert result.stdout.splitlines()[:2] == ["would record 2022-06-30 4.1.1 in_progress (市应急管理局)",
                                              "would record 2022-06-30 4.2.1 done (市应急管理局): 已部署"]


@pytest.mark.parametrize("word, status", [("未开始", "not_started"), ("未启动", "not_started"),
                                          ("进行中", "in_progress"), ("推进中", "in_progress"),
                                          ("已完成", "done"), ("完成", "done"), ("受阻", "blocked"),
                                          ("滞后", "blocked"), ("blocked", "blocked")])
def test_status_words_offices_write(runner, make_registry, tmp_path, word, status):
    data = make_registry()
    book = export(runner, data, tmp_path / "l.xlsx")
    edit(book, {"4.1.1": {"状态": word, "进展情况": "说明"}})
    result = run(runner, data, "import", str(book), "--by", DEPT, "--date", "2022-06-30", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"would record 2022-06-30 4.1.1 {status} (市应急管理局): 说明"


def test_a_recurring_obligation_done_once_per_period(runner, make_registry, tmp_path):
    monthly = MINI_CAMPAIGN.replace(
        "    text: 第一项\n",
        "    text: 每月检查一次\n    recurrence: FREQ=MONTHLY;BYMONTHDAY=-1\n    recurrence_text: 每月\n")
    data = make_registry({"04-coal-mine.yaml": monthly})
    assert run(runner, data, "fmt").exit_code == 0  # the canonical layout, as writes need
    # A recurring obligation's row is about the period due as of the ledger's date.
    book = tmp_path / "june.xlsx"
    result = run(runner, data, "export", "--output", str(book), "--as-of", "2022-06-10", "--dept", DEPT)
    assert result.exit_code == 0, result.output
    assert load_workbook(book).active["F3"].value == "2022-01-31（每月）"  # missed since January
    edit(book, {"4.1.1": {"状态": "已完成", "报告日期": "2022-06-08"}})
    result = run(runner, data, "import", str(book), "--by", DEPT)
    assert result.stdout.splitlines()[0] == "recorded 2022-06-08 4.1.1 done for 2022-01 (市应急管理局)", result.output
    assert run(runner, data, "import", str(book), "--by", DEPT).stdout.startswith("nothing to record")
    # The next ledger shows the next period open; 已完成 on it records that period.
    again = tmp_path / "again.xlsx"
    result = run(runner, data, "export", "--output", str(again), "--as-of", "2022-06-10", "--dept", DEPT)
    assert result.exit_code == 0
    ws = load_workbook(again).active
    assert [ws["F3"].value, ws["G3"].value] == ["2022-02-28（每月）", "进行中"]
    edit(again, {"4.1.1": {"状态": "已完成"}})
    result = run(runner, data, "import", str(again), "--by", DEPT, "--date", "2022-06-09")
    assert result.stdout.splitlines()[0] == "recorded 2022-06-09 4.1.1 done for 2022-02 (市应急管理局)"
    assert run(runner, data, "import", str(again), "--by", DEPT).stdout.startswith("nothing to record")


def test_a_note_on_several_lines_is_kept_and_read_back_the_same(runner, make_registry, tmp_path):
    data = make_registry()
    book = export(runner, data, tmp_path / "l.xlsx")
    edit(book, {"4.1.1": {"进展情况": "已部署\r\n第二步"}})
    result = run(runner, data, "import", str(book), "--by", DEPT, "--date", "2022-06-30")
    assert result.stdout.splitlines()[0] == "recorded 2022-06-30 4.1.1 not_started (市应急管理局): 已部署\\n第二步"
    assert run(runner, data, "import", str(book), "--by", DEPT).stdout.startswith("nothing to record")


def test_by_dept_workbook_reads_only_the_returning_departments_sheet(runner, make_registry, tmp_path):
    data = make_registry()
    book = export(runner, data, tmp_path / "l.xlsx", "--by-dept")
    edit(book, {"4.2.1": {"状态": "进行中"}}, sheet="市能源局")
    edit(book, {"4.2.1": {"状态": "已完成"}}, sheet="市应急管理局")
    result = run(runner, data, "import", str(book), "--by", "市能源局", "--date", "2022-06-30", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("would record 2022-06-30 4.2.1 in_progress (市能源局)\n"
                             "dry run: 1 report(s) by 市能源局 in 1 file(s); nothing was written\n")


# CSV -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_returns_with_or_without_bom_or_in_gbk(runner, make_registry, tmp_path, encoding):
    data = make_registry()
    result = run(runner, data, "export", "--format", "csv", "--as-of", "2022-06-30")
    text = result.stdout.replace("4.1.1,煤矿安全专项整治,4.1,第一项,市应急管理局,2022-12-31,未开始,,,",
                                 "4.1.1,煤矿安全专项整治,4.1,第一项,市应急管理局,2022-12-31,已完成,已验收,2022-06-15,")
    back = tmp_path / "back.csv"
    back.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    result = run(runner, data, "import", str(back), "--by", DEPT)
    assert result.exit_code == 0, result.output
    assert result.stdout == ("recorded 2022-06-15 4.1.1 done (市应急管理局): 已验收\n"
                             "1 report(s) by 市应急管理局 recorded in 1 file(s)\n")


# Refusals --------------------------------------------------------------------------------------


def refused(runner, data, book, *args):
    before = tasks_bytes(data)
    result = run(runner, data, "import", str(book), *args)
    assert result.exit_code == 2, result.output
    assert tasks_bytes(data) == before
    assert result.stderr.endswith("nothing was recorded\n")
    return result.stderr.splitlines()


def test_every_problem_of_the_file_is_named_in_one_run(runner, make_registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = make_registry()
    book = export(runner, data, tmp_path / "l.xlsx")
    edit(book, {"4.1.1": {"编号": "4.9.9"}, "4.1.2": {"状态": "已办结"},
                "4.2.1": {"状态": "进行中", "报告日期": "6月15日"}})
    ws_wb = load_workbook(book)
    ws = ws_wb.active
    ws.append([None, None, None, None, None, None, "已完成", None, None, None])
    ws_wb.save(book)
    assert refused(runner, data, "l.xlsx", "--by", DEPT) == [
        "l.xlsx[04 煤矿安全专项整治]:3:1: error: unknown id '4.9.9': no such item in this registry; "
        "keep 编号 as exported",
        "l.xlsx[04 煤矿安全专项整治]:4:7: error: 4.1.2: unknown 状态 '已办结'; use 未开始、进行中、已完成、受阻",
        "l.xlsx[04 煤矿安全专项整治]:5:9: error: 4.2.1: 报告日期 '6月15日' is not a date; write it as "
        "2022-06-15 or 2022年6月15日",
        "l.xlsx[04 煤矿安全专项整治]:6:1: error: a row with 状态 or 进展情况 but no 编号; import keys "
        "on 编号, keep it as exported",
        "safetylist: error: import refused: 4 problem(s) in l.xlsx; nothing was recorded",
    ]


def test_a_changed_row_of_an_item_without_a_share_is_refused_unchanged_ones_are_not(
        runner, make_registry, tmp_path):
    data = make_registry()
    book = export(runner, data, tmp_path / "l.xlsx")
    assert run(runner, data, "import", str(book), "--by", "市能源局").exit_code == 0  # all unchanged
    edit(book, {"4.1.1": {"状态": "已完成"}})
    lines = refused(runner, data, book, "--by", "市能源局")
    assert lines[0].endswith(":3:1: error: 4.1.1: 市能源局 holds no share of this item (responsible: "
                             "市应急管理局); a department reports only on its own items, so leave this "
                             "row as it was")


def test_a_ledger_of_another_registry_is_refused(runner, shipped_copy, make_registry, tmp_path):
    book = export(runner, shipped_copy, tmp_path / "l.xlsx", "--campaign", "4")
    lines = refused(runner, make_registry(), book, "--by", DEPT)
    assert lines[0].endswith("[04 煤矿安全专项整治]:1:1: error: the title row names 吕安办发〔2022〕19号, "
                             "not this registry's 测〔2022〕1号: a ledger of another registry; import it into its own")


def test_two_rows_of_one_item_with_different_reports_are_refused(runner, make_registry, tmp_path,
                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = make_registry()
    book = export(runner, data, tmp_path / "l.xlsx")
    wb = load_workbook(book)
    ws = wb.active
    ws.append([c.value for c in ws[3]])
    ws.cell(row=3, column=7, value="已完成")
    ws.cell(row=6, column=7, value="受阻")
    wb.save(book)
    lines = refused(runner, data, "l.xlsx", "--by", DEPT, "--date", "2022-06-30")
    assert lines[0] == ("l.xlsx[04 煤矿安全专项整治]:6:1: error: 4.1.1: also at "
                        "l.xlsx[04 煤矿安全专项整治]:3 with another report; keep one row per item")


@pytest.mark.parametrize("name, content, message", [
    ("l.pdf", b"%PDF-1.4", "import reads a ledger saved as .xlsx or .csv"),
    ("l.xlsx", b"not a zip", "not an Excel workbook that can be read"),
    ("l.csv", b"a,b\n1,2\n", "no sheet holds the ledger's header"),
    ("l.csv", "标题\n编号,工作措施,状态\n".encode(), "the header has no 进展情况 column"),
    ("l.csv", b"\xff\xfe\x00\x00\xff", "neither UTF-8 nor GBK text"),
])
def test_files_that_are_not_ledgers(runner, make_registry, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    # A registry without a manifest names no notice, so a title row naming none is its own.
    result = run(runner, make_registry(manifest=False), "import", str(path), "--by", DEPT)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_a_missing_file_and_an_unknown_department(runner, make_registry, tmp_path):
    data = make_registry()
    result = run(runner, data, "import", str(tmp_path / "none.xlsx"), "--by", DEPT)
    assert result.exit_code == 2 and "none.xlsx: no such file" in result.stderr
    book = export(runner, data, tmp_path / "l.xlsx")
    result = run(runner, data, "import", str(book), "--by", "市交通局")
    assert result.exit_code == 2, result.output
    assert "unknown department '市交通局'" in result.stderr


# All or nothing, under the lock ------------------------------------------------------------------


def test_all_or_nothing_when_one_campaign_file_cannot_be_written(runner, shipped_copy, tmp_path):
    book = export(runner, shipped_copy, tmp_path / "l.xlsx", "--dept", DEPT)
    edit(book, {"3.3.1": {"状态": "进行中"}, "13.8.1": {"状态": "已完成"}})
    metallurgy = shipped_copy / "tasks" / "13-metallurgy.yaml"
    metallurgy.write_text("# a hand-written comment\n" + metallurgy.read_text(encoding="utf-8"),
                          encoding="utf-8")
    before = tasks_bytes(shipped_copy)
    result = run(runner, shipped_copy, "import", str(book), "--by", DEPT, "--date", "2022-06-30")
    assert result.exit_code == 3, result.output
    assert "13-metallurgy.yaml:1: hand edits the writer would not keep" in result.stderr
    assert tasks_bytes(shipped_copy) == before  # 03-hazardous-chemicals.yaml not written either


def test_import_waits_for_the_lock_then_exits_4_with_nothing_written(
        runner, make_registry, tmp_path, monkeypatch):
    data = make_registry()
    book = export(runner, data, tmp_path / "l.xlsx")
    edit(book, {"4.1.1": {"状态": "已完成"}})
    monkeypatch.setenv("SAFETYLIST_LOCK_TIMEOUT", "0.2")
    before = tasks_bytes(data)
    with registry_lock(data):
        result = run(runner, data, "import", str(book), "--by", DEPT)
    assert result.exit_code == 4, result.output
    assert "another safetylist process holds" in result.stderr
    assert tasks_bytes(data) == before


# The core API ------------------------------------------------------------------------------------


def test_holds_share_is_the_item_assigned_to_the_department_or_its_group(make_registry):
    registry = open_registry(make_registry())
    views = {v.id: v for v in all_items(registry)}
    assert returns.holds_share(registry, views["4.1.1"], "市应急管理局")
    assert not returns.holds_share(registry, views["4.1.1"], "市能源局")
    assert returns.holds_share(registry, views["4.2.1"], "孝义市应急管理局")  # 市、县应急管理局's member
    assert returns.holds_share(registry, views["4.2.1"], "市能源局")


def test_import_ledger_returns_what_it_recorded(runner, make_registry, tmp_path):
    data = make_registry()
    book = export(runner, data, tmp_path / "l.xlsx")
    edit(book, {"4.1.2": {"状态": "已完成", "进展情况": "已验收"}})
    registry = open_registry(data)
    outcome = returns.import_ledger(registry, book, DEPT, None, dt.date(2022, 7, 1))
    assert outcome.lines == ["2022-07-01 4.1.2 done (市应急管理局): 已验收"]
    assert (outcome.problems, outcome.files, outcome.unchanged, outcome.written) == ([], 1, 2, True)
    again = returns.import_ledger(open_registry(data), book, DEPT, None, dt.date(2022, 7, 1))
    assert (again.lines, again.files, again.unchanged) == ([], 0, 3)
