"""Pydantic models of the registry: campaign, task, item, history, department.

Every model forbids unknown keys, so a misspelt key in a hand edit is an error.
Ids are strings (``"4.15"`` for a task, ``"4.15.2"`` for an item) and must match
their place in the file; ``registry.check`` verifies that.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Status = Literal["not_started", "in_progress", "done", "blocked"]
STATUSES: tuple[str, ...] = ("not_started", "in_progress", "done", "blocked")
Role = Literal["lead", "support", "supervise", "implement"]
ROLES: tuple[str, ...] = ("lead", "support", "supervise", "implement")

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Deadline(Model):
    """A deadline: the date it means, and the phrase of the notice it came from."""

    date: dt.date
    text: str | None = None
    ambiguous: bool = False


class Assignment(Model):
    """A responsible department or group, with its role where the notice states one."""

    name: str = Field(min_length=1)
    role: Role | None = None


def _assignments(value: object) -> object:
    # In YAML a plain string means "no role given"; a mapping carries the role.
    if isinstance(value, list):
        return [{"name": v} if isinstance(v, str) else v for v in value]
    return value


class HistoryEntry(Model):
    """One recorded change of an item: who reported what, when."""

    date: dt.date
    status: Status
    by: str | None = None
    note: str | None = None
    period: str | None = None


class Item(Model):
    """A sub-item (项): the unit that gets done and reported."""

    id: str
    text: str = Field(min_length=1)
    status: Status = "not_started"
    deadline: Deadline | None = None
    departments: list[Assignment] | None = None
    recurrence: str | None = None
    recurrence_text: str | None = None
    history: list[HistoryEntry] = Field(default_factory=list)

    _norm_departments = field_validator("departments", mode="before")(
        lambda cls, v: _assignments(v)
    )


class Task(Model):
    """A numbered task (条) of a campaign, with its responsible departments."""

    id: str
    departments: list[Assignment] = Field(default_factory=list)
    departments_text: str | None = None
    deadline: Deadline | None = None
    source_note: str | None = None
    items: list[Item] = Field(default_factory=list)

    _norm_departments = field_validator("departments", mode="before")(
        lambda cls, v: _assignments(v)
    )


class Declared(Model):
    tasks: int = Field(ge=0)
    items: int = Field(ge=0)


class Campaign(Model):
    """One campaign (专题 / 专项整治) of the notice: one YAML file."""

    id: str
    number: int = Field(ge=0, le=9999)
    title: str
    heading: str
    declared: Declared
    source: str
    default_deadline: dt.date
    source_note: str | None = None
    tasks: list[Task] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG_RE.match(v):
            raise ValueError("campaign id must be a lowercase slug like 'coal-mine'")
        return v


# Departments -----------------------------------------------------------------


class Department(Model):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    level: Literal["city", "county", "province", "national", "other"] = "city"
    note: str | None = None


class Group(Model):
    """A phrase of the notice that assigns work to several bodies at once."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    members: list[str] = Field(default_factory=list)
    county_kind: str | None = None
    description: str | None = None


class DepartmentsFile(Model):
    counties: list[str]
    county_kinds: list[str] = Field(default_factory=list)
    departments: list[Department]
    groups: list[Group] = Field(default_factory=list)


__all__ = [
    "Assignment",
    "Campaign",
    "Deadline",
    "Declared",
    "Department",
    "DepartmentsFile",
    "Group",
    "HistoryEntry",
    "Item",
    "ROLES",
    "STATUSES",
    "Status",
    "Task",
]
