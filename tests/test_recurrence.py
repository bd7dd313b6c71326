"""Recurring obligations: periods, next due occurrence, done per period, check, summary."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from safetylist.cli import app
from safetylist.models import HistoryEntry, Item
from safetylist.recurrence import due_period, label, periods, rule_for_text

from conftest import DATA, MINI_CAMPAIGN

START = dt.date(2022, 1, 1)
MONTHLY = "FREQ=MONTHLY;BYMONTHDAY=-1"


def item(rule, *done):
    return Item(id="4.1.1", text="x", recurrence=rule,
                history=[HistoryEntry(date=d, status="done", period=p) for p, d in done])


def test_monthly_due_at_month_end_then_next_month():
    # January and February met: as of mid-March the item is due on 2022-03-31.
    it = item(MONTHLY, ("2022-01", dt.date(2022, 1, 25)), ("2022-02", dt.date(2022, 2, 25)))
    p = due_period(it, START, dt.date(2022, 3, 15))
    assert (p.label, p.due) == ("2022-03", dt.date(2022, 3, 31))
    it.history.append(HistoryEntry(date=dt.date(2022, 3, 20), status="done", period="2022-03"))
    p = due_period(it, START, dt.date(2022, 3, 20))
    assert (p.label, p.due) == ("2022-04", dt.date(2022, 4, 30))


def test_a_missed_period_makes_the_item_overdue_for_it():
    it = item(MONTHLY, ("2022-01", dt.date(2022, 1, 25)))  # February never done
    p = due_period(it, START, dt.date(2022, 3, 15))
    assert (p.label, p.due) == ("2022-02", dt.date(2022, 2, 28))
    assert p.due < dt.date(2022, 3, 15)


@pytest.mark.parametrize("rule, as_of, expected", [
    ("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1", dt.date(2022, 2, 10), ("2022-Q1", "2022-03-31")),
    ("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1", dt.date(2022, 4, 1), ("2022-Q1", "2022-03-31")),
    ("FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=-1", dt.date(2022, 5, 1), ("2022-H1", "2022-06-30")),
    ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", dt.date(2022, 5, 1), ("2022", "2022-12-31")),
    ("FREQ=WEEKLY;BYDAY=SU", dt.date(2022, 1, 1), ("2022-W01", "2022-01-09")),
    ("FREQ=YEARLY;INTERVAL=5;BYMONTH=12;BYMONTHDAY=31", dt.date(2022, 5, 1), ("2022", "2022-12-31")),
])
def test_quarterly_half_yearly_yearly_weekly_rules(rule, as_of, expected):
    p = due_period(item(rule), START, as_of)
    assert (p.label, p.due.isoformat()) == expected


def test_weekly_periods_after_done():
    rule = "FREQ=WEEKLY;BYDAY=SU"
    weeks = periods(rule, START, dt.date(2022, 1, 20))
    # 1-2 January 2022 are ISO week 2021-W52: they join the list's first week, named in 2022.
    assert [(w.label, w.start.isoformat(), w.due.isoformat()) for w in weeks] == [
        ("2022-W01", "2022-01-01", "2022-01-09"),
        ("2022-W02", "2022-01-10", "2022-01-16"), ("2022-W03", "2022-01-17", "2022-01-23")]
    it = item(rule, *[(w.label, w.due) for w in weeks[:2]])
    assert due_period(it, START, dt.date(2022, 1, 18)).label == "2022-W03"
    five = periods("FREQ=YEARLY;INTERVAL=5;BYMONTH=12;BYMONTHDAY=31", START, dt.date(2023, 6, 1))
    assert [(p.label, p.start.isoformat()) for p in five] == [("2022", "2022-01-01"), ("2027", "2023-01-01")]


def test_labels():
    assert label("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1", dt.date(2022, 9, 30)) == "2022-Q3"
    assert label("FREQ=DAILY", dt.date(2022, 9, 30)) == "2022-09-30"


def test_phrases_of_the_notice():
    assert rule_for_text("每年至少组织一次专家指导服务，提升安全监管效果。") == (
        "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", "每年至少组织一次专家指导服务")
    assert rule_for_text("至少每半年组织一次事故预案演练，提高") == (
        "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=-1", "至少每半年组织一次事故预案演练")
    assert rule_for_text("煤矿每周巡回检查 1 次,每月对每个包保煤矿")[0] == "FREQ=WEEKLY;BYDAY=SU"
    assert rule_for_text("2022年底前完成") is None


RECURRING = MINI_CAMPAIGN.replace("""  - id: 4.1.1
    text: 第一项
    status: not_started
