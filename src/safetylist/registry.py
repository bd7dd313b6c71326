"""Finding the data folder, loading and validating campaign files.

``load`` reads every file and returns the registry together with every problem
found, each located to a file, line and column. Nothing here prints or exits.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .departments import Directory
from .errors import DataNotFound, InvalidData, Problem
from .models import Campaign, Deadline, DepartmentsFile, HistoryEntry, Item, Task
from .yamlio import Located, YamlSyntaxError, load_located

ENV_DATA = "SAFETYLIST_DATA"
MAX_FILE_BYTES = 20 * 1024 * 1024


# Finding the data ------------------------------------------------------------


def _is_data_dir(path: Path) -> bool:
    return (path / "tasks").is_dir()


def find_data_dir(explicit: str | os.PathLike[str] | None = None,
                  cwd: Path | None = None, env: dict[str, str] | None = None) -> Path:
    """``--data DIR``, else ``$SAFETYLIST_DATA``, else the nearest ``data/`` upward."""
    env = os.environ if env is None else env
    for source, value in (("--data", explicit), (ENV_DATA, env.get(ENV_DATA) or None)):
        if value is None:
            continue
        path = Path(value).expanduser()
        if _is_data_dir(path):
            return path
        if _is_data_dir(path / "data"):
            return path / "data"
        raise DataNotFound(f"{source} {value}: no tasks/ folder there; "
                           "point it at a registry folder that holds tasks/ and departments.yaml")
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_data_dir(folder / "data"):
            return folder / "data"
        if folder.name == "data" and _is_data_dir(folder):
            return folder
    raise DataNotFound("no registry found: no data/tasks/ folder in this directory or above it; "
                       f"run inside a safetylist checkout, or give --data DIR or set {ENV_DATA}")


def display_path(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


# The registry ----------------------------------------------------------------


@dataclass
class CampaignFile:
    path: Path
    campaign: Campaign
    text: str


@dataclass
class Registry:
    root: Path
    directory: Directory
    files: list[CampaignFile] = field(default_factory=list)

    @property
    def campaigns(self) -> list[Campaign]:
        return [f.campaign for f in self.files]

    def file_of(self, campaign_number: int) -> CampaignFile:
        for f in self.files:
            if f.campaign.number == campaign_number:
                return f
        raise KeyError(campaign_number)


def campaign_paths(root: Path) -> tuple[list[Path], list[Problem]]:
    """The campaign files of ``root/tasks``, refusing any that leads outside it."""
    tasks = root / "tasks"
    base = tasks.resolve()
    paths, problems = [], []
    for p in sorted(tasks.iterdir()):
        if p.suffix not in (".yaml", ".yml") or p.name.startswith("."):
            continue
        real = p.resolve()
        if base not in real.parents or not real.is_file():
            problems.append(Problem(display_path(p), 1, 1, "error",
                                    "leads outside the registry's tasks/ folder (a link?); "
                                    "replace it with the file itself"))
            continue
        paths.append(p)
    return paths, problems


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """A file's text, or a located problem when it cannot be read as UTF-8 YAML."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, Problem(shown, 1, 1, "error",
                                 f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit")
        raw = path.read_bytes()
    except OSError as exc:
        return None, Problem(shown, 1, 1, "error", f"cannot read: {exc.strerror or exc}")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark is harmless; the writer drops it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(shown, line, 1, "error",
                             f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text, None


def _parse(path: Path, text: str) -> tuple[Located | None, list[Problem]]:
    shown = display_path(path)
    try:
        located = load_located(text)
    except YamlSyntaxError as exc:
        return None, [Problem(shown, exc.line, exc.col, "error", exc.message)]
    problems = [Problem(shown, ln, col, "error", msg) for ln, col, msg in located.problems]
    return located, problems


def load_directory(root: Path) -> tuple[Directory | None, list[Problem]]:
    path = root / "departments.yaml"
    text, problem = read_text(path)
    if problem:
        return None, [problem]
    assert text is not None
    located, problems = _parse(path, text)
    if located is None:
        return None, problems
    try:
        spec = DepartmentsFile.model_validate(located.data)
    except ValidationError as exc:
        return None, problems + _validation_problems(display_path(path), located, exc, DepartmentsFile)
    lines = {}
    for key in ("departments", "groups"):
        for i, entry in enumerate(located.data.get(key) or []):
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                lines[entry["name"]] = located.position((key, i))[0]
    directory, more = Directory.build(spec, display_path(path), lines)
    return directory, problems + more


def load(root: Path) -> tuple[Registry | None, list[Problem]]:
    """Load and validate everything under ``root``; return every problem found."""
    directory, problems = load_directory(root)
    if directory is None:
        return None, problems
    registry = Registry(root=root, directory=directory)
    paths, more = campaign_paths(root)
    problems += more
    for path in paths:
        text, problem = read_text(path)
        if problem:
            problems.append(problem)
            continue
        assert text is not None
        campaign, found = parse_campaign(path, text, directory)
        problems += found
        if campaign is not None:
            registry.files.append(CampaignFile(path, campaign, text))
    problems += _cross_file_problems(registry)
    registry.files.sort(key=lambda f: f.campaign.number)
    return registry, sorted(problems, key=lambda p: (p.path, p.line, p.col))


def open_registry(root: Path) -> Registry:
    """Load for use: raise ``InvalidData`` with the errors if there are any."""
    registry, problems = load(root)
    errors = [p for p in problems if p.level == "error"]
    if errors or registry is None:
        raise InvalidData(f"the registry has {len(errors)} error(s); fix them "
                          "(`safetylist check` lists them)", errors)
    return registry


def parse_campaign(path: Path, text: str, directory: Directory) -> tuple[Campaign | None, list[Problem]]:
    located, problems = _parse(path, text)
    if located is None:
        return None, problems
    shown = display_path(path)
    if not isinstance(located.data, dict):
        return None, problems + [Problem(shown, 1, 1, "error",
                                         "a campaign file must be a mapping with id, number, title, … tasks")]
    try:
        campaign = Campaign.model_validate(located.data)
    except ValidationError as exc:
        return None, problems + _validation_problems(shown, located, exc, Campaign)
    problems += campaign_problems(shown, path, campaign, located, directory)
    return (None if any(p.level == "error" for p in problems) else campaign), problems


# Validation messages -----------------------------------------------------------

_CHILD_MODELS: dict[str, type[BaseModel]] = {
    "tasks": Task, "items": Item, "history": HistoryEntry, "deadline": Deadline,
}


def _model_at(loc: tuple[Any, ...], root_model: type[BaseModel]) -> type[BaseModel]:
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
                         root_model: type[BaseModel]) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        line, col = located.position(loc)
        if err["type"] == "extra_forbidden":
            line, col = located.key_marks.get(loc, (line, col))
            key = loc[-1]
            allowed = list(_model_at(loc[:-1], root_model).model_fields)
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(allowed)}"
            message = f"{_loc_text(loc[:-1]) or 'top level'}: unknown key '{key}'{hint}"
        else:
            message = f"{_loc_text(loc) or 'top level'}: {err['msg']}"
        problems.append(Problem(shown, line, col, "error", message))
    return problems


