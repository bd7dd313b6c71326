"""Taking back a mistaken entry: `safetylist undo`, what it writes, what log and show say."""

from __future__ import annotations

import datetime as dt
import json

from safetylist.cli import app
from safetylist.models import HistoryEntry, Item
from safetylist.undo import latest_in_force, status_without

from conftest import MINI_CAMPAIGN


def run(runner, data, *args, input=None):
    return runner.invoke(app, [*args, "--data", str(data)], input=input)


def coal(data):
    return (data / "tasks" / "04-coal-mine.yaml").read_text(encoding="utf-8")


def item_json(runner, data, ident):
    result = run(runner, data, "show", ident, "--format", "json", "--as-of", "2022-06-01")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["items"][0]


def record(runner, data, *steps):
    for step in steps:
        result = run(runner, data, *step)
        assert result.exit_code == 0, result.output


def test_undo_takes_back_the_latest_entry_and_restores_the_status(runner, shipped_copy):
    record(runner, shipped_copy, ("start", "4.15.2", "--all", "--date", "2022-06-01"),
           ("done", "4.15.2", "--by", "市应急管理局", "--note", "已完成验收", "--date", "2022-06-15"))
    result = run(runner, shipped_copy, "undo", "4.15.2", "--yes", "--note", "误报", "--date", "2022-06-16",
                 "--by", "市应急管理局")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "take back 4.15.2 entry 2: 2022-06-15 done (市应急管理局): 已完成验收; "
        "the status returns to in_progress\n"
        "4.15.2 undo (市应急管理局): took back 4.15.2 entry 2: 2022-06-15 done (市应急管理局): 已完成验收; "
        "the status returns to in_progress (误报)\n")
    assert ("    status: in_progress\n    history:\n"
            "    - {date: 2022-06-01, status: in_progress, by: 市政府安委办, whole: true}\n"
            "    - {date: 2022-06-15, status: done, by: 市应急管理局, note: 已完成验收}\n"
            "    - {date: 2022-06-16, by: 市应急管理局, note: 误报, undoes: 2, kind: correction}\n"
            ) in coal(shipped_copy)
    assert item_json(runner, shipped_copy, "4.15.2")["status"] == "in_progress"
    # A second undo takes back the entry before: corrections and what they took back are passed over.
    result = run(runner, shipped_copy, "undo", "4.15.2", "--yes", "--date", "2022-06-17")
    assert result.exit_code == 0, result.output
    assert item_json(runner, shipped_copy, "4.15.2")["status"] == "not_started"
    result = run(runner, shipped_copy, "undo", "4.15.2", "--yes")
    assert result.exit_code == 2
    assert result.stderr == "safetylist: error: 4.15.2 has no entry in force: nothing to take back\n"
    assert run(runner, shipped_copy, "check").exit_code == 0


def test_log_and_show_say_that_a_correction_was_made(runner, shipped_copy):
    record(runner, shipped_copy, ("done", "4.15.2", "--by", "市应急管理局", "--note", "已完成验收",
                                  "--date", "2022-06-15"),
           ("undo", "4.15.2", "--yes", "--note", "误报", "--date", "2022-06-16"))
    log = run(runner, shipped_copy, "log", "4.15.2")
    assert log.exit_code == 0, log.output
    assert log.stdout.splitlines() == [
        "2 history entries, newest first",
        "date        ID      status      by            period  note",
        "2022-06-16  4.15.2  correction                        undo: takes back entry 1 (2022-06-15 done): 误报",
        "2022-06-15  4.15.2  done        市应急管理局          (taken back) 已完成验收",
    ]
    as_json = json.loads(run(runner, shipped_copy, "log", "4.15.2", "--format", "json").stdout)
    assert [(e["entry"], e["undoes"], e["taken_back"]) for e in as_json] == [(2, 1, False), (1, None, True)]
    shown = run(runner, shipped_copy, "show", "4.15.2", "--as-of", "2022-06-30").stdout
    assert ("  history:\n"
            "    1. 2022-06-15 done by=市应急管理局 (taken back): 已完成验收\n"
            "    2. 2022-06-16 correction (undo: takes back entry 1): 误报\n") in shown