""", """  - id: 4.1.1
    text: 每月深入煤矿不少于两次
    status: not_started
    recurrence: FREQ=MONTHLY;BYMONTHDAY=-1
    recurrence_text: 每月深入煤矿不少于两次
""")
assert RECURRING != MINI_CAMPAIGN


def test_done_on_a_recurring_item_completes_one_period_and_it_stays_open(runner, make_registry):
    data = make_registry({"04-coal-mine.yaml": RECURRING})
    for month, day in (("01", "2022-01-28"), ("02", "2022-02-25")):
        result = runner.invoke(app, ["done", "4.1.1", "--date", day, "--by", "市应急管理局", "--data", str(data)])
        assert result.exit_code == 0, result.output
        assert result.stdout == f"4.1.1 done for 2022-{month} (市应急管理局)\n"
    rec = json.loads(runner.invoke(app, ["list", "--as-of", "2022-03-15", "--format", "json",
                                         "--data", str(data)]).stdout)[0]
    assert (rec["id"], rec["deadline"], rec["period"], rec["overdue"], rec["status"]) == (
        "4.1.1", "2022-03-31", "2022-03", False, "in_progress")
    assert rec["deadline_text"] == "每月深入煤矿不少于两次" and rec["recurrence"] == MONTHLY
    due = runner.invoke(app, ["due", "--as-of", "2022-03-15", "--format", "ids", "--data", str(data)])
    assert "4.1.1" in due.stdout.split()
    # Late report for a named period.
    result = runner.invoke(app, ["done", "4.1.1", "--by", "市应急管理局", "--period", "2022-03", "--date", "2022-04-02",
                                 "--data", str(data)])
    assert result.exit_code == 0, result.output
    rec = json.loads(runner.invoke(app, ["list", "--as-of", "2022-04-05", "--format", "json",
                                         "--data", str(data)]).stdout)[0]
    assert (rec["deadline"], rec["period"]) == ("2022-04-30", "2022-04")
    show = runner.invoke(app, ["show", "4.1.1", "--as-of", "2022-05-03", "--data", str(data)]).stdout
    assert "  periods:\n" in show
    assert "    2022-01 (due 2022-01-31): met 2022-01-28 by 市应急管理局\n" in show
    assert "    2022-03 (due 2022-03-31): met 2022-04-02 by 市应急管理局\n" in show
    assert "    2022-04 (due 2022-04-30): missed\n" in show
    assert "    2022-05 (due 2022-05-31): open\n" in show
    assert runner.invoke(app, ["check", "--data", str(data)]).exit_code == 0
    overdue = runner.invoke(app, ["overdue", "--as-of", "2022-05-03", "--format", "json", "--data", str(data)])
    assert [(r["id"], r["period"]) for r in json.loads(overdue.stdout)] == [("4.1.1", "2022-04")]


def test_bad_period_and_period_on_a_plain_item_are_usage_errors(runner, make_registry):
    data = make_registry({"04-coal-mine.yaml": RECURRING})
    result = runner.invoke(app, ["done", "4.1.1", "--all", "--period", "2022-13", "--data", str(data)])
    assert result.exit_code == 2 and "no period '2022-13'" in result.stderr
    result = runner.invoke(app, ["done", "4.1.2", "--all", "--period", "2022-03", "--data", str(data)])
    assert result.exit_code == 2 and "4.1.2 has no recurrence" in result.stderr


@pytest.mark.parametrize("rule, message", [
    ("FREQ=FORTNIGHTLY", "recurrence: "),
    ("EVERY MONTH", "is not an RRULE: it needs FREQ="),
    ("DTSTART:20220101\\nRRULE:FREQ=MONTHLY", "give the RRULE part only"),
])
def test_check_rejects_a_bad_rule_with_its_line(runner, make_registry, rule, message):
    bad = RECURRING.replace("recurrence: FREQ=MONTHLY;BYMONTHDAY=-1", f'recurrence: "{rule}"')
    result = runner.invoke(app, ["check", "--data", str(make_registry({"04-coal-mine.yaml": bad}))])
    assert result.exit_code == 1
    (line,) = [text for text in result.stderr.splitlines() if ": error: " in text]
    assert line.split("tasks/", 1)[1].startswith("04-coal-mine.yaml:16:17: error: item 4.1.1: recurrence: ")
    assert message in line


def test_summary_of_march_lists_the_months_obligations(runner):
    result = runner.invoke(app, ["summary", "--month", "2022-03", "--format", "json", "--data", str(DATA)])
    got = json.loads(result.stdout)["recurring"]
    assert [(r["due"], r["period"], r["id"], r["met"]) for r in got] == [
        ("2022-03-06", "2022-W09", "4.22.4", False), ("2022-03-13", "2022-W10", "4.22.4", False),
        ("2022-03-20", "2022-W11", "4.22.4", False), ("2022-03-27", "2022-W12", "4.22.4", False),
        ("2022-03-31", "2022-03", "0.1.1", False), ("2022-03-31", "2022-Q1", "0.2.1", False),
        ("2022-03-31", "2022-Q1", "0.3.1", False), ("2022-03-31", "2022-03", "4.10.1", False)]
    md = runner.invoke(app, ["summary", "--month", "2022-03", "--data", str(DATA)]).stdout
    assert "## 本月定期任务完成情况（8）" in md
    assert "| 2022-03-31 | 2022-Q1 | 0.2.1 | 否 |  |  | 每季度至少要召开一次推进会 |" in md
    md = runner.invoke(app, ["summary", "--month", "2022-03", "--lang", "en", "--data", str(DATA)]).stdout
    assert "## Recurring obligations of the month, and whether each was met (8)" in md
    assert "| 2022-03-31 | 2022-Q1 | 0.2.1 | no |  |  | 每季度至少要召开一次推进会 |" in md


def test_summary_marks_a_met_obligation(runner, shipped_copy):
    # The campaign leads' group has no members in the first reading: one share, its own name.
    refused = runner.invoke(app, ["done", "0.2.1", "--date", "2022-03-28", "--by", "市应急管理局",
                                  "--data", str(shipped_copy)])
    assert refused.exit_code == 2 and "市应急管理局 holds no share of this item" in refused.stderr
    result = runner.invoke(app, ["done", "0.2.1", "--date", "2022-03-28", "--by", "各专题专项整治牵头部门",
                                 "--data", str(shipped_copy)])
    assert result.exit_code == 0, result.output
    got = json.loads(runner.invoke(app, ["summary", "--month", "2022-03", "--format", "json",
                                         "--data", str(shipped_copy)]).stdout)
    row = [r for r in got["recurring"] if r["id"] == "0.2.1"][0]
    assert (row["met"], row["date"], row["by"]) == (True, "2022-03-28", "各专题专项整治牵头部门")
    assert [r["id"] for r in got["completed"]] == []  # a period done is not the item done


def test_the_lists_period_ends_every_rule():
    end = dt.date(2022, 12, 31)
    weeks = periods("FREQ=WEEKLY;BYDAY=SU", START, dt.date(2023, 3, 1), end)
    assert (weeks[-1].label, weeks[-1].start.isoformat(), weeks[-1].due.isoformat()) == (
        "2022-W52", "2022-12-26", "2022-12-31")  # the last week closes with the list
    months = periods("FREQ=MONTHLY;BYMONTHDAY=-1", START, dt.date(2025, 3, 1), end)
    assert [p.label for p in months][-1] == "2022-12" and len(months) == 12
    it = item("FREQ=MONTHLY;BYMONTHDAY=-1", *[(p.label, p.due) for p in months])
    assert due_period(it, START, dt.date(2025, 3, 1), end) is None  # every period met: none after


@pytest.mark.parametrize("met_june, date, expected", [
    (False, "2022-07-02", "2022-06"),   # a June report filed on 2 July
    (True, "2022-07-02", "2022-07"),    # June already met: the report is July's
    (False, "2022-07-20", "2022-07"),   # past the grace days: the period holding the date
    (False, "2022-07-15", "2022-06"),   # the 15th day after June's end is still within
])
def test_a_late_report_meets_the_period_just_ended(met_june, date, expected):
    from safetylist.recurrence import period_for_report

    rule = "FREQ=MONTHLY;BYMONTHDAY=-1"
    done = [("2022-06", dt.date(2022, 6, 30))] if met_june else []
    found = period_for_report(item(rule, *done), START, dt.date.fromisoformat(date),
                              dt.date(2022, 12, 31), 15)
    assert found.label == expected
