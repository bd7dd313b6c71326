"""Ids of campaigns, tasks and items: read, written and ordered one way (``ids``)."""

from __future__ import annotations

import random
import time

import pytest

from safetylist.ids import ItemId, child, last_number, level_of, sort_key, task_of

from conftest import DATA


@pytest.mark.parametrize("text, numbers, level", [
    ("4", (4,), "campaign"), ("4.15", (4, 15), "task"), ("4.15.2", (4, 15, 2), "item"),
    ("0.1.1", (0, 1, 1), "item"), ("04.015.02", (4, 15, 2), "item"),
])
def test_an_id_is_its_numbers(text, numbers, level):
    ident = ItemId.parse(text)
    assert ident == numbers and ident.level == level
    assert (ident.campaign, ident.task, ident.item) == (numbers + (None, None))[:3]
    assert str(ident) == ".".join(str(n) for n in numbers)  # written back plainly
    assert f"{ident}" == str(ident) and repr(ident) == f"ItemId('{ident}')"
    assert level_of(text) == level


@pytest.mark.parametrize("text", ["", "4.", ".4", "4..2", "4.15.2.1", "a.b", "4.x", "４.15", "4.1５",
                                  "²", "-4.1", "4 .15", "4,15"])
def test_what_is_not_an_id(text):
    with pytest.raises(ValueError, match="not an id"):
        ItemId.parse(text)
    assert level_of(text) is None


def test_the_task_of_an_item_and_what_lies_within_what():
    item = ItemId.parse("4.15.2")
    assert item.task_id == (4, 15) and str(item.task_id) == "4.15" and item.task_id.level == "task"
    assert ItemId.parse("4.15").task_id == (4, 15)
    with pytest.raises(ValueError):
        _ = ItemId.parse("4").task_id
    assert item.within(ItemId.parse("4.15")) and item.within(ItemId.parse("4")) and item.within(item)
    assert not item.within(ItemId.parse("4.1")) and not item.within(ItemId.parse("14"))
    assert not ItemId.parse("4.15").within(item)
    assert task_of("4.15.2") == "4.15" and task_of("4.15") == "4.15"


def test_ids_sort_as_numbers_and_the_key_is_the_parsed_id():
    texts = ["4.15.2", "4.9.1", "4.15", "13.1.1", "4.15.10", "0.1.1", "4", "4.15.3"]
    assert sorted(texts, key=sort_key) == ["0.1.1", "4", "4.9.1", "4.15", "4.15.2", "4.15.3",
                                           "4.15.10", "13.1.1"]
    assert sorted(texts, key=ItemId.parse) == sorted(texts, key=sort_key)
    for text in texts:
        assert sort_key(text) == ItemId.parse(text) and type(sort_key(text)) is tuple


def test_every_id_of_the_registry_reads_back_as_written():
    from safetylist.registry import open_registry

    registry = open_registry(DATA)
    ids = [x for c in registry.campaigns for t in c.tasks for x in [t.id, *(i.id for i in t.items)]]
    assert len(ids) > 400
    for text in ids:
        assert str(ItemId.parse(text)) == text


def test_sorting_20000_ids_is_as_quick_as_splitting_them_by_hand():
    """The sort key of every listing: no slower than the hand-written key it replaced."""
    rng = random.Random(2022)
    ids = [f"{rng.randint(0, 80)}.{rng.randint(1, 60)}.{rng.randint(1, 9)}" for _ in range(20000)]

    def by_hand(ident: str) -> tuple[int, ...]:
        return tuple(int(p) for p in ident.split("."))

    times: dict[object, list[float]] = {sort_key: [], by_hand: []}
    for _ in range(7):  # interleaved, so that a busy machine slows both alike
        for key in times:
            start = time.perf_counter()
            sorted(ids, key=key)
            times[key].append(time.perf_counter() - start)
    assert sorted(ids, key=sort_key) == sorted(ids, key=by_hand)
    assert min(times[sort_key]) <= min(times[by_hand]) * 1.1


@pytest.mark.parametrize("ident, expected", [
    ("4.15.2", ("4.15", 2)), ("4.15", ("4", 15)), ("4.15.02", ("4.15", None)),
    ("4.15.0", ("4.15", None)), ("4.15.x", ("4.15", None)), ("4.15.２", ("4.15", None)),
    ("4.15.²", ("4.15", None)), ("4.15.", ("4.15", None))])
def test_last_number(ident, expected):
    assert last_number(ident) == expected


def test_child():
    assert child("4.15", 2) == "4.15.2" and child("4", 15) == "4.15"
    assert last_number(child("13.8", 11)) == ("13.8", 11)
