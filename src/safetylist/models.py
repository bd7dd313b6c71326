"""The registry's data: campaign, task, item, history, department.

Plain standard-library dataclasses, so that reading a registry from the parse
cache needs neither PyYAML nor Pydantic (each costs tens of milliseconds to
import, on every run). ``registry`` validates files with Pydantic, which
validates these very classes; ``__pydantic_config__`` makes every one of them
forbid unknown keys, so a misspelt key in a hand edit is an error.

Ids are strings (``"4.15"`` for a task, ``"4.15.2"`` for an item) and must
match their place in the file; ``registry.campaign_problems`` checks that, and
the constraints a type cannot express (non-empty text, slug ids).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from typing import Any, ClassVar, Literal, TypeVar

from .status import STATUSES  # noqa: F401 - the one list of statuses, re-exported

Status = Literal["not_started", "in_progress", "done", "blocked"]  # STATUSES, as a type
Kind = Literal["assignment", "correction"]
Role = Literal["lead", "support", "supervise", "implement"]
ROLES: tuple[str, ...] = ("lead", "support", "supervise", "implement")
Level = Literal["city", "county", "province", "national", "other"]

_FORBID: dict[str, Any] = {"extra": "forbid"}
T = TypeVar("T")


class _Model:
    """Equality and repr by fields, written once: ``@dataclass`` would generate (and compile)
    both for every class on every start-up, which costs more than the rest of a small query."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(self))  # type: ignore[arg-type]

    def __repr__(self) -> str:
        args = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))  # type: ignore[arg-type]
        return f"{type(self).__name__}({args})"


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


@dataclass(repr=False, eq=False)
class Deadline(_Model):
    """A deadline: the date it means, and the phrase of the notice it came from."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    date: dt.date
    text: str | None = None
    ambiguous: bool = False


@dataclass(repr=False, eq=False)
class Assignment(_Model):
    """A responsible department or group, with its role where the notice states one."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    name: str
    role: Role | None = None


@dataclass(repr=False, eq=False)
class HistoryEntry(_Model):
    """One entry of an item's history: who reported what, on which date.

    An entry with a status is a report of the item's status on that date; one without is a
    note. ``period`` names the period of a recurring item that a ``done`` meets. ``problem``
    marks a note that reports a problem (存在问题); ``kind`` marks entries that are not
    reports: a change of the task's departments, or a correction. A correction (``safetylist
    undo``) names the entry it takes back in ``undoes``: its position in the item's history,
    counted from 1 (writes keep the number right when an entry is inserted before it).
    An entry applies to the share of the department it names (``by``; see ``shares``).
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    date: dt.date
    status: Status | None = None
    by: str | None = None
    note: str | None = None
    period: str | None = None
    problem: bool = False
    kind: Kind | None = None
    undoes: int | None = None
    # The office's decision for the whole item (验收 / 销号 by 市政府安委办, ``--all``): it
    # applies to every department's share.
    whole: bool = False


@dataclass(repr=False, eq=False)
class Item(_Model):
    """A sub-item (项): the unit that gets done and reported."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    id: str
    text: str
    status: Status = "not_started"
    deadline: Deadline | None = None
    departments: list[Assignment] | None = None
    recurrence: str | None = None
    recurrence_text: str | None = None
    history: list[HistoryEntry] = field(default_factory=list)


@dataclass(repr=False, eq=False)
class Task(_Model):
    """A numbered task (条) of a campaign, with its responsible departments."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    id: str
    departments: list[Assignment] = field(default_factory=list)
    departments_text: str | None = None
    deadline: Deadline | None = None
    source_note: str | None = None
    items: list[Item] = field(default_factory=list)
    # True when the departments are read from a neighbour's vertically merged cell, which the
    # text prints once: an inference for the office to confirm (``assign`` clears it).
    departments_inferred: bool = False
    # A task's own heading as printed (a 重点任务 cell, a （一） line), where the notice gives one
    # apart from its items; and where an imported task was read (file, table, row).
    title: str | None = None
    source: str | None = None


@dataclass(repr=False, eq=False)
class Declared(_Model):
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    tasks: int
    items: int


@dataclass(repr=False, eq=False)
class Removal(_Model):
    """A task or item taken out of a campaign file on purpose, and why: nothing disappears
    silently (the registry manifest's index still lists it)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    id: str
    reason: str


@dataclass(repr=False, eq=False)
class Campaign(_Model):
    """One campaign (专题 / 专项整治) of the notice: one YAML file."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    id: str
    number: int
    title: str
    heading: str
    declared: Declared
    source: str
    default_deadline: dt.date
    source_note: str | None = None
    removed: list[Removal] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)


# The registry manifest ---------------------------------------------------------


@dataclass(repr=False, eq=False)
class DateRange(_Model):
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    start: dt.date
    end: dt.date


@dataclass(repr=False, eq=False)
class ManifestCampaign(_Model):
    """One campaign file the manifest lists, and its index: task id -> number of items."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    number: int
    id: str
    file: str
    index: dict[str, int] = field(default_factory=dict)


@dataclass(repr=False, eq=False)
class Manifest(_Model):
    """``registry.yaml``: the notice the registry holds, the period its list covers, its files."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    notice: str
    title: str
    issued_by: str
    period: DateRange
    source: str | None = None
    # Days after a recurring period's end within which a report without --period still meets
    # it (a June report filed on 2 July); 15 when not given.
    grace_days: int | None = None
    campaigns: list[ManifestCampaign] = field(default_factory=list)


# Departments -----------------------------------------------------------------


@dataclass(repr=False, eq=False)
class Department(_Model):
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    name: str
    aliases: list[str] = field(default_factory=list)
    level: Level = "city"
    note: str | None = None


@dataclass(repr=False, eq=False)
class Group(_Model):
    """A phrase of the notice that assigns work to several bodies at once."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    name: str
    aliases: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    county_kind: str | None = None
    description: str | None = None


@dataclass(repr=False, eq=False)
class DepartmentsFile(_Model):
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    counties: list[str]
    departments: list[Department]
    county_kinds: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)


