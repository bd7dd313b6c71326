"""Property tests (hypothesis): the layout round-trips, updates touch only their item, and no
input file, however broken, produces a traceback."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from safetylist.cli import app
from safetylist.departments import Directory
from safetylist.layout import dump_campaign
from safetylist.models import Campaign, DepartmentsFile, HistoryEntry, Item
from safetylist.validate import _adapter, parse_campaign
from safetylist.store import record

from conftest import MINI_CAMPAIGN, MINI_DEPARTMENTS

DIRECTORY = Directory.build(_adapter(DepartmentsFile).validate_python(yaml.safe_load(MINI_DEPARTMENTS)))
NAMES = sorted(DIRECTORY.entries)
SLUGS = ["coal-mine", "fire", "road-transport", "a1"]
LINE = re.compile(r"^.+:\d+:\d+: (error|warning): .+$")

texts = st.text(min_size=1, max_size=40).filter(str.strip)
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
statuses = st.sampled_from(["not_started", "in_progress", "done", "blocked"])
few_dates = st.sampled_from([dt.date(2022, 5, 1), dt.date(2022, 6, 1), dt.date(2022, 7, 1)])  # same-day entries


@st.composite
def deadlines(draw):
    return {"date": draw(dates), "text": draw(st.none() | texts), "ambiguous": draw(st.booleans())}


@st.composite
def assignments(draw):
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3))
    return [{"name": n, "role": draw(st.none() | st.sampled_from(["lead", "support", "supervise", "implement"]))}
            for n in names]


@st.composite
def campaigns(draw):
    number = draw(st.integers(0, 13))
    tasks = []
    for k in range(1, draw(st.integers(0, 4)) + 1):
        items = []
        for j in range(1, draw(st.integers(0, 3)) + 1):
            history = sorted(
                [{"date": draw(dates), "status": draw(st.none() | statuses),
                  "by": draw(st.none() | st.sampled_from(NAMES)), "note": draw(st.none() | texts),
                  "problem": draw(st.booleans())} for _ in range(draw(st.integers(0, 3)))],
                key=lambda h: h["date"])  # a chronology, as the files keep it
            said = [h["status"] for h in history if h["status"] is not None]
            item = {"id": f"{number}.{k}.{j}", "text": draw(texts),
                    "status": said[-1] if said else "not_started",
                    "deadline": draw(st.none() | deadlines()), "history": history}
            if draw(st.booleans()):
                item["departments"] = draw(assignments())
            items.append(item)
        tasks.append({"id": f"{number}.{k}", "departments": draw(assignments()),
                      "departments_text": draw(st.none() | texts), "deadline": draw(st.none() | deadlines()),
                      "source_note": draw(st.none() | texts), "items": items,
                      "departments_inferred": draw(st.booleans())})
    data = {"id": draw(st.sampled_from(SLUGS)), "number": number, "title": draw(texts),
            "heading": draw(texts), "declared": {"tasks": len(tasks), "items": sum(len(t["items"]) for t in tasks)},
            "source": draw(texts), "default_deadline": draw(dates), "source_note": draw(st.none() | texts),
            "removed": [{"id": f"{number}.{len(tasks) + 1 + n}", "reason": draw(texts)}
                        for n in range(draw(st.integers(0, 2)))],
            "tasks": tasks}
    campaign = _adapter(Campaign).validate_python(data)
    # The status a file holds is the one its history and shares say (``shares``).
    from safetylist.shares import expand, item_status

    for t in campaign.tasks:
        for i in t.items:
            names = [a.name for a in (i.departments if i.departments is not None else t.departments)]
            i.status = item_status(i, expand(DIRECTORY, names))
    return campaign


def parse(c: Campaign, text: str):
    path = Path(f"/registry/tasks/{c.number:02d}-{c.id}.yaml")
    return parse_campaign(path, text, DIRECTORY)


@settings(max_examples=150, deadline=None)
@given(campaigns())
def test_load_dump_load_is_the_identity_and_dump_is_stable(c):
    text = dump_campaign(c)
    again, problems = parse(c, text)
    assert [p for p in problems if p.level == "error"] == []
    assert again == c
    assert dump_campaign(again) == text
    assert all("\n" not in line for line in text.splitlines())


@settings(max_examples=150, deadline=None)
@given(campaigns())
def test_plain_data_rebuilds_the_same_models_by_field_name(c):
    """The parse cache's path: to_plain -> JSON -> from_plain gives back the very campaign."""
    import json

    from safetylist.models import from_plain, to_plain

    assert from_plain(Campaign, json.loads(json.dumps(to_plain(c)))) == c
    # the cache's own form leaves defaults out; the models come back the same
    compact = json.loads(json.dumps(to_plain(c, defaults=False)))
    assert from_plain(Campaign, compact) == c
    assert json.dumps(compact) == json.dumps(to_plain(from_plain(Campaign, compact), defaults=False))


