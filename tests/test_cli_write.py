"""Recording progress: update, start, done, block, note, assign, unassign, log, fmt."""

from __future__ import annotations

import errno
import json
import os

import pytest

from safetylist.cli import app


def run(runner, data, *args):
    return runner.invoke(app, [*args, "--data", str(data)])


def coal(data):
    return (data / "tasks" / "04-coal-mine.yaml").read_text(encoding="utf-8")


def item_json(runner, data, ident, as_of="2022-06-30"):
    result = run(runner, data, "show", ident, "--format", "json", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["items"][0]


def test_done_records_history_and_status(runner, shipped_copy):
    result = run(runner, shipped_copy, "done", "4.15.2", "--by", "市应急局", "--note", "已完成验收",
                 "--date", "2022-06-15")
    assert result.exit_code == 0, result.output
    assert result.stdout == "4.15.2 done (市应急管理局): 已完成验收\n"
    rec = item_json(runner, shipped_copy, "4.15.2")
    # One of its two shares: the item is in progress until 执法五处 reports its own.
    assert (rec["status"], rec["shares_done"], rec["shares_total"]) == ("in_progress", 1, 2)
    assert item_json(runner, shipped_copy, "4.15.2", "2022-06-14")["status"] == "not_started"
    assert rec["history"] == [{"date": "2022-06-15", "status": "done", "by": "市应急管理局", "note": "已完成验收"}]
    assert ("    status: in_progress\n    history:\n"
            "    - {date: 2022-06-15, status: done, by: 市应急管理局, note: 已完成验收}\n") in coal(shipped_copy)
    run(runner, shipped_copy, "done", "4.15.2", "--by", "执法五处", "--date", "2022-06-20")
    assert item_json(runner, shipped_copy, "4.15.2")["status"] == "done"


def test_start_block_note_and_update_append_and_never_drop(runner, shipped_copy):
    steps = [
        ("start", "4.15.2", "--all", "--date", "2022-03-01"),
        ("note", "4.15.2", "已召开推进会", "--date", "2022-03-20", "--by", "执法五处"),
        ("block", "4.15.2", "--all", "--note", "资金未到位", "--date", "2022-04-02"),
        ("update", "4.15.2", "--all", "--status", "in_progress", "--date", "2022-05-01"),
    ]
    for step in steps:
        result = run(runner, shipped_copy, *step)
        assert result.exit_code == 0, result.output
    rec = item_json(runner, shipped_copy, "4.15.2")
    assert rec["status"] == "in_progress"
    assert rec["history"] == [
        {"date": "2022-03-01", "status": "in_progress", "by": "市政府安委办", "whole": True},
        {"date": "2022-03-20", "by": "国家矿山安全监察局山西局执法五处", "note": "已召开推进会"},
        {"date": "2022-04-02", "status": "blocked", "by": "市政府安委办", "note": "资金未到位", "whole": True},
        {"date": "2022-05-01", "status": "in_progress", "by": "市政府安委办", "whole": True},
    ]
    assert run(runner, shipped_copy, "check").exit_code == 0


def test_update_of_a_task_updates_all_its_items(runner, shipped_copy):
    result = run(runner, shipped_copy, "start", "4.15", "--all", "--date", "2022-03-01")
    assert result.exit_code == 0, result.output
    got = run(runner, shipped_copy, "list", "--status", "in_progress", "--format", "ids")
    assert got.stdout.split() == ["4.15.1", "4.15.2", "4.15.3", "4.15.4", "4.15.5"]


def test_dry_run_prints_the_diff_and_writes_nothing(runner, shipped_copy):
    before = coal(shipped_copy)
    result = run(runner, shipped_copy, "done", "4.15.2", "--all", "--date", "2022-06-15", "--dry-run")
    assert result.exit_code == 0, result.output
    assert coal(shipped_copy) == before
    assert result.stdout.startswith("--- a/data/tasks/04-coal-mine.yaml\n+++ b/data/tasks/04-coal-mine.yaml\n")
    assert [line for line in result.stdout.splitlines() if line[:1] in "+-" and line[:3] not in ("---", "+++")] == [
        "-    status: not_started", "+    status: done", "+    history:",
        "+    - {date: 2022-06-15, status: done, by: 市政府安委办, whole: true}"]


def test_assign_and_unassign(runner, shipped_copy):
    result = run(runner, shipped_copy, "assign", "2.4", "--dept", "市应急管理局", "--role", "lead",
                 "--by", "市政府安委办", "--date", "2022-05-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2.4 assigned 市应急管理局 (lead) (市政府安委办)\n"
    assert "2.4.1" not in run(runner, shipped_copy, "unassigned", "--format", "ids").stdout.split()
    assert "2.4.1" in run(runner, shipped_copy, "due", "--dept", "市应急管理局", "--format", "ids").stdout.split()
    rec = item_json(runner, shipped_copy, "2.4.1")
    assert rec["roles"] == [{"name": "市应急管理局", "role": "lead"}]
    assert rec["history"][-1] == {"date": "2022-05-01", "by": "市政府安委办",
                                  "note": "assigned 市应急管理局 (lead)", "kind": "assignment"}
    result = run(runner, shipped_copy, "unassign", "2.4", "--dept", "市应急管理局", "--date", "2022-05-02")
    assert result.exit_code == 0, result.output
    assert "2.4.1" in run(runner, shipped_copy, "unassigned", "--format", "ids").stdout.split()
    assert len(item_json(runner, shipped_copy, "2.4.1")["history"]) == 2
    result = run(runner, shipped_copy, "unassign", "2.4", "--dept", "市应急管理局")
    assert result.exit_code == 2
    assert "is not assigned to 市应急管理局" in result.stderr


def test_assigning_an_inferred_department_confirms_it(runner, make_registry):
    from conftest import MINI_INFERRED

    data = make_registry({"04-coal-mine.yaml": MINI_INFERRED})
    path = data / "tasks" / "04-coal-mine.yaml"
    # Another department does not confirm the merged cell's reading: the mark stays.
    result = run(runner, data, "assign", "4.3", "--dept", "市应急管理局", "--date", "2022-05-01")
    assert result.exit_code == 0, result.output
    assert "  departments_text: 市能源局\n  departments_inferred: true\n" in path.read_text(encoding="utf-8")
    assert run(runner, data, "unassigned", "--format", "ids").stdout.split() == ["4.3.1"]
    result = run(runner, data, "assign", "4.3", "--dept", "市能源局", "--role", "lead",
                 "--by", "市应急管理局", "--date", "2022-05-02")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("4.3 assigned 市能源局 (lead), confirming the departments inferred "
                             "from a merged cell (市应急管理局)\n")
    assert "departments_inferred" not in path.read_text(encoding="utf-8")
    assert run(runner, data, "unassigned", "--format", "ids").stdout == ""
    rec = item_json(runner, data, "4.3.1")
    assert rec["departments_inferred"] is False
    assert rec["history"][-1]["note"] == ("assigned 市能源局 (lead), confirming the departments "
                                          "inferred from a merged cell")
    assert run(runner, data, "fmt", "--check").exit_code == 0


def test_assign_a_lost_task(runner, shipped_copy):
    result = run(runner, shipped_copy, "assign", "4.28", "--dept", "市能源局", "--date", "2022-05-01")
    assert result.exit_code == 0, result.output
    assert run(runner, shipped_copy, "check").exit_code == 0


def test_log_newest_first_with_filters(runner, shipped_copy):
    for args in (("done", "4.15.2", "--date", "2022-06-15", "--by", "市应急管理局"),
                 ("start", "3.1.1", "--date", "2022-02-01", "--by", "市工信局"),
                 ("note", "4.16.1", "能源局已部署", "--date", "2022-07-01", "--by", "市能源局")):
        assert run(runner, shipped_copy, *args).exit_code == 0
    got = json.loads(run(runner, shipped_copy, "log", "--format", "json").stdout)
    assert [(e["date"], e["id"]) for e in got] == [
        ("2022-07-01", "4.16.1"), ("2022-06-15", "4.15.2"), ("2022-02-01", "3.1.1")]
    assert run(runner, shipped_copy, "log", "4", "--format", "ids").stdout.split() == ["4.16.1", "4.15.2"]
    assert run(runner, shipped_copy, "log", "4.15", "--format", "ids").stdout.split() == ["4.15.2"]
    assert run(runner, shipped_copy, "log", "--since", "2022-06-01", "--format", "ids").stdout.split() == [
        "4.16.1", "4.15.2"]
    # 市工信局 supports task 4.16 and reported on 3.1.1
    assert run(runner, shipped_copy, "log", "--dept", "市工信局", "--format", "ids").stdout.split() == [
        "4.16.1", "3.1.1"]
    assert run(runner, shipped_copy, "log", "--dept", "市公安局", "--format", "ids").stdout.split() == []
    table = run(runner, shipped_copy, "log").stdout.splitlines()
    assert table[0] == "3 history entries, newest first"
    assert table[2].split() == ["2022-07-01", "4.16.1", "note", "市能源局", "能源局已部署"]


def test_log_of_one_day_is_in_id_order_and_each_item_s_later_entries_first(runner, shipped_copy):
    for args in (("note", "4.15.2", "第一条", "--by", "市应急管理局"), ("note", "4.9.1", "第二条"),
                 ("note", "4.15.2", "第三条", "--by", "市应急管理局"), ("note", "13.1.1", "第四条"),
                 ("note", "4.15.1", "第五条", "--by", "市应急管理局")):
        assert run(runner, shipped_copy, *args, "--date", "2022-06-15").exit_code == 0
    got = json.loads(run(runner, shipped_copy, "log", "--format", "json").stdout)
    # 4.9 before 4.15 (numbers, not text), and 13 after 4.
    assert [(e["id"], e["note"]) for e in got] == [
        ("4.9.1", "第二条"), ("4.15.1", "第五条"), ("4.15.2", "第三条"), ("4.15.2", "第一条"),
        ("13.1.1", "第四条")]


@pytest.mark.parametrize("args, message", [
    (["update", "4.15.2", "--all", "--status", "finished"], "unknown status 'finished'"),
    (["done", "4.15.2", "--by", "不存在的局"], "unknown department '不存在的局'"),
    (["done", "4.15.2", "--all", "--date", "2022-02-30"], "--date: '2022-02-30' is not a real date"),
    (["done", "4.15.9", "--all"], "no item 4.15.9"),
    (["done", "4.99", "--all"], "no task 4.99"),
    (["update", "4.15.2", "--all"], "update needs --status or --note"),
    (["assign", "4.15.2", "--dept", "市能源局"], "'4.15.2' is not a task id"),
    (["assign", "4.15", "--dept", "市能源局", "--role", "boss"], "unknown role 'boss'"),
    (["done", "2.10", "--all"], "task 2.10 has no items"),
])
def test_invalid_updates_leave_the_file_byte_identical(runner, shipped_copy, args, message):
    before = {p.name: p.read_bytes() for p in (shipped_copy / "tasks").iterdir()}
    result = run(runner, shipped_copy, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in (shipped_copy / "tasks").iterdir()} == before


def test_hand_edits_are_refused_not_lost(runner, shipped_copy):
    path = shipped_copy / "tasks" / "04-coal-mine.yaml"
    edited = coal(shipped_copy).replace("tasks:\n", "# 2022-05 复核：执法五处确认\ntasks:\n", 1)
    edited = edited.replace("title: 煤矿安全专项整治\n", "title: 煤矿安全专项整治 # 标题\n", 1)
    path.write_text(edited, encoding="utf-8")
    checked = run(runner, shipped_copy, "check")
    assert checked.exit_code == 0
    assert ("04-coal-mine.yaml:3:17: warning: end-of-line comment '# 标题': YAML ends the value "
            "before it (a ' #' typed into a text cuts the text short; put the text in double "
            "quotes), and writes drop it") in checked.stderr
    result = run(runner, shipped_copy, "done", "4.15.2", "--all")
    assert result.exit_code == 3
    assert path.read_text(encoding="utf-8") == edited
    assert "04-coal-mine.yaml:3: hand edits the writer would not keep" in result.stderr
    assert "Run `safetylist fmt " in result.stderr
    check = run(runner, shipped_copy, "fmt", "--check")
    assert check.exit_code == 1
    assert check.stdout.endswith("1 of 14 file(s) not in the canonical layout\n")
    assert check.stderr.splitlines()[-2:] == [
        f"{path}:3:17: warning: comment '# 标题' would be dropped by the canonical layout",
        f"{path}:9:1: warning: comment '# 2022-05 复核：执法五处确认' would be dropped by the canonical layout"]
    assert path.read_text(encoding="utf-8") == edited
    fixed = run(runner, shipped_copy, "fmt")
    assert fixed.exit_code == 0, fixed.output
    assert f"{path}:9:1: warning: comment '# 2022-05 复核：执法五处确认' was dropped" in fixed.stderr
    assert f"{path}:3:17: warning: comment '# 标题' was dropped" in fixed.stderr
    assert run(runner, shipped_copy, "fmt", "--check").exit_code == 0
    assert run(runner, shipped_copy, "done", "4.15.2", "--all").exit_code == 0


def test_invalid_file_is_not_written(runner, shipped_copy):
    path = shipped_copy / "tasks" / "04-coal-mine.yaml"
    broken = coal(shipped_copy).replace("    status: not_started\n", "    status: finished\n", 1)
    path.write_text(broken, encoding="utf-8")
    result = run(runner, shipped_copy, "done", "1.1.1", "--all")
    assert result.exit_code == 1  # the registry is invalid: nothing runs on it
    assert "04-coal-mine.yaml:" in result.stderr and "status" in result.stderr
    assert path.read_text(encoding="utf-8") == broken


class _Failing:
    """A stand-in for a module (``os``, ``tempfile``) whose one function fails with ``err``.

    Set on the module that calls it (``store.os``), so pytest, typer and every other caller
    of the real function are untouched.
    """

    def __init__(self, real, name: str, err: int):
        self._real, self._name, self._err, self.calls = real, name, err, 0

    def __getattr__(self, attr):
        if attr != self._name:
            return getattr(self._real, attr)

        def fail(*args, **kwargs):
            self.calls += 1
            raise OSError(self._err, os.strerror(self._err))

        return fail


@pytest.mark.parametrize("where, err", [
    ("store.tempfile.mkstemp", errno.EACCES),  # permission denied: the folder cannot take a new file
    ("store.os.fsync", errno.ENOSPC),          # disk full while the new file is flushed
    ("fileops.os.replace", errno.EROFS),       # read-only file system at the rename
])
def test_a_failing_write_is_a_clear_error_and_the_file_is_intact(runner, shipped_copy, monkeypatch,
                                                                  where, err):
    from safetylist import fileops, store

    module, attr, name = where.split(".")
    user = {"store": store, "fileops": fileops}[module]
    failing = _Failing(getattr(user, attr), name, err)
    before = coal(shipped_copy)
    monkeypatch.setattr(user, attr, failing)
    result = run(runner, shipped_copy, "done", "4.15.2", "--all")
    monkeypatch.undo()
    assert failing.calls == 1  # the write failed where it was made to, once
    assert result.exit_code == 3, result.output
    assert os.strerror(err) in result.stderr and "unchanged" in result.stderr
    assert coal(shipped_copy) == before
    assert [p.name for p in (shipped_copy / "tasks").iterdir() if p.name.endswith(".tmp")] == []


def test_a_crlf_file_stays_crlf_and_changes_only_the_items_lines(runner, shipped_copy):
    path = shipped_copy / "tasks" / "04-coal-mine.yaml"
    lf = path.read_bytes()
    path.write_bytes(lf.replace(b"\n", b"\r\n"))
    result = run(runner, shipped_copy, "done", "4.15.2", "--by", "市应急管理局", "--date", "2022-06-15")
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.count(b"\r\n") == after.count(b"\n")  # CRLF throughout
    old, new = lf.decode().splitlines(), after.decode().replace("\r\n", "\n").splitlines()
    assert len(new) - len(old) == 2 and [line for line in new if line not in old] == [
        "    status: in_progress", "    history:", "    - {date: 2022-06-15, status: done, by: 市应急管理局}"]


def test_a_file_with_mixed_line_endings_is_refused_unchanged(runner, shipped_copy):
    path = shipped_copy / "tasks" / "04-coal-mine.yaml"
    mixed = path.read_bytes().replace(b"\n", b"\r\n", 3)
    path.write_bytes(mixed)
    result = run(runner, shipped_copy, "done", "4.15.2", "--all")
    assert result.exit_code == 3
    assert result.stderr.startswith("safetylist: error: ") and "mixes CRLF and LF line endings; " \
        "nothing was written. Run `safetylist fmt" in result.stderr
    assert path.read_bytes() == mixed
    fixed = run(runner, shipped_copy, "fmt")
    assert fixed.exit_code == 0 and "changed from CRLF to LF" in fixed.stderr
    assert b"\r" not in path.read_bytes()


def test_a_retried_report_is_recorded_once(runner, shipped_copy):
    args = ["done", "4.15.2", "--by", "市应急管理局", "--date", "2022-06-15", "--note", "已验收"]
    first = run(runner, shipped_copy, *args)
    assert (first.exit_code, first.stdout) == (0, "4.15.2 done (市应急管理局): 已验收\n")
    before = coal(shipped_copy)
    again = run(runner, shipped_copy, *args)
    assert (again.exit_code, again.stdout) == (
        0, "4.15.2 done (市应急管理局): 已验收 (already recorded: nothing written)\n")
    assert coal(shipped_copy) == before
    other_day = run(runner, shipped_copy, *args[:-3], "2022-06-16", "--note", "已验收")
    assert other_day.exit_code == 0 and "already" not in other_day.stdout


def test_a_note_cannot_forge_lines_or_reorder_text(runner, shipped_copy):
    forged = "见附件\n    2022-07-01 done by=市应急管理局\t\u202e局理管急应\u200b"
    result = run(runner, shipped_copy, "note", "4.15.2", forged, "--date", "2022-06-30")
    assert result.exit_code == 0, result.output
    shown = "见附件\\n    2022-07-01 done by=市应急管理局\\t\\u202e局理管急应\\u200b"
    assert result.stdout == f"4.15.2 note: {shown}\n"
    show = run(runner, shipped_copy, "show", "4.15.2", "--as-of", "2022-07-01")
    assert show.stdout.splitlines()[-2:] == ["  history:", f"    1. 2022-06-30 note: {shown}"]
    log = run(runner, shipped_copy, "log", "4.15.2")
    assert log.stdout.splitlines()[-1].endswith(shown) and len(log.stdout.splitlines()) == 3
    data = json.loads(run(runner, shipped_copy, "log", "4.15.2", "--format", "json").stdout)
    assert data[0]["note"] == forged  # JSON keeps the data verbatim


def test_assigning_an_assigned_department_changes_its_role_only_when_asked(runner, shipped_copy):
    before = coal(shipped_copy)
    result = run(runner, shipped_copy, "assign", "4.16", "--dept", "市能源局", "--date", "2022-05-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("task 4.16 already has 市能源局 as lead: nothing changed; "
                             "give --role to change its role\n")
    result = run(runner, shipped_copy, "assign", "4.16", "--dept", "能源局", "--role", "牵头")
    assert result.stdout == "task 4.16 already has 市能源局 as lead: nothing changed\n"
    assert coal(shipped_copy) == before
    result = run(runner, shipped_copy, "assign", "4.16", "--dept", "市能源局", "--role", "配合",
                 "--date", "2022-05-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == "4.16 role of 市能源局 changed from lead to support\n"
    rec = item_json(runner, shipped_copy, "4.16.1")
    assert rec["roles"][0] == {"name": "市能源局", "role": "support"}
    assert rec["history"][-1]["note"] == "role of 市能源局 changed from lead to support"


def test_office_words_full_width_ids_and_dates_without_a_year(runner, shipped_copy):
    result = run(runner, shipped_copy, "update", "４．１５。２", "--status", "已完成", "--date", "6月15日",
                 "--by", "吕梁市应急管理局")
    assert result.exit_code == 0, result.output
    assert result.stdout == "4.15.2 done (市应急管理局)\n"
    result = run(runner, shipped_copy, "assign", "2。4", "--dept", "市應急管理局", "--role", "督促指导",
                 "--date", "2022年5月1号")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2.4 assigned 市应急管理局 (supervise)\n"
    assert item_json(runner, shipped_copy, "4.15.2")["history"] == [
        {"date": "2022-06-15", "status": "done", "by": "市应急管理局"}]  # the registry's year, 2022
    result = run(runner, shipped_copy, "done", "0.1.1", "--all", "--period", "2022-6", "--date", "2022-07-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == "0.1.1 done for every share (the office's decision) for 2022-06 (市政府安委办)\n"


def test_a_note_may_start_with_a_dash_and_may_not_be_empty(runner, shipped_copy):
    result = run(runner, shipped_copy, "note", "4.15.2", "-5%的企业未完成", "--date", "2022-06-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == "4.15.2 note: -5%的企业未完成\n"
    result = runner.invoke(app, ["note", "4.15.2", "--date", "2022-06-02", "--data", str(shipped_copy),
                                 "--", "-3家"])
    assert result.exit_code == 0, result.output
    assert run(runner, shipped_copy, "update", "4.15.2", "--all", "--note=-2家", "--date", "2022-06-03").exit_code == 0
    assert [h["note"] for h in item_json(runner, shipped_copy, "4.15.2")["history"]] == [
        "-5%的企业未完成", "-3家", "-2家"]
    before = coal(shipped_copy)
    result = run(runner, shipped_copy, "note", "4.15.2", "--dryrun")
    assert result.exit_code == 2
    assert result.stderr == ("safetylist: error: '--dryrun' looks like a mistyped option, not a note; to "
                             "record it as a note, write `safetylist update 4.15.2 --note=--dryrun`\n")
    for args in (("note", "4.15.2", ""), ("note", "4.15.2", " \u3000"), ("update", "4.15.2", "--all", "--note", ""),
                 ("block", "4.15.2", "--all", "--note", " ")):
        result = run(runner, shipped_copy, *args)
        assert result.exit_code == 2, args
        assert "the note is empty" in result.stderr
    assert coal(shipped_copy) == before
