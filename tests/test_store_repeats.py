"""A report made twice: a retried command records nothing twice, a report made again is kept."""

from __future__ import annotations

from safetylist.cli import app

ITEM = "5.10.1"  # given to 市、县应急管理局: 孝义's and 汾阳's bureaus each hold a share


def run(runner, data, *args):
    result = runner.invoke(app, [*args, "--data", str(data)])
    assert result.exit_code == 0, result.output
    return result.stdout


def history(data) -> list[str]:
    text = (data / "tasks" / "05-non-coal-mine.yaml").read_text(encoding="utf-8")
    block = text.split(f"  - id: {ITEM}\n", 1)[1].split("\n- id: ", 1)[0]
    return [line[6:] for line in block.splitlines() if line.startswith("    - {")]


DONE = ("done", ITEM, "--by", "孝义应急", "--date", "2022-06-15", "--note", "已完成")
SAID = "5.10.1 done (孝义市应急管理局): 已完成\n"
AGAIN = "5.10.1 done (孝义市应急管理局): 已完成 (already recorded: nothing written)\n"


def test_a_retry_after_another_departments_report_records_nothing(runner, shipped_copy):
    assert run(runner, shipped_copy, *DONE) == SAID
    run(runner, shipped_copy, "done", ITEM, "--by", "汾阳应急", "--date", "2022-06-15")
    assert run(runner, shipped_copy, *DONE) == AGAIN
    assert history(shipped_copy) == [
        "{date: 2022-06-15, status: done, by: 孝义市应急管理局, note: 已完成}",
        "{date: 2022-06-15, status: done, by: 汾阳市应急管理局}"]


def test_a_retried_back_dated_report_records_nothing(runner, shipped_copy):
    run(runner, shipped_copy, *DONE)
    run(runner, shipped_copy, "note", ITEM, "已上报", "--by", "孝义应急", "--date", "2022-06-20")
    assert run(runner, shipped_copy, *DONE) == AGAIN
    assert len(history(shipped_copy)) == 2


def test_the_same_note_again_after_another_of_ones_own_is_recorded(runner, shipped_copy):
    note = ("note", ITEM, "已检查", "--by", "孝义应急", "--date", "2022-06-15")
    assert run(runner, shipped_copy, *note) == "5.10.1 note (孝义市应急管理局): 已检查\n"
    run(runner, shipped_copy, "note", ITEM, "已整改", "--by", "孝义应急", "--date", "2022-06-15")
    assert run(runner, shipped_copy, *note) == "5.10.1 note (孝义市应急管理局): 已检查\n"
    assert run(runner, shipped_copy, *note) == (
        "5.10.1 note (孝义市应急管理局): 已检查 (already recorded: nothing written)\n")
    # The same monthly note, next month.
    assert run(runner, shipped_copy, *note[:-1], "2022-07-15") == "5.10.1 note (孝义市应急管理局): 已检查\n"
    assert history(shipped_copy) == [
        "{date: 2022-06-15, by: 孝义市应急管理局, note: 已检查}",
        "{date: 2022-06-15, by: 孝义市应急管理局, note: 已整改}",
        "{date: 2022-06-15, by: 孝义市应急管理局, note: 已检查}",
        "{date: 2022-07-15, by: 孝义市应急管理局, note: 已检查}"]
    assert runner.invoke(app, ["check", "--data", str(shipped_copy)]).exit_code == 0


def test_a_report_taken_back_can_be_made_again(runner, shipped_copy):
    run(runner, shipped_copy, *DONE)
    run(runner, shipped_copy, "undo", ITEM, "--yes", "--by", "孝义应急", "--date", "2022-06-16")
    assert run(runner, shipped_copy, *DONE) == SAID
    assert history(shipped_copy) == [
        "{date: 2022-06-15, status: done, by: 孝义市应急管理局, note: 已完成}",
        "{date: 2022-06-15, status: done, by: 孝义市应急管理局, note: 已完成}",
        "{date: 2022-06-16, by: 孝义市应急管理局, undoes: 1, kind: correction}"]
    shown = run(runner, shipped_copy, "show", ITEM, "--as-of", "2022-06-30")
    assert "  shares: 1 of 14 done\n    done: 孝义市应急管理局\n" in shown  # the report made again counts
