"""Validating registry files: YAML with positions, the schema, then the rules.

This is the cold path: it imports PyYAML and Pydantic. A registry read from the
parse cache never comes here. Pydantic validates the standard-library dataclasses
of ``models`` directly; every problem is located to a line and column and names its
rule (``safetylist.rules``, where every check a schema cannot express lives).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from . import rules
from .departments import Directory
from .errors import Problem, display_path
from .models import (Assignment, Campaign, DateRange, Deadline, Declared, Department, DepartmentsFile,
                     Group, HistoryEntry, Item, Manifest, ManifestCampaign, Removal, Task)
from .rules.items import RECORD_INSTEAD
from .shares import expand, item_status
from .yamlio import Located, YamlSyntaxError, load_located


@cache
def _adapter(cls: type) -> TypeAdapter:
    return TypeAdapter(cls)


def parse_yaml(path: Path, text: str) -> tuple[Located | None, list[Problem]]:
    shown = display_path(path)
    try:
        located = load_located(text)
    except YamlSyntaxError as exc:
        # git's conflict markers make the file invalid YAML; say so instead of YAML's words.
        return None, conflict_problems(shown, text) or [
            rules.problem("syntax", shown, exc.line, exc.col, exc.message)]
    problems = [rules.problem(rule, shown, ln, col, msg) for ln, col, rule, msg in located.problems]
    return located, problems


_MARKER = re.compile(r"(<{7,}|={7,}|>{7,})(?: .*)?$")


def conflict_problems(shown: str, text: str) -> list[Problem]:
    """Each conflict that a merge left unresolved: the lines between git's markers."""
    out = []
    start = None
    for n, line in enumerate(text.split("\n"), 1):
        found = _MARKER.match(line)
        if found is None:
            continue
        if found.group(1)[0] == "<":
            start = n
        elif found.group(1)[0] == ">" and start is not None:
            out.append(rules.problem("conflict-markers", shown, start, 1, (
                f"unresolved merge conflict (lines {start}-{n}): git's markers <<<<<<<, =======, "
                ">>>>>>> hold two versions; keep the lines you mean, delete the three marker "
                "lines, and run `safetylist check` again")))
            start = None
    return out


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


def parse_departments(path: Path, text: str) -> tuple[DepartmentsFile | None, list[Problem]]:
    """The departments file, and its problems."""
    located, problems = parse_yaml(path, text)
    if located is None:
        return None, problems
    shown = display_path(path)
    try:
        spec = _adapter(DepartmentsFile).validate_python(located.data)
    except ValidationError as exc:
        return None, problems + _validation_problems(shown, located, exc, DepartmentsFile)
    named = {(key, i): entry["name"] for key in ("departments", "groups")
             for i, entry in enumerate(located.data.get(key) or [])
             if isinstance(entry, dict) and isinstance(entry.get("name"), str)}
    located.positions(list(named))  # one pass for all
    lines = {name: located.position(where)[0] for where, name in named.items()}
    check = rules.DepartmentsCheck(spec, lines, Directory.build(spec))
    return spec, problems + rules.problems_at("departments", check, shown)


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
    entries = [("campaigns", i) for i in range(len(manifest.campaigns))]
    located.positions(entries)  # one pass for all: a pass per entry is quadratic in campaigns
    lines = [located.position(e)[0] for e in entries]
    check = rules.ManifestCheck(manifest, lines)
    return manifest, lines, problems + rules.located_problems("manifest", check, shown, located)


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
        return None, problems + [rules.problem(
            "schema", shown, 1, 1, "a campaign file must be a mapping with id, number, title, … tasks")]
    try:
        campaign = _adapter(Campaign).validate_python(_normalized(located.data))
    except ValidationError as exc:
        return None, problems + _validation_problems(shown, located, exc, Campaign)
    found = campaign_problems(shown, path, campaign, located, directory)
    if derive_status:
        fixed = [p for p in found if p.rule == "status-matches-history"]
        found = [p for p in found if p not in fixed]
        for task in campaign.tasks:
            for item in task.items:
                item.status = item_status(item, expand(directory, [a.name for a in (
                    item.departments if item.departments is not None else task.departments)]))
        problems += [p._replace(level="warning", message=p.message.removesuffix(RECORD_INSTEAD)
                                + "fmt sets it to what the history and shares say")
                     for p in fixed]
    problems += found
    problems += rules.problems_at("text", rules.TextCheck(text), shown)
    return (None if any(p.level == "error" for p in problems) else campaign), problems


def campaign_problems(shown: str, path: Path, c: Campaign, located: Located,
                      directory: Directory) -> list[Problem]:
    """What the rules of a campaign file find: ids in their place, names that resolve, …"""
    return rules.located_problems("campaign", rules.CampaignCheck(path, c, directory), shown, located)


# Validation messages -----------------------------------------------------------

# The model of each nested field (the same key holds different models under different parents).
_CHILD_MODELS: dict[tuple[type, str], type] = {
    (Campaign, "tasks"): Task, (Campaign, "declared"): Declared, (Campaign, "removed"): Removal,
    (Task, "items"): Item, (Task, "departments"): Assignment, (Task, "deadline"): Deadline,
    (Item, "history"): HistoryEntry, (Item, "departments"): Assignment, (Item, "deadline"): Deadline,
    (Manifest, "campaigns"): ManifestCampaign, (Manifest, "period"): DateRange,
    (DepartmentsFile, "departments"): Department, (DepartmentsFile, "groups"): Group,
}


def _model_at(loc: tuple[Any, ...], root_model: type) -> type:
    model = root_model
    for part in loc:
        if isinstance(part, str):
            model = _CHILD_MODELS.get((model, part), model)
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
        problems.append(rules.problem("schema", shown, line, col, message))
    return problems