def test_undo_asks_first(runner, shipped_copy):
    record(runner, shipped_copy, ("done", "4.15.2", "--all", "--date", "2022-06-15"))
    before = coal(shipped_copy)
    result = run(runner, shipped_copy, "undo", "4.15.2", input="n\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("take back 4.15.2 entry 1: 2022-06-15 done (市政府安委办); the status returns to not_started\n"
                             "Take it back? [y/N]: n\nnothing was taken back\n")
    assert coal(shipped_copy) == before
    result = run(runner, shipped_copy, "undo", "4.15.2", input="")  # no answer (no terminal, no input)
    assert result.exit_code == 2
    assert "undo asks before it writes and got no answer; nothing was taken back" in result.stderr
    assert coal(shipped_copy) == before
    result = run(runner, shipped_copy, "undo", "4.15.2", "--date", "2022-06-16", input="y\n")
    assert result.exit_code == 0, result.output
    assert "    - {date: 2022-06-16, undoes: 1, kind: correction}\n" in coal(shipped_copy)


def test_dry_run_shows_the_diff_and_writes_nothing(runner, shipped_copy):
    record(runner, shipped_copy, ("done", "4.15.2", "--all", "--date", "2022-06-15"))
    before = coal(shipped_copy)
    result = run(runner, shipped_copy, "undo", "4.15.2", "--dry-run", "--date", "2022-06-16")
    assert result.exit_code == 0, result.output
    assert "+    - {date: 2022-06-16, undoes: 1, kind: correction}\n" in result.stdout
    assert coal(shipped_copy) == before


def test_undo_of_a_task_takes_back_one_update_of_the_task(runner, shipped_copy):
    record(runner, shipped_copy, ("start", "4.15.1", "--all", "--date", "2022-03-01"),
           ("done", "4.15", "--all", "--date", "2022-06-15"))
    result = run(runner, shipped_copy, "undo", "4.15", "--yes", "--date", "2022-06-16")
    assert result.exit_code == 0, result.output
    statuses = [item_json(runner, shipped_copy, f"4.15.{n}")["status"] for n in (1, 2, 3, 4, 5)]
    assert statuses == ["in_progress"] + ["not_started"] * 4
    # Now the items' latest entries differ: one by one.
    result = run(runner, shipped_copy, "undo", "4.15", "--yes")
    assert result.exit_code == 2
    assert result.stderr == ("safetylist: error: the items of task 4.15 have different latest entries; "
                             "take them back one by one (4.15.1, 4.15.2, 4.15.3, 4.15.4, 4.15.5)\n")
    assert run(runner, shipped_copy, "undo", "4.15.1", "--yes").exit_code == 0
    result = run(runner, shipped_copy, "undo", "4.15", "--yes")
    assert result.exit_code == 2
    assert result.stderr == "safetylist: error: no item of task 4.15 has an entry in force: nothing to take back\n"


def test_a_period_taken_back_is_open_again(runner, shipped_copy):
    record(runner, shipped_copy, ("done", "0.2.1", "--all", "--date", "2022-03-28"))
    assert item_json(runner, shipped_copy, "0.2.1")["period"] == "2022-Q2"
    result = run(runner, shipped_copy, "undo", "0.2.1", "--yes", "--date", "2022-03-29")
    assert result.exit_code == 0, result.output
    rec = item_json(runner, shipped_copy, "0.2.1")
    assert (rec["status"], rec["period"], rec["overdue"]) == ("not_started", "2022-Q1", True)
    got = json.loads(run(runner, shipped_copy, "summary", "--month", "2022-03", "--format", "json").stdout)
    assert [r["met"] for r in got["recurring"] if r["id"] == "0.2.1"] == [False]


def test_assignment_entries_are_changed_back_by_assign_and_unassign(runner, shipped_copy):
    record(runner, shipped_copy, ("assign", "2.4", "--dept", "市应急管理局", "--date", "2022-06-01"))
    result = run(runner, shipped_copy, "undo", "2.4.1", "--yes")
    assert result.exit_code == 2
    assert result.stderr == ("safetylist: error: 2.4.1's latest entry records a change of departments "
                             "(assigned 市应急管理局); change it back with `safetylist assign` or "
                             "`safetylist unassign`\n")


