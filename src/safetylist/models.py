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


model = dataclass(repr=False, eq=False)


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
_FIELD_NAMES: dict[type, frozenset[str]] = {}


def from_plain(cls: type[T], data: dict[str, Any]) -> T:
    """A model from plain data (``to_plain``'s output), by field name.

    Raises ``TypeError`` on an unknown or missing key and ``ValueError`` on a bad date, so a
    damaged cache entry is a miss, never a wrong model.
    """
    build = _BUILDERS.get(cls)
    if build is None:
        build = _BUILDERS[cls] = _builder(cls)
    return build(data)  # type: ignore[no-any-return,unused-ignore]


_BUILDERS: dict[type, Any] = {}


def _builder(cls: type) -> Any:
    """A function that builds ``cls`` from a mapping by field name, written once per class
    (as ``dataclass`` writes ``__init__``): a warm run rebuilds every model of the registry,
    and a generic loop over the fields costs several times more."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type,unused-ignore]
    nested = _NESTED.get(cls.__name__, {})
    env: dict[str, Any] = {"cls": cls, "_date": _date, "names": frozenset(names),
                           "TypeError": TypeError, "KeyError": KeyError, "dict": dict,
                           "isinstance": isinstance, "str": str, "sorted": sorted}
    args = []
    for name in names:
        how = nested.get(name)
        get = f"d[{name!r}]" if name in _REQUIRED.get(cls.__name__, ()) else f"d.get({name!r}, _MISSING)"
        if how is None:
            value = get
        elif how == "date":
            value = f"_date(v) if (v := {get}) is not None and v is not _MISSING else v"
        elif isinstance(how, list):
            env[f"b_{name}"] = _CLASSES[how[0]]
            value = (f"[from_plain(b_{name}, x) for x in v] if (v := {get}) is not None "
                     f"and v is not _MISSING else v")
        else:
            env[f"b_{name}"] = _CLASSES[how]
            value = f"from_plain(b_{name}, v) if (v := {get}) is not None and v is not _MISSING else v"
        args.append(f"          {name}=({value}),")
    env["from_plain"] = from_plain
    env["_MISSING"] = _MISSING
    code = "\n".join([
        "def build(d):",
        "    if not isinstance(d, dict):",
        f"        raise TypeError({cls.__name__ + ': expected a mapping'!r})",
        "    if not d.keys() <= names:",
        f"        raise TypeError({cls.__name__ + ': unknown key(s) '!r} + str(sorted(d.keys() - names)))",
        "    try:",
        "      kwargs = dict(",
        *args,
        "      )",
        "    except KeyError as missing:",
        f"        raise TypeError({cls.__name__ + ': missing key '!r} + str(missing)) from None",
        "    return cls(**{k: v for k, v in kwargs.items() if v is not _MISSING})",
    ])
    exec(code, env)  # noqa: S102 - code written here from the model's own field names
    return env["build"]


class _Missing:
    pass


_MISSING = _Missing()
# Fields without a default: a missing one is a KeyError, never a default in its place.
_REQUIRED: dict[str, tuple[str, ...]] = {}


def to_plain(obj: Any) -> Any:
    """A model as plain JSON-able data (dates as ISO strings), for the cache and for output."""
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, list):
        return [to_plain(x) for x in obj]
    if is_dataclass(obj):
        return {f.name: to_plain(getattr(obj, f.name)) for f in fields(obj)}
    return obj


_CLASSES: dict[str, type] = {c.__name__: c for c in (
    Deadline, Assignment, HistoryEntry, Item, Task, Declared, Removal, Campaign, DateRange,
    ManifestCampaign, Manifest, Department, Group, DepartmentsFile)}

_REQUIRED.update({name: tuple(f.name for f in fields(c)  # type: ignore[arg-type,unused-ignore]
                              if f.default is MISSING and f.default_factory is MISSING)
                  for name, c in _CLASSES.items()})