_TASK_ID = re.compile(r"^(\d+)\.(\d+)$")


def campaign_problems(shown: str, path: Path, c: Campaign, located: Located,
                      directory: Directory) -> list[Problem]:
    """Checks a schema cannot express: ids in their place, names that resolve."""
    problems: list[Problem] = []

    def at(loc: tuple[Any, ...], level: str, message: str) -> None:
        line, col = located.position(loc)
        problems.append(Problem(shown, line, col, level, message))

    expected_stem = f"{c.number:02d}-{c.id}"
    if path.stem != expected_stem:
        at(("id",), "warning", f"file name should be {expected_stem}{path.suffix} (number and id)")
    seen: dict[str, tuple[Any, ...]] = {}
    last_number = 0
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
        if not task.items:
            at(tloc + ("id",), "warning", f"task {task.id} has no items (source gap"
               + ("; see its source_note)" if task.source_note else "; no source_note explains it)"))
        for ii, item in enumerate(task.items):
            iloc = tloc + ("items", ii)
            want = f"{task.id}.{ii + 1}"
            if item.id != want:
                at(iloc + ("id",), "error", f"item id '{item.id}' does not match its place: expected '{want}'")
            _dup(seen, item.id, iloc, at)
            if item.departments is not None:
                _assignment_problems(item.departments, iloc + ("departments",), directory, at)
            for hi, entry in enumerate(item.history):
                if entry.by is not None and not directory.is_canonical(entry.by):
                    at(iloc + ("history", hi), "error", _name_message(entry.by, directory))
            # Entries that name a period record a recurring item's periods, not its status.
            plain = [h for h in item.history if h.period is None]
            if plain and item.status != plain[-1].status:
                at(iloc + ("status",), "error",
                   f"item {item.id}: status '{item.status}' differs from its latest history entry "
                   f"'{plain[-1].status}'")
            if item.recurrence is None and len(plain) != len(item.history):
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
    return problems


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
        if not directory.is_canonical(a.name):
            at(loc + (i,), "error", _name_message(a.name, directory))
        if a.name in names:
            at(loc + (i,), "error", f"department '{a.name}' is listed twice")
        names.add(a.name)


def _cross_file_problems(registry: Registry) -> list[Problem]:
    problems = []
    seen_numbers: dict[int, str] = {}
    seen_ids: dict[str, str] = {}
    seen_task_ids: dict[str, str] = {}
    for f in registry.files:
        shown = display_path(f.path)
        c = f.campaign
        for key, seen in ((c.number, seen_numbers), (c.id, seen_ids)):
            if key in seen:
                problems.append(Problem(shown, 1, 1, "error",
                                        f"duplicate campaign {'number' if isinstance(key, int) else 'id'} "
                                        f"'{key}' (also in {seen[key]})"))
            else:
                seen[key] = shown  # type: ignore[index]
        for t in c.tasks:
            if t.id in seen_task_ids and seen_task_ids[t.id] != shown:
                problems.append(Problem(shown, 1, 1, "error",
                                        f"duplicate id '{t.id}' (also in {seen_task_ids[t.id]})"))
            seen_task_ids.setdefault(t.id, shown)
    return problems


# The check report ----------------------------------------------------------------


@dataclass
class CountRow:
    number: int
    id: str
    title: str
    declared_tasks: int
    present_tasks: int
    declared_items: int
    present_items: int

    @property
    def mark(self) -> str:
        same = (self.declared_tasks, self.declared_items) == (self.present_tasks, self.present_items)
        return "ok" if same else "differs"


@dataclass
class CheckReport:
    problems: list[Problem]
    rows: list[CountRow]

    @property
    def errors(self) -> int:
        return sum(p.level == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.level == "warning" for p in self.problems)


def check_registry(root: Path) -> CheckReport:
    """Every problem of the registry at ``root``, and declared vs present counts."""
    registry, problems = load(root)
    rows = []
    for c in registry.campaigns if registry else []:
        rows.append(CountRow(c.number, c.id, c.title, c.declared.tasks,
                             sum(1 for t in c.tasks if t.items), c.declared.items,
                             sum(len(t.items) for t in c.tasks)))
    return CheckReport(problems, rows)
