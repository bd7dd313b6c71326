"""Time-true status: what was true on any date, from the history, through the commands."""

from __future__ import annotations

import json

import pytest

from safetylist.cli import app


def run(runner, data, *args):
    result = runner.invoke(app, [*args, "--data", str(data)])
    assert result.exit_code == 0, result.output
    return result


def ids(runner, data, *args):
    return run(runner, data, *args, "--format", "ids").stdout.split()


def summary(runner, data, month, *args):
    return json.loads(run(runner, data, "summary", "--month", month, "--format", "json", *args).stdout)


def test_as_of_answers_with_what_was_recorded_by_then(runner, shipped_copy):
    run(runner, shipped_copy, "done", "5.2.1", "--all", "--date", "2022-09-15")
    # Due 2022-08-31 (9月份前), done on 15 September: overdue on the 10th, not on the 20th.
    assert "5.2.1" in ids(runner, shipped_copy, "overdue", "--as-of", "2022-09-10")
    assert "5.2.1" not in ids(runner, shipped_copy, "overdue", "--as-of", "2022-09-20")
    june = json.loads(run(runner, shipped_copy, "campaigns", "--as-of", "2022-06-30", "--format",
                          "json").stdout)
    assert [c["done"] for c in june if c["campaign"] == 5] == [0]
    october = json.loads(run(runner, shipped_copy, "campaigns", "--as-of", "2022-10-01", "--format",
                             "json").stdout)
    assert [c["done"] for c in october if c["campaign"] == 5] == [1]
    shown = json.loads(run(runner, shipped_copy, "show", "5.2.1", "--as-of", "2022-09-10",
                           "--format", "json").stdout)["items"][0]
    assert (shown["status"], shown["overdue"]) == ("not_started", True)


def test_a_back_dated_entry_takes_its_place_in_the_chronology(runner, shipped_copy):
    run(runner, shipped_copy, "done", "3.3.1", "--all", "--date", "2022-07-20")
    run(runner, shipped_copy, "start", "3.3.1", "--all", "--date", "2022-05-01")  # a late report of May's start
    text = (shipped_copy / "tasks" / "03-hazardous-chemicals.yaml").read_text(encoding="utf-8")
    assert ("    status: done\n    history:\n"
            "    - {date: 2022-05-01, status: in_progress, by: 市政府安委办, whole: true}\n"
            "    - {date: 2022-07-20, status: done, by: 市政府安委办, whole: true}\n") in text
    july = summary(runner, shipped_copy, "2022-07")
    assert {r["id"] for r in july["completed"]} == {"3.3.1"} and len(july["completed"]) == 14  # each share
    assert [(c["done"], c["in_progress"]) for c in july["campaigns"] if c["campaign"] == 3] == [(1, 0)]
    june = summary(runner, shipped_copy, "2022-06")
    assert [(c["done"], c["in_progress"]) for c in june["campaigns"] if c["campaign"] == 3] == [(0, 1)]
    log = run(runner, shipped_copy, "log", "3.3.1", "--format", "json").stdout
    assert [(e["date"], e["status"]) for e in json.loads(log)] == [
        ("2022-07-20", "done"), ("2022-05-01", "in_progress")]


def test_notes_after_a_done_are_not_completions(runner, shipped_copy):
    run(runner, shipped_copy, "done", "5.10.1", "--by", "孝义应急", "--date", "2022-06-20")
    run(runner, shipped_copy, "note", "5.10.1", "补充验收材料", "--by", "孝义应急", "--date", "2022-06-25")
    run(runner, shipped_copy, "note", "5.10.1", "已归档", "--date", "2022-06-28")
    got = summary(runner, shipped_copy, "2022-06")
    assert [(r["id"], r["share"], r["date"], r["reopened"]) for r in got["completed"]] == [
        ("5.10.1", "孝义市应急管理局", "2022-06-20", False)]
    assert got["problems"] == []  # notes that report no problem are not problems


def test_a_done_reverted_in_the_month_is_listed_once_as_reopened(runner, shipped_copy):
    run(runner, shipped_copy, "done", "5.10.1", "--by", "孝义应急", "--date", "2022-06-20")
    run(runner, shipped_copy, "update", "5.10.1", "--by", "孝义应急", "--status", "not_started",
        "--note", "退回", "--date", "2022-06-27")
    got = summary(runner, shipped_copy, "2022-06")
    assert [(r["id"], r["reopened"]) for r in got["completed"]] == [("5.10.1", True)]
    assert got["totals"]["shares_done"] == 0
    mid = summary(runner, shipped_copy, "2022-06", "--as-of", "2022-06-22")
    assert [(r["id"], r["reopened"]) for r in mid["completed"]] == [("5.10.1", False)]
    assert mid["totals"]["shares_done"] == 1


