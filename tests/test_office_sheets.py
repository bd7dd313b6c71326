"""The monthly summary as an Excel workbook: an overview, then a sheet per section."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from safetylist.cli import app

from test_report import DEPARTMENTS, HISTORY_CAMPAIGN


def test_sections_as_sheets_with_numbers_as_numbers(runner, make_registry, tmp_path):
    data = make_registry({"04-coal-mine.yaml": HISTORY_CAMPAIGN}, departments=DEPARTMENTS)
    out = tmp_path / "2022-06.xlsx"
    result = runner.invoke(app, ["summary", "--month", "2022-06", "--format", "xlsx", "--output",
                                 str(out), "--data", str(data)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["概况", "专项", "责任单位", "本月完成", "存在问题", "逾期", "下月到期",
                             "周期性任务", "长期未报告"]
    overview = wb["概况"]
    assert overview["A1"].value == "安全生产专项整治三年行动月度汇总（2022年6月）"
    assert [c.value for c in overview[6]] == ["专项", "各专项整治进展情况", 1]
    campaigns = wb["专项"]
    assert [c.value for c in campaigns[1]] == ["序号", "专项", "项数", "已完成", "进行中", "未开始", "受阻",
                                               "逾期", "未明确责任单位", "完成率", "份数", "已完成份数"]
    assert [c.value for c in campaigns[2]] == [4, "煤矿安全专项整治", 6, 1, 2, 2, 1, 1, 1, 0.1667, 15, 2]
    assert campaigns["J2"].number_format == "0.0%" and campaigns.freeze_panes == "A2"
    completed = wb["本月完成"]
    assert [c.value for c in completed[2]] == [dt.datetime(2022, 6, 10), "4.1.1", "市应急管理局", "市应急管理局",
                                               "已验收", "否", "已完成的一项"]
    overdue = wb["逾期"]
    assert [c.value for c in overdue[2]] == [dt.datetime(2022, 5, 31), 30, "4.1.2", "进行中", "市应急管理局", "逾期的一项"]
    assert wb["周期性任务"].max_row == 1  # the header only: no recurring obligation in June