def test_plain_data_with_an_unknown_or_missing_field_is_refused():
    import pytest

    from safetylist.models import Item, from_plain

    with pytest.raises(TypeError):
        from_plain(Item, {"id": "4.1.1", "text": "x", "colour": "red"})
    with pytest.raises(TypeError):
        from_plain(Item, {"text": "x"})
    with pytest.raises(TypeError):
        from_plain(Item, ["4.1.1", "x"])
    with pytest.raises(ValueError):
        from_plain(Item, {"id": "4.1.1", "text": "x", "history": [{"date": "2022-02-30", "by": "x"}]})
    data = {"id": "4.1.1", "text": "x", "history": [{"date": "2022-02-03", "status": "done", "by": "x"}]}
    before = repr(data)
    assert from_plain(Item, data).history[0].date.isoformat() == "2022-02-03"
    assert repr(data) == before  # the caller's data is not changed


@settings(max_examples=100, deadline=None)
@given(campaigns(), st.data())
def test_an_update_shows_and_changes_nothing_else(c, data):
    items = [i for t in c.tasks for i in t.items]
    assume(items)
    target = data.draw(st.sampled_from(items))
    status = data.draw(st.sampled_from(["in_progress", "done", "blocked"]))
    note = data.draw(st.none() | texts)
    changed = copy.deepcopy(c)
    # The office's decision for the whole item, so any generated department may record it.
    record(target.id, status, note, NAMES[0], dt.date(2022, 6, 1), directory=DIRECTORY,
           whole=True)(changed)
    before, after = dump_campaign(c), dump_campaign(changed)
    again, problems = parse(changed, after)
    assert [p for p in problems if p.level == "error"] == []
    got = {i.id: i for t in again.tasks for i in t.items}
    entry = HistoryEntry(date=dt.date(2022, 6, 1), status=status, by=NAMES[0], note=note, whole=True)
    assert entry in got[target.id].history
    # Placed at its date, after every entry dated on or before it: the status follows from that.
    history = got[target.id].history
    assert [h.date for h in history] == sorted(h.date for h in history)
    from safetylist.shares import expand, item_status

    task = next(t for t in again.tasks if any(i.id == target.id for i in t.items))
    names = [a.name for a in (target.departments if target.departments is not None else task.departments)]
    assert got[target.id].status == item_status(got[target.id], expand(DIRECTORY, names))
    for t_old, t_new in zip(c.tasks, again.tasks):
        assert dataclasses.replace(t_old, items=[]) == dataclasses.replace(t_new, items=[])
        for i_old, i_new in zip(t_old.items, t_new.items):
            if i_old.id != target.id:
                assert i_old == i_new
    # Only the item's own lines change: its status line, and history lines added.
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    assert all(line.startswith("    status: ") for line in removed)


def assert_located(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    for line in result.stderr.splitlines():
        assert LINE.match(line), line


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(runner, make_registry, blob):
    result = runner.invoke(app, ["check", "--data", str(make_registry({"04-coal-mine.yaml": blob}))])
    assert_located(result)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts | dates,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "number", "title", "tasks", "items", "text", "status", "history",
                         "departments", "deadline", "date", "declared", "x"]) | texts, kids, max_size=4),
    max_leaves=20)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(yaml_values)
