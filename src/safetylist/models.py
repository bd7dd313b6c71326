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
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, ClassVar, Literal, Optional

Status = Literal["not_started", "in_progress", "done", "blocked"]
STATUSES: tuple[str, ...] = ("not_started", "in_progress", "done", "blocked")
Role = Literal["lead", "support", "supervise", "implement"]
ROLES: tuple[str, ...] = ("lead", "support", "supervise", "implement")
Level = Literal["city", "county", "province", "national", "other"]

_FORBID: dict[str, Any] = {"extra": "forbid"}


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


model = dataclass(repr=False, eq=False)


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


@model
class Deadline(_Model):
    """A deadline: the date it means, and the phrase of the notice it came from."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    date: dt.date
    text: Optional[str] = None
    ambiguous: bool = False

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Deadline:
        return cls(_date(d["date"]), d.get("text"), d.get("ambiguous", False))


@model
class Assignment(_Model):
    """A responsible department or group, with its role where the notice states one."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    name: str
    role: Optional[Role] = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Assignment:
        return cls(d["name"], d.get("role"))


@model
class HistoryEntry(_Model):
    """One recorded change of an item: who reported what, when.

    ``undoes``: this entry takes back an earlier one (``safetylist undo``), named by its
    position in the item's history, counted from 1; its status is the item's status as it
    was before the entry taken back.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    date: dt.date
    status: Status
    by: Optional[str] = None
    note: Optional[str] = None
    period: Optional[str] = None
    undoes: Optional[int] = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> HistoryEntry:
        return cls(_date(d["date"]), d["status"], d.get("by"), d.get("note"), d.get("period"),
                   d.get("undoes"))


def taken_back(history: list[HistoryEntry]) -> set[int]:
    """Indexes (from 0) of the entries that a later entry takes back."""
    return {h.undoes - 1 for h in history if h.undoes is not None}


def in_force(history: list[HistoryEntry]) -> list[HistoryEntry]:
    """The entries that count: a mistake taken back never happened, as of any date, and the
    correction that took it back reports nothing itself."""
    gone = taken_back(history)
    if not gone:
        return history
    return [h for n, h in enumerate(history) if n not in gone and h.undoes is None]


@model
class Item(_Model):
    """A sub-item (项): the unit that gets done and reported."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    id: str
    text: str
    status: Status = "not_started"
    deadline: Optional[Deadline] = None
    departments: Optional[list[Assignment]] = None
    recurrence: Optional[str] = None
    recurrence_text: Optional[str] = None
    history: list[HistoryEntry] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Item:
        deadline, depts = d.get("deadline"), d.get("departments")
        return cls(d["id"], d["text"], d.get("status", "not_started"),
                   Deadline.from_dict(deadline) if deadline else None,
                   [Assignment.from_dict(a) for a in depts] if depts is not None else None,
                   d.get("recurrence"), d.get("recurrence_text"),
                   [HistoryEntry.from_dict(h) for h in d.get("history", ())])


@model
class Task(_Model):
    """A numbered task (条) of a campaign, with its responsible departments."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    id: str
    departments: list[Assignment] = field(default_factory=list)
    departments_text: Optional[str] = None
    deadline: Optional[Deadline] = None
    source_note: Optional[str] = None
    items: list[Item] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Task:
        deadline = d.get("deadline")
        return cls(d["id"], [Assignment.from_dict(a) for a in d.get("departments", ())],
                   d.get("departments_text"), Deadline.from_dict(deadline) if deadline else None,
                   d.get("source_note"), [Item.from_dict(i) for i in d.get("items", ())])


@model
class Declared(_Model):
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    tasks: int
    items: int


@model
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
    source_note: Optional[str] = None
    tasks: list[Task] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Campaign:
        return cls(d["id"], d["number"], d["title"], d["heading"],
                   Declared(d["declared"]["tasks"], d["declared"]["items"]), d["source"],
                   _date(d["default_deadline"]), d.get("source_note"),
                   [Task.from_dict(t) for t in d.get("tasks", ())])


# Departments -----------------------------------------------------------------


@model
class Department(_Model):
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    name: str
    aliases: list[str] = field(default_factory=list)
    level: Level = "city"
    note: Optional[str] = None


@model
class Group(_Model):
    """A phrase of the notice that assigns work to several bodies at once."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    name: str
    aliases: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    county_kind: Optional[str] = None
    description: Optional[str] = None


@model
class DepartmentsFile(_Model):
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    counties: list[str]
    departments: list[Department]
    county_kinds: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DepartmentsFile:
        return cls(list(d["counties"]), [Department(**x) for x in d["departments"]],
                   list(d.get("county_kinds", ())), [Group(**g) for g in d.get("groups", ())])


def to_plain(obj: Any) -> Any:
    """A model as plain JSON-able data (dates as ISO strings), for the cache and for output."""
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, list):
        return [to_plain(x) for x in obj]
    if is_dataclass(obj):
        return {f.name: to_plain(getattr(obj, f.name)) for f in fields(obj)}
    return obj
