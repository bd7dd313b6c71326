"""Items and their history: text, status, the chronology, recurring periods, corrections."""

from __future__ import annotations

from collections.abc import Iterator

from ..shares import expand, item_status
from ..status import is_in_date_order
from .base import ERROR, WARNING, CampaignCheck, Loc, rule

Found = Iterator[tuple[Loc, str]]

# The advice of `status-matches-history`; `fmt` replaces it with what it does instead.
RECORD_INSTEAD = "record a change with `safetylist update` rather than by editing status"


@rule("empty-text", ERROR, "campaign")
def empty_text(file: CampaignCheck) -> Found:
    """Every item has a text.

    Why: the text is the work to be done, verbatim from the notice; an item without one
    cannot be reported on.

    Fails:

    ```yaml
    - id: 4.1.1
      text: ""
    ```

    Fix: copy the item's text from the notice (`data/source/`); a task whose text the notice
    lost has no items and a `source_note` instead.
    """
    for iloc, _, item in file.items:
        if not item.text.strip():
            yield iloc + ("text",), f"item {item.id}: text is empty"


@rule("task-without-items", WARNING, "campaign")
def task_without_items(file: CampaignCheck) -> Found:
    """Every task has items.

    Why: a task without items is a gap in the notice's table (its text is lost); it stays
    listed so the gap is seen, and its `source_note` should say so.

    Fails:

    ```yaml
    - id: "4.28"
      departments: [市能源局]
      items: []
    ```

    Fix: the items from the notice, if they can be found; otherwise a `source_note` that
    says what is lost (the warning then points to it).
    """
    for tloc, task in file.tasks:
        if not task.items:
            yield tloc + ("id",), (f"task {task.id} has no items (source gap"
                                   + ("; see its source_note)" if task.source_note
                                      else "; no source_note explains it)"))


@rule("status-matches-history", ERROR, "campaign")
def status_matches_history(file: CampaignCheck) -> Found:
    """An item's `status:` is the one its history says (and its shares: done when every
    responsible department's share is done).

    Why: `status:` is kept for `grep`; the history is what every command reads. A status
    edited by hand, without an entry, would make `grep` and the reports disagree from then
    on. This is the rule that guards hand edits.

    Fails:

    ```yaml
    - id: 4.1.1
      text: 第一项
      status: done
    ```

    Fix: put the status back and record the change, which writes both:
    `safetylist done 4.1.1 --by 市应急管理局`. `safetylist fmt` sets every status to what its
    history says (for files of an earlier version).
    """
    d = file.directory
    for iloc, task, item in file.items:
        holders = expand(d, [a.name for a in (item.departments if item.departments is not None
                                              else task.departments)])
        derived = item_status(item, holders)
        if item.status != derived:
            said = f"its history says '{derived}'" if item.history else "no history entry records it"
            yield iloc + ("status",), (f"item {item.id}: status '{item.status}' but {said}; "
                                       f"{RECORD_INSTEAD}")


@rule("history-order", WARNING, "campaign")
def history_order(file: CampaignCheck) -> Found:
    """An item's history is in date order.

    Why: the history is a chronology; every write keeps it so (a back-dated report is
    inserted at its date), and `show` and `log` read it so. An entry pasted out of order by
    hand is still counted at its date.

    Fails:

    ```yaml
    history:
    - {date: 2022-06-01, status: done}
    - {date: 2022-05-01, status: in_progress}
    ```

    Fix: `safetylist fmt` sorts it (same-day entries keep their order).
    """
    for iloc, _, item in file.items:
        if item.history and not is_in_date_order(item.history):
            yield iloc + ("history",), (f"item {item.id}: history is not in date order; "
                                        "`safetylist fmt` sorts it")


