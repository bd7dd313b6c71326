"""The ledger (台账) out: `export` to xlsx and CSV, and the rows it shows."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from safetylist.cli import app
from safetylist.office import ledger
from safetylist.registry import open_registry

from conftest import DATA, MINI_CAMPAIGN

HEADER = ["编号", "专项", "任务", "工作措施", "责任单位", "完成时限", "状态", "进展情况", "报告日期", "报告单位"]

def _with_history(campaign: str) -> str:
    old = "  - id: 4.1.2\n    text: 第二项\n    status: not_started\n"
    assert old in campaign
    return campaign.replace(old, (
        "  - id: 4.1.2\n    text: 第二项\n    status: in_progress\n    history:\n"
        "    - {date: 2022-05-02, status: in_progress, by: 市应急管理局, note: 已部署}\n"
        "    - {date: 2022-06-01, status: blocked, by: 市能源局, note: 资金未到位}\n"))


HISTORY = _with_history(MINI_CAMPAIGN)


def export(runner, data, *args):
    return runner.invoke(app, ["export", *args, "--data", str(data)])


def test_xlsx_has_a_sheet_per_campaign_with_title_frozen_header_and_drop_down(runner, tmp_path):
    out = tmp_path / "ledger.xlsx"
    result = export(runner, DATA, "--output", str(out), "--as-of", "2022-06-30")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}: 353 item(s) on 14 sheet(s)\n"
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "00 通知的工作要求" and wb.sheetnames[4] == "04 煤矿安全专项整治"
    assert len(wb.sheetnames) == 14 and all(len(n) <= 31 for n in wb.sheetnames)
    ws = wb["04 煤矿安全专项整治"]
    assert ws["A1"].value == "吕安办发〔2022〕19号 台账 · 4 煤矿安全专项整治 · 截至 2022-06-30"
    assert "A1:J1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == HEADER
    assert ws.freeze_panes == "B3"
    assert ws.max_row == 2 + 61
    first = [c.value for c in ws[3]]
    assert first[:3] == ["4.1.1", "煤矿安全专项整治", "4.1"]
    assert first[3] == ("强化标准的监督执行，充分发挥标准对煤矿企业现场安全管理、煤矿安全管理、监管监察执法的"
                        "支撑作用。")
    assert first[4] == "市、县应急管理局、市、县能源部门、国家矿山安全监察局山西局执法五处"
    assert first[5:] == ["2022-12-31", "未开始", None, None, None]
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"未开始,进行中,已完成,受阻"'
    assert str(validation.sqref) == "G3:G63"
    assert ws["D3"].alignment.wrap_text and ws.column_dimensions["D"].width == 60


def test_only_the_four_report_cells_are_open_the_id_and_the_notice_text_are_locked(runner, tmp_path):
    out = tmp_path / "ledger.xlsx"
    assert export(runner, DATA, "--output", str(out), "--as-of", "2022-06-30").exit_code == 0
    ws = load_workbook(out)["04 煤矿安全专项整治"]
    assert ws.protection.sheet is True
    assert ws.protection.password is None  # a guard against slips, not a secret
    locked = {c.column_letter: c.protection.locked for c in ws[5]}
    assert locked == {"A": True, "B": True, "C": True, "D": True, "E": True, "F": True,
                      "G": False, "H": False, "I": False, "J": False}


def test_overdue_rows_are_filled_red_as_of_the_date(runner, tmp_path):
    out = tmp_path / "ledger.xlsx"
    assert export(runner, DATA, "--output", str(out), "--as-of", "2022-06-30", "--campaign", "4").exit_code == 0
    ws = load_workbook(out).active
    red = sorted(row[0].value for row in ws.iter_rows(min_row=3) if row[0].fill.fgColor.rgb == "00FFC7CE")
    assert red == ["4.10.1", "4.22.4"]  # two recurring obligations with a missed period
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "4.10.1")
    assert row[5].value == "2022-01-31（每月深入煤矿不少于两次）"
    assert all(c.fill.fgColor.rgb == "00FFC7CE" for c in row)


def test_dept_ledger_shows_its_items_and_its_own_reports(runner, make_registry, tmp_path):
    data = make_registry({"04-coal-mine.yaml": HISTORY})
    out = tmp_path / "mine.xlsx"
    result = export(runner, data, "--dept", "市应急局", "--output", str(out), "--as-of", "2022-06-30")
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).active
    assert ws["A1"].value == "测〔2022〕1号 台账 · 4 煤矿安全专项整治 · 市应急管理局 · 截至 2022-06-30"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert [r[0] for r in rows] == ["4.1.1", "4.1.2", "4.2.1"]  # 4.2 through 市、县应急管理局
    # Its own latest report on 4.1.2, not 市能源局's later one.
    assert rows[1][6:] == ["进行中", "已部署", dt.datetime(2022, 5, 2), "市应急管理局"]
    assert rows[2][4] == "市能源局（牵头）、市、县应急管理局"
    everyone = tmp_path / "all.xlsx"
    assert export(runner, data, "--output", str(everyone), "--as-of", "2022-06-30").exit_code == 0
    rows = [[c.value for c in r] for r in load_workbook(everyone).active.iter_rows(min_row=3)]
    assert rows[1][6:] == ["受阻", "资金未到位", dt.datetime(2022, 6, 1), "市能源局"]


def test_by_dept_makes_a_sheet_per_department_with_its_own_reports(runner, make_registry, tmp_path):
    data = make_registry({"04-coal-mine.yaml": HISTORY})
    out = tmp_path / "by-dept.xlsx"
    result = export(runner, data, "--by-dept", "--output", str(out), "--as-of", "2022-06-30")
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    # Departments that see work: 市应急管理局 its own and its group's, 市能源局 4.2, and each
    # county bureau (members of 市、县应急管理局) 4.2.1.
    assert wb.sheetnames == ["市应急管理局", "市能源局", "离石区应急管理局", "孝义市应急管理局"]
    energy = [[c.value for c in r] for r in wb["市能源局"].iter_rows(min_row=3)]
    assert [r[0] for r in energy] == ["4.2.1"]
    assert energy[0][6] == "未开始"
    assert [[c.value for c in r][6] for r in wb["市应急管理局"].iter_rows(min_row=3)] == ["未开始", "进行中", "未开始"]


def test_csv_is_the_same_table_after_the_title_row(runner, make_registry):
    data = make_registry({"04-coal-mine.yaml": HISTORY})
    result = export(runner, data, "--format", "csv", "--as-of", "2022-06-30")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "测〔2022〕1号 台账 · 4 煤矿安全专项整治 · 截至 2022-06-30\n"
        "编号,专项,任务,工作措施,责任单位,完成时限,状态,进展情况,报告日期,报告单位\n"
        "4.1.1,煤矿安全专项整治,4.1,第一项,市应急管理局,2022-12-31,未开始,,,\n"
        "4.1.2,煤矿安全专项整治,4.1,第二项,市应急管理局,2022-06-30（2022年6月底前）,受阻,资金未到位,2022-06-01,市能源局\n"
        "4.2.1,煤矿安全专项整治,4.2,第三项,市能源局（牵头）、市、县应急管理局,2022-12-31,未开始,,,\n")


def test_csv_with_bom_opens_in_excel(runner, make_registry, tmp_path):
    data = make_registry()
    out = tmp_path / "ledger.csv"
    result = export(runner, data, "--format", "csv", "--bom", "--output", str(out), "--as-of", "2022-06-30")
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + "测〔2022〕1号".encode())  # BOM, then the notice
    assert raw.count(b"\r\n") == 5 and raw.count(b"\n") == 5
    stdout = export(runner, data, "--format", "csv", "--bom", "--as-of", "2022-06-30")
    assert stdout.exit_code == 0 and stdout.stdout_bytes == raw


def test_same_registry_and_date_give_the_same_bytes(runner, tmp_path):
    one, two = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    for out in (one, two):
        assert export(runner, DATA, "--output", str(out), "--as-of", "2022-06-30", "-c", "4").exit_code == 0
    assert one.read_bytes() == two.read_bytes()


@pytest.mark.parametrize("args, message", [
    (["--format", "xlsx"], "--format xlsx writes a file: give --output FILE"),
    (["--format", "pdf"], "unknown format 'pdf' (use xlsx or csv)"),
    (["--format", "csv", "--by-dept"], "--by-dept makes a sheet per department: use --format xlsx"),
    (["--bom", "--output", "x.xlsx"], "--bom goes with --format csv (not xlsx)"),
    (["--output", "/nonexistent/x.xlsx"], "--output /nonexistent/x.xlsx: the folder /nonexistent does not exist"),
    (["--output", "x.xlsx", "--campaign", "99"], "no campaign number 99"),
])
def test_usage_errors(runner, make_registry, args, message):
    result = export(runner, make_registry(), *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_build_through_the_core_api():
    registry = open_registry(DATA)
    made = ledger.build(registry, dt.date(2022, 6, 30), "市应急管理局", ["煤矿"])
    assert made.notice == "吕安办发〔2022〕19号" and made.department == "市应急管理局"
    (sheet,) = made.sheets
    assert sheet.name == "04 煤矿安全专项整治" and len(sheet.rows) == 49
    assert [r.id for r in sheet.rows if r.overdue] == ["4.10.1", "4.22.4"]
    empty = ledger.build(registry, dt.date(2022, 6, 30), "市委统战部", ["煤矿"])
    assert [(s.name, s.rows) for s in empty.sheets] == [("台账", [])]


def test_control_characters_in_text_are_shown_not_written_raw(runner, make_registry, tmp_path):
    data = make_registry({"04-coal-mine.yaml": MINI_CAMPAIGN.replace("text: 第一项", 'text: "第一\\e[31m项"')})
    out = tmp_path / "ledger.xlsx"
    result = export(runner, data, "--output", str(out), "--as-of", "2022-06-30")
    assert result.exit_code == 0, result.output
    assert load_workbook(out).active["D3"].value == "第一\\x1b[31m项"
