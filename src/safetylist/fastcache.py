"""A large registry's campaigns from the parse cache, decoded by msgspec.

msgspec reads an entry's JSON straight into the models' dataclasses, in C: on 100,000
items about half the time of ``json.loads`` followed by ``models.from_plain``. Its import
costs about 8 ms, more than it saves on a small registry, so ``registry`` asks for it only
above ``registry.LARGE_REGISTRY_BYTES``. Both read the same entries, written by
``registry.remember_campaign``; an entry msgspec cannot read into the models (damaged, or
of another shape) is a miss, and the file is parsed again.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .models import Campaign, Task


class _Cached(msgspec.Struct):
    campaign: Campaign  # without its tasks: they are stored apart, with the names they name
    tasks: list[msgspec.Raw]
    names: list[list[str]]
    problems: list[tuple[int, int, str, str, str | None]]


class _Entry(msgspec.Struct):
    key: str
    value: _Cached


_decoders: list[Any] = []


def campaign_entry(raw: bytes, k: str, wanted: frozenset[str] | None = None
                   ) -> tuple[Campaign, list[Any]] | None:
    """The campaign and its problems (``[line, col, level, message, rule]`` each) from an
    entry's bytes; None when they are not an entry for key ``k``. With ``wanted``, only the
    tasks that name one of those departments are built (the others are skipped unread)."""
    if not _decoders:
        _decoders[:] = [msgspec.json.Decoder(_Entry), msgspec.json.Decoder(Task)]
    entry_decoder, task_decoder = _decoders
    try:
        entry = entry_decoder.decode(raw)
        if entry.key != k or len(entry.value.tasks) != len(entry.value.names):
            return None
        value = entry.value
        tasks = value.tasks if wanted is None else [
            t for t, n in zip(value.tasks, value.names) if not wanted.isdisjoint(n)]
        value.campaign.tasks = [task_decoder.decode(t) for t in tasks]
    except msgspec.MsgspecError:
        return None
    return value.campaign, [list(p) for p in value.problems]