# Plain data <-> models, by field name ----------------------------------------------
#
# The parse cache stores validated models as plain JSON and rebuilds them without
# Pydantic. ``from_plain`` goes by field name, never by position, and refuses an
# unknown key, so a field added to a model can never shift or drop another.

_NESTED: dict[str, dict[str, Any]] = {
    # class name -> field -> how to rebuild its value (a class, [a class] for a list, "date")
    "Deadline": {"date": "date"},
    "HistoryEntry": {"date": "date"},
    "Item": {"deadline": "Deadline", "departments": ["Assignment"], "history": ["HistoryEntry"]},
    "Task": {"departments": ["Assignment"], "deadline": "Deadline", "items": ["Item"]},
    "Campaign": {"declared": "Declared", "default_deadline": "date", "removed": ["Removal"],
                 "tasks": ["Task"]},
    "DateRange": {"start": "date", "end": "date"},
    "Manifest": {"period": "DateRange", "campaigns": ["ManifestCampaign"]},
    "DepartmentsFile": {"departments": ["Department"], "groups": ["Group"]},
}


def from_plain(cls: type[T], data: dict[str, Any]) -> T:
    """A model from plain data (``to_plain``'s output), by field name.

    Raises ``TypeError`` on an unknown or missing key and ``ValueError`` on a bad date, so a
    damaged cache entry is a miss, never a wrong model. ``data`` is not changed.
    """
    build = _BUILDERS.get(cls)
    if build is None:
        build = _builder(cls)
    return build(data)  # type: ignore[no-any-return,unused-ignore]


_BUILDERS: dict[type, Any] = {}


def _builder(cls: type) -> Any:
    """A function that builds ``cls`` from a mapping, written once per class (as ``dataclass``
    writes ``__init__``): a warm run rebuilds every model of the registry from the cache.

    Only the nested fields (dates, models, lists of models) are converted; every other key
    goes to the dataclass constructor as it is, by name, so the constructor itself refuses an
    unknown or a missing key (``TypeError``) and fills in a field's default when its key is
    absent (``to_plain(..., defaults=False)`` leaves defaults out)."""
    nested = _NESTED.get(cls.__name__, {})
    env: dict[str, Any] = {"cls": cls, "_date": dt.date.fromisoformat, "dict": dict, "TypeError": TypeError}
    lines = ["def build(d):",
             "    if d.__class__ is not dict:",
             f"        raise TypeError({cls.__name__ + ': expected a mapping'!r})"]
    if nested:
        lines.append("    d = d.copy()")
    for name, how in nested.items():
        if how == "date":
            convert = "_date(v)"
        else:
            inner = _CLASSES[how[0] if isinstance(how, list) else how]
            env[f"b_{name}"] = _BUILDERS.get(inner) or _builder(inner)
            convert = f"[b_{name}(x) for x in v]" if isinstance(how, list) else f"b_{name}(v)"
        lines += [f"    v = d.get({name!r})", "    if v is not None:", f"        d[{name!r}] = {convert}"]
    lines.append("    return cls(**d)")
    exec("\n".join(lines), env)  # noqa: S102 - code written here from the model's own field names
    _BUILDERS[cls] = env["build"]
    return env["build"]


def to_plain(obj: Any, *, defaults: bool = True) -> Any:
    """A model as plain JSON-able data (dates as ISO strings), for the cache and for output.

    With ``defaults=False``, a field whose value is its default is left out (the parse
    cache's entries are then about half as large, and ``from_plain`` restores it)."""
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, list):
        return [to_plain(x, defaults=defaults) for x in obj]
    if is_dataclass(obj):
        if defaults:
            return {f.name: to_plain(getattr(obj, f.name)) for f in fields(obj)}
        out = {}
        for f in fields(obj):
            value = getattr(obj, f.name)
            if f.default is not MISSING and value == f.default and type(value) is type(f.default):
                continue
            if f.default_factory is not MISSING and value == [] and isinstance(value, list):
                continue
            out[f.name] = to_plain(value, defaults=False)
        return out
    return obj


_CLASSES: dict[str, type] = {c.__name__: c for c in (
    Deadline, Assignment, HistoryEntry, Item, Task, Declared, Removal, Campaign, DateRange,
    ManifestCampaign, Manifest, Department, Group, DepartmentsFile)}