def test_problems_are_blocks_and_problem_notes_never_assignments(runner, shipped_copy):
    run(runner, shipped_copy, "block", "9.15.1", "--all", "--note", "资金未到位", "--date", "2022-06-03")
    run(runner, shipped_copy, "note", "4.15.2", "设备未到货", "--problem", "--date", "2022-06-05")
    run(runner, shipped_copy, "note", "4.15.3", "已部署", "--date", "2022-06-06")
    run(runner, shipped_copy, "assign", "2.4", "--dept", "市应急管理局", "--date", "2022-06-07")
    got = summary(runner, shipped_copy, "2022-06")
    assert [(p["kind"], p["id"], p["note"]) for p in got["problems"]] == [
        ("blocked", "9.15.1", "资金未到位"), ("note", "4.15.2", "设备未到货")]


@pytest.mark.parametrize("before, date, recorded", [
    ([], "2022-07-02", "2022-06"),                                         # a June report filed in July
    ([("--period", "2022-06", "--date", "2022-06-30")], "2022-07-02", "2022-07"),  # June already met
    ([], "2022-07-20", "2022-07"),                                         # past the grace days
])
def test_a_late_monthly_report_meets_the_month_the_clerk_meant(runner, shipped_copy, before, date,
                                                                 recorded):
    for args in before:
        run(runner, shipped_copy, "done", "4.10.1", "--by", "孝义应急", *args)
    result = run(runner, shipped_copy, "done", "4.10.1", "--by", "孝义应急", "--date", date)
    assert result.stdout == f"4.10.1 done for {recorded} (孝义市应急管理局)\n"


def test_the_grace_days_come_from_the_manifest(runner, shipped_copy):
    manifest = shipped_copy / "registry.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("campaigns:\n", "grace_days: 0\ncampaigns:\n", 1), encoding="utf-8")
    assert run(runner, shipped_copy, "done", "4.10.1", "--by", "孝义应急", "--date", "2022-07-02").stdout == \
        "4.10.1 done for 2022-07 (孝义市应急管理局)\n"
    assert run(runner, shipped_copy, "done", "4.10.1", "--by", "孝义应急", "--date", "2022-07-02", "--period",
               "2022-06").stdout == "4.10.1 done for 2022-06 (孝义市应急管理局)\n"


def test_a_recurring_item_reads_done_for_its_period(runner, shipped_copy):
    for month in range(1, 7):
        run(runner, shipped_copy, "done", "4.10.1", "--all", "--period", f"2022-{month:02d}",
            "--date", f"2022-{month:02d}-28")
    show = run(runner, shipped_copy, "show", "4.10.1", "--as-of", "2022-07-05").stdout.splitlines()
    assert "4.10.1  [done for 2022-06]" in show
    assert any(line.startswith("  deadline: 2022-07-31 (recurring: ") for line in show)
    rec = json.loads(run(runner, shipped_copy, "show", "4.10.1", "--as-of", "2022-07-05",
                         "--format", "json").stdout)["items"][0]
    assert (rec["period"], rec["period_met"], rec["status"]) == ("2022-07", "2022-06", "in_progress")


def test_the_lists_period_bounds_its_obligations(runner, shipped_copy):
    later = summary(runner, shipped_copy, "2025-03")
    assert later["recurring"] == []
    january = summary(runner, shipped_copy, "2022-01")
    weekly = [r["period"] for r in january["recurring"] if r["id"] == "4.22.4"]
    assert weekly[0] == "2022-W01" and "2021-W52" not in weekly
    december = summary(runner, shipped_copy, "2022-12")
    assert [r["period"] for r in december["recurring"] if r["id"] == "4.22.4"][-1] == "2022-W52"


def test_a_hand_edited_status_that_the_history_does_not_say_is_an_error(runner, shipped_copy):
    path = shipped_copy / "tasks" / "04-coal-mine.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: 4.15.2\n")
    at = text.index("    status: not_started\n", start)
    path.write_text(text[:at] + "    status: done\n" + text[at + len("    status: not_started\n"):],
                    encoding="utf-8")
    result = runner.invoke(app, ["check", "--data", str(shipped_copy)])
    assert result.exit_code == 1
    assert ("error: item 4.15.2: status 'done' but no history entry records it; record a change "
            "with `safetylist update` rather than by editing status") in result.stderr