@rule("period-entry-done", ERROR, "campaign")
def period_entry_done(file: CampaignCheck) -> Found:
    """A history entry that names a recurring item's `period` has status `done`.

    Why: an entry with a period records that the period was met (what `safetylist done` on a
    recurring item writes); with another status it would claim a period that was not met.

    Fails:

    ```yaml
    - {date: 2022-06-30, status: in_progress, period: 2022-06, by: 市应急管理局}
    ```

    Fix: `status: done`, or remove `period:` for a plain progress report.
    """
    for iloc, _, item in file.items:
        for hi, entry in enumerate(item.history):
            if entry.period is not None and entry.status != "done":
                yield iloc + ("history", hi), (f"item {item.id}: an entry naming period "
                                               f"{entry.period} must be 'done'")


@rule("period-needs-recurrence", ERROR, "campaign")
def period_needs_recurrence(file: CampaignCheck) -> Found:
    """Only a recurring item (one with a `recurrence`) has history entries that name a period.

    Why: periods are those of the item's recurrence (monthly `2022-06`, quarterly
    `2022-Q2`, …); without one there is no period to meet.

    Fails: an item without `recurrence:` whose history has `period: 2022-06`.

    Fix: remove `period:` from the entry, or give the item the `recurrence` its text states.
    """
    for iloc, _, item in file.items:
        if item.recurrence is None and any(h.period is not None for h in item.history):
            yield iloc + ("history",), (f"item {item.id}: history names a period but the item "
                                        "has no recurrence")


@rule("recurrence-rule", ERROR, "campaign")
def recurrence_rule(file: CampaignCheck) -> Found:
    """A recurring item's `recurrence` is an iCalendar RRULE that python-dateutil reads.

    Why: its occurrences are the due dates of the item's periods; a rule that cannot be read
    would leave the item with no due date at all.

    Fails:

    ```yaml
    recurrence: FREQ=MONTLY
    ```

    Fix: `recurrence: FREQ=MONTHLY;BYMONTHDAY=-1` (monthly, due at each month's end).
    """
    items = [(iloc, item) for iloc, _, item in file.items if item.recurrence is not None]
    if not items:
        return
    from ..dates import rrule_problem  # deferred: dateutil is only needed here

    for iloc, item in items:
        message = rrule_problem(item.recurrence or "")
        if message:
            yield iloc + ("recurrence",), f"item {item.id}: recurrence: {message}"


@rule("correction-target", ERROR, "campaign")
def correction_target(file: CampaignCheck) -> Found:
    """An entry that takes back another (`undoes: N`) names an earlier entry of the item that
    is no correction itself and that nothing else takes back; and it names no period.

    Why: `safetylist undo` writes these; one edited by hand could take back nothing, a
    correction, or the same report twice, and the item's status would be wrong.

    Fails:

    ```yaml
    history:
    - {date: 2022-06-01, status: done, undoes: 9}
    ```

    Fix: take back a report with `safetylist undo 4.1.1`, which numbers it; remove the hand
    edit.
    """
    for iloc, _, item in file.items:
        history = item.history
        seen: set[int] = set()
        for hi, entry in enumerate(history):
            n = entry.undoes
            if n is None:
                continue
            where = iloc + ("history", hi)
            if entry.period is not None:
                yield where, (f"item {item.id}: entry {hi + 1} takes back another and names a "
                              "period; a correction names no period")
            elif not 1 <= n <= hi:
                earlier = f"1 to {hi}" if hi else "none comes before it"
                yield where, (f"item {item.id}: entry {hi + 1} takes back entry {n}, which is "
                              f"not an earlier entry ({earlier})")
            elif history[n - 1].undoes is not None:
                yield where, (f"item {item.id}: entry {hi + 1} takes back entry {n}, itself a "
                              "correction; record the report again instead")
            elif n in seen:
                yield where, f"item {item.id}: entry {n} is taken back twice"
            seen.add(n)


RULES = (empty_text, task_without_items, status_matches_history, history_order, period_entry_done,
         period_needs_recurrence, recurrence_rule, correction_target)
