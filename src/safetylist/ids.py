"""Ids of campaigns (``4``), tasks (``4.15``) and items (``4.15.2``): how one is read, written
and ordered, defined once.

An id is its numbers: campaign, task within the campaign, item within the task. Ids sort by
those numbers (4.9 before 4.15; a task before its items). What a clerk types (４．１５。２)
is made plain by ``typed.item_id`` first; here an id is plain ASCII digits and dots.
"""

from __future__ import annotations

LEVELS = ("campaign", "task", "item")


class ItemId(tuple[int, ...]):
    """A campaign, task or item id as its numbers: ``ItemId.parse("4.15.2") == (4, 15, 2)``.

    A tuple, so ids compare and sort as numbers; ``str()`` writes the id back (4.15.2).
    """

    __slots__ = ()

    @classmethod
    def parse(cls, text: str) -> ItemId:
        """``4``, ``4.15`` or ``4.15.2`` (leading zeros read as numbers: 04.015 is 4.15);
        ValueError for anything else."""
        parts = text.split(".")
        if len(parts) > len(LEVELS) or not all(p.isascii() and p.isdigit() for p in parts):
            raise ValueError(f"not an id: {text!r}")
        return tuple.__new__(cls, map(int, parts))

    def __str__(self) -> str:
        return ".".join(map(str, self))

    def __repr__(self) -> str:
        return f"ItemId({str(self)!r})"

    @property
    def level(self) -> str:
        """What the id names: ``campaign``, ``task`` or ``item``."""
        return LEVELS[len(self) - 1]

    @property
    def campaign(self) -> int:
        return self[0]

    @property
    def task(self) -> int | None:
        """The task's number within its campaign (15 of 4.15.2); None for a campaign id."""
        return self[1] if len(self) > 1 else None

    @property
    def item(self) -> int | None:
        """The item's number within its task (2 of 4.15.2); None for a task or campaign id."""
        return self[2] if len(self) > 2 else None

    @property
    def task_id(self) -> ItemId:
        """The task an item belongs to (4.15 of 4.15.2); a task's is itself."""
        if len(self) < 2:
            raise ValueError(f"campaign {self} is not within a task")
        return tuple.__new__(ItemId, self[:2])

    def within(self, outer: ItemId) -> bool:
        """This id is ``outer`` or inside it: 4.15.2 is within 4.15 and within 4."""
        return self[:len(outer)] == outer


def level_of(text: str) -> str | None:
    """``campaign``, ``task`` or ``item`` for a plain id; None for text that is not one."""
    try:
        return ItemId.parse(text).level
    except ValueError:
        return None


def sort_key(ident: str) -> tuple[int, ...]:
    """A well-formed id's numbers, the tuple ``ItemId.parse`` makes, without its checks: the
    sort key of every listing, made for each item of a large registry (a plain tuple is the
    quickest to build and compare)."""
    return tuple(map(int, ident.split(".")))


def task_of(ident: str) -> str:
    """The id of the task an item belongs to (4.15.2 → 4.15); a task id is its own."""
    return ".".join(ident.split(".")[:2])


def child(parent: str, number: int) -> str:
    """The id of the ``number``-th task of a campaign or item of a task: ``child("4.15", 2)``
    is ``4.15.2``."""
    return f"{parent}.{number}"


def last_number(ident: str) -> tuple[str, int | None]:
    """An id's parent and its last number (``4.15.2`` → ``("4.15", 2)``); None for a last part
    that is not a number as ids write them (ASCII digits, no leading zero)."""
    parent, _, tail = ident.rpartition(".")
    canonical = tail.isascii() and tail.isdigit() and not tail.startswith("0")
    return parent, int(tail) if canonical else None
