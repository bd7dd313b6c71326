"""Property tests (hypothesis): the layout round-trips, updates touch only their item, and no
input file, however broken, produces a traceback."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetylist.cli import app
from safetylist.departments import Directory
from safetylist.layout import dump_campaign
from safetylist.models import Campaign, DepartmentsFile
from safetylist.validate import _adapter, parse_campaign
from safetylist.store import record

from conftest import MINI_CAMPAIGN, MINI_DEPARTMENTS

DIRECTORY, _ = Directory.build(_adapter(DepartmentsFile).validate_python(yaml.safe_load(MINI_DEPARTMENTS)))
NAMES = sorted(DIRECTORY.entries)
SLUGS = ["coal-mine", "fire", "road-transport", "a1"]
LINE = re.compile(r"^.+:\d+:\d+: (error|warning): .+$")

texts = st.text(min_size=1, max_size=40).filter(str.strip)
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
statuses = st.sampled_from(["not_started", "in_progress", "done", "blocked"])


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
            history = [{"date": draw(dates), "status": draw(statuses), "by": draw(st.none() | st.sampled_from(NAMES)),
                        "note": draw(st.none() | texts)} for _ in range(draw(st.integers(0, 3)))]
            item = {"id": f"{number}.{k}.{j}", "text": draw(texts),
                    "status": history[-1]["status"] if history else draw(statuses),
                    "deadline": draw(st.none() | deadlines()), "history": history}
            if draw(st.booleans()):
                item["departments"] = draw(assignments())
            items.append(item)
        tasks.append({"id": f"{number}.{k}", "departments": draw(assignments()),
                      "departments_text": draw(st.none() | texts), "deadline": draw(st.none() | deadlines()),
                      "source_note": draw(st.none() | texts), "items": items})
    data = {"id": draw(st.sampled_from(SLUGS)), "number": number, "title": draw(texts),
            "heading": draw(texts), "declared": {"tasks": len(tasks), "items": sum(len(t["items"]) for t in tasks)},
            "source": draw(texts), "default_deadline": draw(dates), "source_note": draw(st.none() | texts),
            "tasks": tasks}
    return _adapter(Campaign).validate_python(data)


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


@settings(max_examples=100, deadline=None)
@given(campaigns(), st.data())
def test_an_update_shows_and_changes_nothing_else(c, data):
    items = [i for t in c.tasks for i in t.items]
    if not items:
        return
    target = data.draw(st.sampled_from(items))
    status = data.draw(st.sampled_from(["in_progress", "done", "blocked"]))
    note = data.draw(st.none() | texts)
    changed = copy.deepcopy(c)
    record(target.id, status, note, NAMES[0], dt.date(2022, 6, 1))(changed)
    before, after = dump_campaign(c), dump_campaign(changed)
    again, problems = parse(changed, after)
    assert [p for p in problems if p.level == "error"] == []
    got = {i.id: i for t in again.tasks for i in t.items}
    assert got[target.id].status == status
    assert dataclasses.asdict(got[target.id].history[-1]) == {
        "date": dt.date(2022, 6, 1), "status": status, "by": NAMES[0], "note": note, "period": None,
        "undoes": None}
    for t_old, t_new in zip(c.tasks, again.tasks):
        assert dataclasses.replace(t_old, items=[]) == dataclasses.replace(t_new, items=[])
        for i_old, i_new in zip(t_old.items, t_new.items):
            if i_old.id != target.id:
                assert i_old == i_new
    # Only the item's own lines change: its status line, and history lines added.
    removed = [l for l in before.splitlines() if l not in after.splitlines()]
    assert all(l.startswith("    status: ") for l in removed)


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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, len(MINI_CAMPAIGN)), st.integers(0, 30), st.text(max_size=8))
def test_a_damaged_campaign_file_never_crashes(runner, make_registry, at, cut, insert):
    text = MINI_CAMPAIGN[:at] + insert + MINI_CAMPAIGN[at + cut:]
    result = runner.invoke(app, ["check", "--data", str(make_registry({"04-coal-mine.yaml": text}))])
    assert_located(result)
    for args in (["list"], ["done", "4.1.1"], ["summary", "--month", "2022-06"]):
        result = runner.invoke(app, [*args, "--data", str(make_registry({"04-coal-mine.yaml": text}))])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code in (0, 1, 2, 3)
