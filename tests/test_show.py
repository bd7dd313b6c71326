"""`show ID`: the history as it was recorded, the office's decisions and corrections marked."""

from __future__ import annotations

import json

from safetylist.cli import app

ITEM = "5.10.1"  # given to 市、县应急管理局: 14 shares


def run(runner, data, *args):
    result = runner.invoke(app, [*args, "--data", str(data)])
    assert result.exit_code == 0, result.output
    return result.stdout


def record(runner, data):
    """A county reports; the office accepts the whole item, takes that back, a county starts."""
    run(runner, data, "done", ITEM, "--by", "孝义应急", "--date", "2022-06-10", "--note", "已完成")
    run(runner, data, "done", ITEM, "--by", "市政府安委办", "--all", "--date", "2022-06-20", "--note", "验收")
    run(runner, data, "undo", ITEM, "--yes", "--by", "市政府安委办", "--date", "2022-06-21",
        "--note", "尚有县未完成")
    run(runner, data, "start", ITEM, "--by", "汾阳应急", "--date", "2022-06-22")


def test_show_marks_the_offices_decision_and_the_correction_that_took_it_back(runner, shipped_copy):
    record(runner, shipped_copy)
    assert run(runner, shipped_copy, "show", ITEM, "--as-of", "2022-06-30") == (
        "5.10.1  5 非煤矿山安全专项整治 · task 5.10\n"
        "departments: 市、县应急管理局\n"
        "as printed: 市、县应急管理局\n"
        "\n"
        "5.10.1  [in_progress]\n"
        "  text: 2022年6月底前，边坡或排土场高度200米及以上的露天矿山全部推广使用高陡边坡在线安全监测设施。\n"
        "  deadline: 2022-06-30 (explicit: 2022年6月底前); as of 2022-06-30: 0 days left\n"
        "  shares: 1 of 14 done\n"
        "    done: 孝义市应急管理局\n"
        "    in_progress: 汾阳市应急管理局\n"
        "    not_started: 市应急管理局、离石区应急管理局、文水县应急管理局、交城县应急管理局、兴县应急管理局、"
        "临县应急管理局、柳林县应急管理局、石楼县应急管理局、岚县应急管理局、方山县应急管理局、中阳县应急管理局、"
        "交口县应急管理局\n"
        "  history:\n"
        "    1. 2022-06-10 done by=孝义市应急管理局: 已完成\n"
        "    2. 2022-06-20 done for every share (the office's decision) by=市政府安委办 (taken back): 验收\n"
        "    3. 2022-06-21 correction by=市政府安委办 (undo: takes back entry 2): 尚有县未完成\n"
        "    4. 2022-06-22 in_progress by=汾阳市应急管理局\n")
    # Before the correction, the office's decision stands: every share done.
    shown = run(runner, shipped_copy, "show", ITEM, "--as-of", "2022-06-20")
    assert "5.10.1  [in_progress]\n" in shown  # taken back: counts nowhere, as of any date
    assert "    2. 2022-06-20 done for every share (the office's decision) by=市政府安委办 (taken back): 验收\n" in shown


def test_show_json_has_the_offices_decision_and_what_is_taken_back(runner, shipped_copy):
    record(runner, shipped_copy)
    rec = json.loads(run(runner, shipped_copy, "show", ITEM, "--format", "json"))["items"][0]
    assert rec["history"] == [
        {"date": "2022-06-10", "status": "done", "by": "孝义市应急管理局", "note": "已完成"},
        {"date": "2022-06-20", "status": "done", "by": "市政府安委办", "note": "验收", "whole": True,
         "taken_back": True},
        {"date": "2022-06-21", "by": "市政府安委办", "note": "尚有县未完成", "kind": "correction",
         "undoes": 2},
        {"date": "2022-06-22", "status": "in_progress", "by": "汾阳市应急管理局"},
    ]


def test_an_offices_decision_that_stands_closes_every_share(runner, shipped_copy):
    run(runner, shipped_copy, "done", ITEM, "--by", "市政府安委办", "--all", "--date", "2022-06-20")
    shown = run(runner, shipped_copy, "show", ITEM, "--as-of", "2022-06-30")
    assert shown.endswith(
        "  shares: 14 of 14 done\n"
        "    done: 市应急管理局、离石区应急管理局、孝义市应急管理局、汾阳市应急管理局、文水县应急管理局、"
        "交城县应急管理局、兴县应急管理局、临县应急管理局、柳林县应急管理局、石楼县应急管理局、岚县应急管理局、"
        "方山县应急管理局、中阳县应急管理局、交口县应急管理局\n"
        "  history:\n"
        "    1. 2022-06-20 done for every share (the office's decision) by=市政府安委办\n")


def test_log_marks_the_offices_decision_for_every_share(runner, shipped_copy):
    record(runner, shipped_copy)
    entries = json.loads(run(runner, shipped_copy, "log", "--format", "json"))
    assert [(e["date"], e["by"], e["whole"], e["taken_back"]) for e in entries] == [
        ("2022-06-22", "汾阳市应急管理局", False, False), ("2022-06-21", "市政府安委办", False, False),
        ("2022-06-20", "市政府安委办", True, True), ("2022-06-10", "孝义市应急管理局", False, False)]
    table = run(runner, shipped_copy, "log")
    line = next(row for row in table.splitlines() if row.startswith("2022-06-20"))
    assert line.endswith("(taken back) (for every share: the office's decision) 验收")
