"""Validating registry files: YAML with positions, the schema, the checks a schema cannot express.

This is the cold path: it imports PyYAML and Pydantic. A registry read from the
parse cache never comes here. Pydantic validates the standard-library dataclasses
of ``models`` directly; every problem is located to a line and column.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .departments import Directory
from .errors import Problem, display_path
from .models import (Campaign, DateRange, Deadline, DepartmentsFile, HistoryEntry, Item, Manifest,
                     ManifestCampaign, Removal, Task)
from .manifest import gone_message
from .shares import expand, item_status
from .status import is_in_date_order
from .yamlio import Located, YamlSyntaxError, comments, load_located


@cache
def _adapter(cls: type) -> TypeAdapter:
    return TypeAdapter(cls)


def parse_yaml(path: Path, text: str) -> tuple[Located | None, list[Problem]]:
    shown = display_path(path)
    try:
        located = load_located(text)
    except YamlSyntaxError as exc:
        return None, [Problem(shown, exc.line, exc.col, "error", exc.message)]
    problems = [Problem(shown, ln, col, "error", msg) for ln, col, msg in located.problems]
    return located, problems



def _normalized(data: Any) -> Any:
    """Plain strings in ``departments`` lists stand for ``{name: ...}`` (no role)."""
    if not isinstance(data, dict) or not isinstance(data.get("tasks"), list):
        return data

    def fix(depts: Any) -> Any:
        if not isinstance(depts, list):
            return depts
        return [{"name": d} if isinstance(d, str) else d for d in depts]

    out = dict(data)
    out["tasks"] = []
    for task in data["tasks"]:
        if isinstance(task, dict):
            task = dict(task)
            if "departments" in task:
                task["departments"] = fix(task["departments"])
            if isinstance(task.get("items"), list):
                task["items"] = [dict(i, departments=fix(i["departments"]))
                                 if isinstance(i, dict) and "departments" in i else i
                                 for i in task["items"]]
        out["tasks"].append(task)
    return out


def parse_departments(path: Path, text: str) -> tuple[DepartmentsFile | None, dict[str, int], list[Problem]]:
    """The departments file, the line of each name, and its problems."""
    located, problems = parse_yaml(path, text)
    if located is None:
        return None, {}, problems
    try:
        spec = _adapter(DepartmentsFile).validate_python(located.data)
    except ValidationError as exc:
        return None, {}, problems + _validation_problems(display_path(path), located, exc, DepartmentsFile)
    lines = {}
    for key in ("departments", "groups"):
        for i, entry in enumerate(located.data.get(key) or []):
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                lines[entry["name"]] = located.position((key, i))[0]
    return spec, lines, problems


def parse_manifest(path: Path, text: str) -> tuple[Manifest | None, list[int], list[Problem]]:
    """The registry manifest, the line of each campaign entry, and its problems."""
    located, problems = parse_yaml(path, text)
    if located is None:
        return None, [], problems
    shown = display_path(path)
    try:
        manifest = _adapter(Manifest).validate_python(located.data)
    except ValidationError as exc:
        return None, [], problems + _validation_problems(shown, located, exc, Manifest)
    lines = [located.position(("campaigns", i))[0] for i in range(len(manifest.campaigns))]
    seen: dict[object, int] = {}
    for i, c in enumerate(manifest.campaigns):
        for key in (("number", c.number), ("id", c.id), ("file", c.file)):
            if key in seen:
                problems.append(Problem(shown, lines[i], 1, "error",
                                        f"campaign {key[0]} {key[1]!r} is listed twice "
                                        f"(first at line {seen[key]})"))
            seen.setdefault(key, lines[i])
        if "/" in c.file or "\\" in c.file or c.file.startswith("."):
            problems.append(Problem(shown, lines[i], 1, "error",
                                    f"file '{c.file}' must be a plain file name in tasks/"))
    if manifest.period.end < manifest.period.start:
        problems.append(Problem(shown, located.position(("period",))[0], 1, "error",
                                "period: end is before start"))
    return manifest, lines, problems


STATUS_RULE = "record a change with `safetylist update` rather than by editing status"


def parse_campaign(path: Path, text: str, directory: Directory,
                   derive_status: bool = False) -> tuple[Campaign | None, list[Problem]]:
    """The campaign file, validated, and its problems. ``derive_status`` (for ``fmt``) sets
    each item's stored status to what its history and shares say, instead of refusing a
    status that differs (a file of an earlier version, or one edited by hand)."""
    located, problems = parse_yaml(path, text)
    if located is None:
        return None, problems
    shown = display_path(path)
    if not isinstance(located.data, dict):
        return None, problems + [Problem(shown, 1, 1, "error",
                                         "a campaign file must be a mapping with id, number, title, … tasks")]
    try:
        campaign = _adapter(Campaign).validate_python(_normalized(located.data))
    except ValidationError as exc:
        return None, problems + _validation_problems(shown, located, exc, Campaign)
    found = campaign_problems(shown, path, campaign, located, directory)
    if derive_status:
        fixed = [p for p in found if p.level == "error" and STATUS_RULE in p.message]
        found = [p for p in found if p not in fixed]
        for task in campaign.tasks:
            for item in task.items:
                item.status = item_status(item, expand(directory, [a.name for a in (
                    item.departments if item.departments is not None else task.departments)]))
        problems += [p._replace(level="warning", message=p.message.split(";")[0]
                                + "; fmt sets it to what the history and shares say")
                     for p in fixed]
    problems += found
    problems += comment_problems(shown, text)
    return (None if any(p.level == "error" for p in problems) else campaign), problems


def comment_problems(shown: str, text: str) -> list[Problem]:
    """An end-of-line comment in a campaign file is usually a `` #`` typed into a text, which
    YAML cuts short there; and the canonical layout, which writes keep, drops it."""
    if "#" not in text:
        return []
    return [Problem(shown, line, col, "warning",
                    f"end-of-line comment {comment[:40]!r}: YAML ends the value before it (a ' #' "
                    "typed into a text cuts the text short; put the text in double quotes), and "
                    "writes drop it")
            for line, col, comment in comments(text) if text.split("\n")[line - 1][: col - 1].strip()]


# Validation messages -----------------------------------------------------------

_CHILD_MODELS: dict[str, type] = {
    "tasks": Task, "items": Item, "history": HistoryEntry, "deadline": Deadline,
    "removed": Removal, "campaigns": ManifestCampaign, "period": DateRange,
}


def _model_at(loc: tuple[Any, ...], root_model: type) -> type:
    model = root_model
    for part in loc:
        if isinstance(part, str) and part in _CHILD_MODELS:
            model = _CHILD_MODELS[part]
    return model


def _loc_text(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _validation_problems(shown: str, located: Located, exc: ValidationError,
                         root_model: type) -> list[Problem]:
    problems = []
    errors = exc.errors(include_url=False)
    located.positions([tuple(err["loc"]) for err in errors])  # one pass for them all
    for err in errors:
        loc = tuple(err["loc"])
        line, col = located.position(loc)
        if err["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            line, col = located.key_position(loc) or (line, col)
            key = loc[-1]
            allowed = [f.name for f in dataclasses.fields(_model_at(loc[:-1], root_model))]
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(allowed)}"
            message = f"{_loc_text(loc[:-1]) or 'top level'}: unknown key '{key}'{hint}"
        else:
            message = f"{_loc_text(loc) or 'top level'}: {err['msg']}"
        problems.append(Problem(shown, line, col, "error", message))
    return problems


_TASK_ID = re.compile(r"^(\d+)\.(\d+)$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def campaign_problems(shown: str, path: Path, c: Campaign, located: Located,
                      directory: Directory) -> list[Problem]:
    """Checks a schema cannot express: ids in their place, names that resolve."""
    pending: list[tuple[tuple[Any, ...], str, str]] = []

    def at(loc: tuple[Any, ...], level: str, message: str) -> None:
        pending.append((loc, level, message))  # located at the end, in one pass

    if not SLUG.match(c.id):
        at(("id",), "error", f"campaign id '{c.id}' must be a lowercase slug like 'coal-mine'")
    if not 0 <= c.number <= 9999:
        at(("number",), "error", f"campaign number {c.number} must be between 0 and 9999")
    if c.declared.tasks < 0 or c.declared.items < 0:
        at(("declared",), "error", "declared counts cannot be negative")
    expected_stem = f"{c.number:02d}-{c.id}"
    if path.stem != expected_stem:
        at(("id",), "warning", f"file name should be {expected_stem}{path.suffix} (number and id)")
    seen: dict[str, tuple[Any, ...]] = {}
    last_number = 0
    removed = {r.id for r in c.removed}
    for ri, r in enumerate(c.removed):
        if not r.reason.strip():
            at(("removed", ri, "reason"), "error", f"removal of {r.id}: say why it was removed")
    for ti, task in enumerate(c.tasks):
        tloc = ("tasks", ti)
        m = _TASK_ID.match(task.id)
        if not m or int(m.group(1)) != c.number:
            at(tloc + ("id",), "error", f"task id '{task.id}' must be '{c.number}.<task number>'")
        else:
            number = int(m.group(2))
            if number <= last_number:
                at(tloc + ("id",), "warning", f"task {task.id} is out of order")
            last_number = max(last_number, number)
        _dup(seen, task.id, tloc, at)
        _assignment_problems(task.departments, tloc + ("departments",), directory, at)
        if not task.departments and not all(i.departments for i in task.items):
            at(tloc + ("id",), "warning", f"task {task.id} names no responsible department (unassigned)")
        elif task.departments_inferred:
            at(tloc + ("departments_inferred",), "warning", f"task {task.id}: departments inferred "
               "from a merged cell, to confirm (`safetylist assign` a department confirms them)")
        if not task.items:
            at(tloc + ("id",), "warning", f"task {task.id} has no items (source gap"
               + ("; see its source_note)" if task.source_note else "; no source_note explains it)"))
        number = 0
        for ii, item in enumerate(task.items):
            iloc = tloc + ("items", ii)
            if not item.text.strip():
                at(iloc + ("text",), "error", f"item {item.id}: text is empty")
            number += 1
            while f"{task.id}.{number}" in removed:  # a recorded removal leaves its number free
                number += 1
            want = f"{task.id}.{number}"
            prefix, _, tail = item.id.rpartition(".")
            if prefix == task.id and tail.isdigit() and not tail.startswith("0") and int(tail) > number:
                # Items before this one are gone: say which, and how to record it.
                for n in range(number, int(tail)):
                    if f"{task.id}.{n}" not in removed:
                        at(iloc + ("id",), "error", gone_message(f"{task.id}.{n}", task.id))
                number = int(tail)
            elif item.id != want:
                at(iloc + ("id",), "error", f"item id '{item.id}' does not match its place: expected '{want}'")
            _dup(seen, item.id, iloc, at)
            if item.departments is not None:
                _assignment_problems(item.departments, iloc + ("departments",), directory, at)
            for hi, entry in enumerate(item.history):
                if entry.by is not None and not directory.is_canonical(entry.by):
                    at(iloc + ("history", hi), "error", _name_message(entry.by, directory))
            _undo_problems(item, iloc, at)
            # The stored status is the history's latest (a hand edit of one without the other
            # would make every report wrong from then on).
            derived = item_status(item, expand(directory, [a.name for a in (
                item.departments if item.departments is not None else task.departments)]))
            if item.status != derived:
                said = (f"its history says '{derived}'" if item.history else
                        "no history entry records it")
                at(iloc + ("status",), "error",
                   f"item {item.id}: status '{item.status}' but {said}; {STATUS_RULE}")
            if not is_in_date_order(item.history):
                at(iloc + ("history",), "warning",
                   f"item {item.id}: history is not in date order; `safetylist fmt` sorts it")
            for hi, entry in enumerate(item.history):
                if entry.period is not None and entry.status != "done":
                    at(iloc + ("history", hi), "error",
                       f"item {item.id}: an entry naming period {entry.period} must be 'done'")
            if item.recurrence is None and any(h.period is not None for h in item.history):
                at(iloc + ("history",), "error",
                   f"item {item.id}: history names a period but the item has no recurrence")
            if item.recurrence is not None:
                from .dates import rrule_problem  # deferred: dateutil is only needed here

                message = rrule_problem(item.recurrence)
                if message:
                    at(iloc + ("recurrence",), "error", f"item {item.id}: recurrence: {message}")
    present_tasks = sum(1 for t in c.tasks if t.items)
    present_items = sum(len(t.items) for t in c.tasks)
    if (present_tasks, present_items) != (c.declared.tasks, c.declared.items):
        explained = "see source_note" if c.source_note else "no source_note explains it"
        at(("declared",), "warning",
           f"campaign {c.number}: declared {c.declared.tasks}条{c.declared.items}项, "
           f"present {present_tasks}条{present_items}项 ({explained})")
    located.positions([loc for loc, _, _ in pending])
    return [Problem(shown, *located.position(loc), level, message) for loc, level, message in pending]


def _undo_problems(item: Any, iloc: tuple[Any, ...], at: Any) -> None:
    """An entry that takes back another (``undoes: N``) names an earlier entry that is no
    correction itself and that nothing else takes back."""
    history, seen = item.history, set()
    for hi, entry in enumerate(history):
        n = entry.undoes
        if n is None:
            continue
        where = iloc + ("history", hi)
        if entry.period is not None:
            at(where, "error", f"item {item.id}: entry {hi + 1} takes back another and names a "
               "period; a correction names no period")
        elif not 1 <= n <= hi:
            earlier = f"1 to {hi}" if hi else "none comes before it"
            at(where, "error", f"item {item.id}: entry {hi + 1} takes back entry {n}, which is "
               f"not an earlier entry ({earlier})")
        elif history[n - 1].undoes is not None:
            at(where, "error", f"item {item.id}: entry {hi + 1} takes back entry {n}, itself a "
               "correction; record the report again instead")
        elif n in seen:
            at(where, "error", f"item {item.id}: entry {n} is taken back twice")
        seen.add(n)


def _dup(seen: dict[str, tuple[Any, ...]], ident: str, loc: tuple[Any, ...], at: Any) -> None:
    if ident in seen:
        at(loc + ("id",), "error", f"duplicate id '{ident}'")
    else:
        seen[ident] = loc


def _name_message(name: str, directory: Directory) -> str:
    canon = directory.canonical(name)
    if canon is not None:
        return f"'{name}' is an alias: write the canonical name '{canon}'"
    hint = directory.suggest(name)
    tail = f"; did you mean {'、'.join(hint)}?" if hint else ""
    return f"unknown department '{name}'{tail}"


def _assignment_problems(assignments: list[Any], loc: tuple[Any, ...],
                         directory: Directory, at: Any) -> None:
    names = set()
    for i, a in enumerate(assignments):
        if not a.name.strip():
            at(loc + (i,), "error", "empty department name")
            continue
        if not directory.is_canonical(a.name):
            at(loc + (i,), "error", _name_message(a.name, directory))
        if a.name in names:
            at(loc + (i,), "error", f"department '{a.name}' is listed twice")
        names.add(a.name)