def test_arbitrary_yaml_never_crashes(runner, make_registry, value):
    text = yaml.safe_dump(value, allow_unicode=True)
    result = runner.invoke(app, ["check", "--data", str(make_registry({"04-coal-mine.yaml": text}))])
    assert_located(result)
    assert result.exit_code == 1


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, len(MINI_CAMPAIGN)), st.integers(0, 30), st.text(max_size=8))
def test_a_damaged_campaign_file_never_crashes(runner, make_registry, at, cut, insert):
    text = MINI_CAMPAIGN[:at] + insert + MINI_CAMPAIGN[at + cut:]
    result = runner.invoke(app, ["check", "--data", str(make_registry({"04-coal-mine.yaml": text}))])
    assert_located(result)
    for args in (["list"], ["done", "4.1.1", "--all"], ["summary", "--month", "2022-06"]):
        result = runner.invoke(app, [*args, "--data", str(make_registry({"04-coal-mine.yaml": text}))])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code in (0, 1, 2, 3)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(dates, st.none() | statuses), max_size=8), st.randoms(use_true_random=False),
       dates)
def test_status_on_a_date_is_that_of_the_latest_dated_entry_whatever_the_recording_order(
        entries, rng, day):
    """Reports arrive late and back-dated: record them in any order; the status on a day is
    that of the latest-dated status entry on or before it (same day: the later recorded)."""
    from safetylist.status import status_on
    from safetylist.store import add_entry

    order = list(range(len(entries)))
    rng.shuffle(order)
    item = Item(id="4.1.1", text="x")
    recorded = []
    for n in order:
        date, status = entries[n]
        if add_entry(item, HistoryEntry(date=date, status=status, note=f"#{n}")):
            recorded.append(n)
    said = [(entries[n][0], k, entries[n][1]) for k, n in enumerate(recorded)
            if entries[n][1] is not None and entries[n][0] <= day]
    expected = max(said)[2] if said else "not_started"
    assert status_on(item, day) == expected
    assert item.status == status_on(item)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(dates, st.none() | statuses, st.sampled_from([None, "甲", "乙", "丙"]),
                          st.booleans()), max_size=8), dates)
def test_every_shares_status_in_one_pass_is_each_shares_own(entries, day):
    """``shares.statuses`` (one pass) says for each share what ``status.status_on`` says alone."""
    from safetylist.shares import item_status, statuses
    from safetylist.status import status_on

    item = Item(id="4.1.1", text="x", history=sorted(
        [HistoryEntry(date=d, status=s, by=b, whole=w and s is not None) for d, s, b, w in entries],
        key=lambda h: h.date))
    holders = ["甲", "乙", "丙"]
    assert statuses(item, holders, day) == {h: status_on(item, day, only=h) for h in holders}
    assert item_status(item, holders, day) in ("not_started", "in_progress", "done", "blocked")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(few_dates, st.none() | statuses, st.sampled_from([None, "甲", "乙"]),
                          st.booleans(), st.booleans()), max_size=8),
       st.none() | few_dates, st.randoms(use_true_random=False))
def test_one_shares_status_is_what_every_shares_says_of_it(entries, day, rng):
    """``shares.status_of`` (one share, as a department's listing asks) is ``statuses``' answer
    for that share: in any order of the history, with periods met and corrections."""
    from safetylist.shares import status_of, statuses

    history = [HistoryEntry(date=d, status=s, by=b, whole=w and s is not None,
                            period="2022-06" if p and s == "done" else None)
               for d, s, b, w, p in entries]
    rng.shuffle(history)  # a hand-edited file need not be a chronology
    if len(history) > 2:  # a correction taking back the first entry
        history.append(HistoryEntry(date=history[0].date, by=history[0].by, kind="correction", undoes=1))
    item = Item(id="4.1.1", text="x", history=history)
    holders = ["甲", "乙", "丙"]
    every = statuses(item, holders, day)
    assert {h: status_of(item, h, day) for h in holders} == every