def test_history_out_of_date_order_is_sorted_by_fmt(runner, shipped_copy):
    path = shipped_copy / "tasks" / "04-coal-mine.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  - id: 4.15.2\n    text: "
    start = text.index(old)
    at = text.index("    status: not_started\n", start)
    swapped = ("    status: in_progress\n    history:\n    - {date: 2022-06-02, status: in_progress}\n"
               "    - {date: 2022-05-01, status: blocked}\n")
    path.write_text(text[:at] + swapped + text[at + len("    status: not_started\n"):], encoding="utf-8")
    result = runner.invoke(app, ["check", "--data", str(shipped_copy)])
    assert result.exit_code == 0
    assert "warning: item 4.15.2: history is not in date order; `safetylist fmt` sorts it" in result.stderr
    assert run(runner, shipped_copy, "fmt").stdout.startswith("reformatted ")
    assert ("    - {date: 2022-05-01, status: blocked}\n    - {date: 2022-06-02, status: in_progress}\n"
            in path.read_text(encoding="utf-8"))


def test_depts_counts_open_items_as_of_a_date(runner, shipped_copy):
    run(runner, shipped_copy, "done", "4.15.2", "--all", "--date", "2022-06-15")

    def open_own(as_of):
        rows = json.loads(run(runner, shipped_copy, "depts", "--as-of", as_of, "--format", "json").stdout)
        return {r["name"]: r["open_own"] for r in rows}

    before, after = open_own("2022-06-14"), open_own("2022-06-16")
    assert {k: before[k] - after[k] for k in before if before[k] != after[k]} == {
        "市应急管理局": 1, "国家矿山安全监察局山西局执法五处": 1}


def test_the_summary_reads_every_section_from_the_shares(runner, shipped_copy):
    for args in (("done", "5.10.1", "--by", "孝义应急", "--date", "2022-06-10"),
                 ("block", "5.10.1", "--by", "离石应急", "--note", "资金未到位", "--date", "2022-06-13"),
                 ("start", "5.10.1", "--by", "市应急管理局", "--date", "2022-06-14"),
                 ("done", "4.10.1", "--by", "孝义应急", "--date", "2022-06-20")):
        run(runner, shipped_copy, *args)
    june = summary(runner, shipped_copy, "2022-06")
    # One share blocked: the item is blocked, and is a problem, whatever the others reported since.
    assert [(p["kind"], p["id"]) for p in june["problems"]] == [("blocked", "5.10.1")]
    # A monthly obligation of 14 bodies is not met for June by one of them.
    assert [r["met"] for r in june["recurring"] if r["id"] == "4.10.1" and r["period"] == "2022-06"] == [False]
    july = summary(runner, shipped_copy, "2022-07")
    assert "5.10.1" in [r["id"] for r in july["overdue"]]


def test_undo_takes_back_the_departments_own_latest_report(runner, shipped_copy):
    run(runner, shipped_copy, "done", "5.10.1", "--by", "汾阳应急", "--note", "误报", "--date", "2022-06-10")
    run(runner, shipped_copy, "done", "5.10.1", "--by", "孝义应急", "--date", "2022-06-12")
    result = run(runner, shipped_copy, "undo", "5.10.1", "--yes", "--by", "汾阳应急", "--date", "2022-06-13")
    assert result.stdout.startswith("take back 5.10.1 entry 1: 2022-06-10 done (汾阳市应急管理局): 误报")
    refused = runner.invoke(app, ["undo", "5.10.1", "--yes", "--by", "市公安局", "--data", str(shipped_copy)])
    assert refused.exit_code == 2 and "no entry of 市公安局's in force" in refused.stderr


def test_the_statuses_are_defined_once():
    from typing import get_args

    from safetylist import models, report, status, typed

    assert status.STATUSES == ("not_started", "in_progress", "done", "blocked")
    assert get_args(models.Status) == status.STATUSES  # the type says what the tuple says
    assert models.STATUSES is status.STATUSES and typed.STATUSES is status.STATUSES
    assert sorted(report.STATUS_ORDER) == sorted(status.STATUSES)  # the summary's order only
    assert set(typed.STATUS_CN) == set(status.STATUSES)


@pytest.mark.parametrize("word, open_", [("not_started", True), ("in_progress", True),
                                         ("blocked", True), ("done", False)])
def test_open_and_overdue_have_one_definition_each(word, open_):
    import datetime as dt

    from safetylist.status import is_open_status, is_overdue, is_past

    day = dt.date(2022, 6, 30)
    assert is_open_status(word) is open_
    assert not is_past(None, day) and not is_past(day, day) and is_past(day, day + dt.timedelta(1))
    # Overdue: open, and the deadline passed; a deadline is met on its day, and none is never due.
    assert is_overdue(word, day, day + dt.timedelta(1)) is open_
    assert not is_overdue(word, day, day) and not is_overdue(word, None, day)