def test_a_report_taken_back_counts_in_no_summary_not_even_a_past_months(runner, shipped_copy):
    record(runner, shipped_copy, ("start", "4.15.2", "--all", "--date", "2022-06-01"),
           ("done", "4.15.2", "--all", "--note", "已验收", "--date", "2022-06-15"))
    got = json.loads(run(runner, shipped_copy, "summary", "--month", "2022-06", "--format", "json").stdout)
    assert got["totals"]["done"] == 1 and [r["id"] for r in got["completed"]] == ["4.15.2", "4.15.2"]
    # Taken back in July, with a reason: June's summary, made again, no longer counts it.
    record(runner, shipped_copy, ("undo", "4.15.2", "--yes", "--note", "误报", "--date", "2022-07-05"))
    for month in ("2022-06", "2022-07"):
        got = json.loads(run(runner, shipped_copy, "summary", "--month", month, "--format", "json").stdout)
        assert got["completed"] == [] and got["problems"] == [], month
        assert (got["totals"]["done"], got["totals"]["in_progress"]) == (0, 1), month


def test_status_without_replays_the_entries_in_force():
    day = dt.date(2022, 6, 1)
    item = Item("4.1.1", "x", "blocked", history=[
        HistoryEntry(day, "in_progress"), HistoryEntry(day, "done"), HistoryEntry(day, "in_progress", undoes=2),
        HistoryEntry(day, "blocked")])
    assert latest_in_force(item) == 3
    assert status_without(item, 3) == "in_progress"  # entry 2 is taken back, entry 3 is a correction
    assert status_without(item, 0) == "blocked"  # the later entries still count
    item.history.append(HistoryEntry(day, "in_progress", undoes=4))
    item.history.append(HistoryEntry(day, "in_progress", undoes=1))
    assert latest_in_force(item) is None


def test_check_refuses_an_entry_that_takes_back_what_it_cannot(runner, make_registry):
    bad = MINI_CAMPAIGN.replace("    status: not_started\n", (
        "    status: not_started\n    history:\n"
        "    - {date: 2022-06-01, status: done}\n"
        "    - {date: 2022-06-02, status: not_started, undoes: 1}\n"
        "    - {date: 2022-06-03, status: not_started, undoes: 1}\n"
        "    - {date: 2022-06-04, status: not_started, undoes: 3}\n"
        "    - {date: 2022-06-05, status: not_started, undoes: 9}\n"), 1)
    data = make_registry({"04-coal-mine.yaml": bad})
    result = run(runner, data, "check")
    assert result.exit_code == 1
    errors = [line.split(": error: ", 1)[1] for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "item 4.1.1: entry 1 is taken back twice [correction-target]",
        "item 4.1.1: entry 4 takes back entry 3, itself a correction; record the report again "
        "instead [correction-target]",
        "item 4.1.1: entry 5 takes back entry 9, which is not an earlier entry (1 to 4) "
        "[correction-target]",
    ]


def test_a_back_dated_entry_inserted_before_keeps_the_correction_on_its_entry(runner, shipped_copy):
    record(runner, shipped_copy, ("done", "4.15.2", "--all", "--date", "2022-06-15", "--note", "误报"),
           ("undo", "4.15.2", "--yes", "--date", "2022-06-16"),
           ("start", "4.15.2", "--all", "--date", "2022-05-01"))  # a late report of May, inserted first
    text = coal(shipped_copy)
    assert ("    - {date: 2022-05-01, status: in_progress, by: 市政府安委办, whole: true}\n"
            "    - {date: 2022-06-15, status: done, by: 市政府安委办, note: 误报, whole: true}\n"
            "    - {date: 2022-06-16, undoes: 2, kind: correction}\n") in text
    rec = json.loads(run(runner, shipped_copy, "show", "4.15.2", "--as-of", "2022-06-30",
                         "--format", "json").stdout)["items"][0]
    assert rec["status"] == "in_progress"  # May's start stands; June's done was taken back
    assert run(runner, shipped_copy, "check").exit_code == 0
