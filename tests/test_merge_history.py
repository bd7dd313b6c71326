"""The union of two clones' histories of one item: every entry once, in one order whatever
order clones are merged in, corrections still naming what they take back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random

from safetylist.merge import merge_history
from safetylist.models import HistoryEntry
from safetylist.status import in_force, insertion_index

OFFICE = "市政府安委办"


def add(history: list[HistoryEntry], entry: HistoryEntry) -> list[HistoryEntry]:
    """What a write does: the entry at its date, after same-day entries; corrections after
    it renumbered."""
    at = insertion_index(history, entry.date)
    out = [dataclasses.replace(h, undoes=h.undoes + 1) if h.undoes is not None and h.undoes > at
           else h for h in history]
    out.insert(at, entry)
    return out


def entry(day: int, by: str | None, status: str | None = None, note: str | None = None,
          **more) -> HistoryEntry:
    return HistoryEntry(date=dt.date(2022, 6, day), by=by, status=status, note=note, **more)


def clone(base: list[HistoryEntry], *entries: HistoryEntry) -> list[HistoryEntry]:
    history = list(base)
    for e in entries:
        history = add(history, e)
    return history


def undo_latest(history: list[HistoryEntry], day: int, by: str) -> list[HistoryEntry]:
    target = max(n for n, h in enumerate(history) if h.by == by and h.undoes is None)
    return add(history, entry(day, by, kind="correction", undoes=target + 1))


def shown(history: list[HistoryEntry]) -> list[str]:
    return [f"{h.date.day} {h.by} {h.status or h.kind or 'note'}"
            + (f" {h.note}" if h.note else "") + (f" undoes {h.undoes}" if h.undoes else "")
            + (" whole" if h.whole else "") for h in history]


BASE = [entry(1, "市应急管理局", "in_progress", "已部署")]
# Five clones off the same base: the same days, different departments; one reports, takes it
# back and reports again; the office decides for the whole item on a day others report.
CLONES = [
    clone(BASE, entry(10, "孝义市应急管理局", "done", "已完成")),
    clone(BASE, entry(10, "汾阳市应急管理局", "in_progress"), entry(10, "汾阳市应急管理局", "done")),
    undo_latest(clone(BASE, entry(10, "离石区应急管理局", "done", "误报")), 11, "离石区应急管理局")
    + [entry(11, "离石区应急管理局", "done", "已完成")],
    clone(BASE, entry(10, OFFICE, note="督办"), entry(12, OFFICE, "done", "验收", whole=True)),
    clone(BASE, entry(1, "市应急管理局", "done", "补报")),  # back-dated: before others' days
]

MERGED = [
    "1 市应急管理局 in_progress 已部署",
    "1 市应急管理局 done 补报",
    "10 孝义市应急管理局 done 已完成",
    "10 市政府安委办 note 督办",
    "10 汾阳市应急管理局 in_progress",
    "10 汾阳市应急管理局 done",
    "10 离石区应急管理局 done 误报",
    "11 离石区应急管理局 correction undoes 7",
    "11 离石区应急管理局 done 已完成",
    "12 市政府安委办 done 验收 whole",
]


def merged_in(order) -> list[HistoryEntry]:
    """Clones merged one by one into the base's repository, as git does: each merge's base
    is the common ancestor."""
    result = BASE
    for n in order:
        result = merge_history(BASE, result, CLONES[n])
    return result


def test_every_merge_order_gives_the_same_history():
    assert shown(merged_in(range(5))) == MERGED
    for order in itertools.permutations(range(5)):
        assert shown(merged_in(order)) == MERGED, order
    # Clones merged with each other first, then into the office's repository.
    left = merge_history(BASE, merge_history(BASE, CLONES[3], CLONES[0]), CLONES[4])
    right = merge_history(BASE, CLONES[2], CLONES[1])
    assert shown(merge_history(BASE, left, right)) == MERGED
    assert shown(merge_history(BASE, right, left)) == MERGED


def test_the_correction_still_takes_back_its_entry_wherever_the_merge_puts_it():
    merged = merged_in([2, 4, 0])
    assert shown(merged)[-2:] == ["11 离石区应急管理局 correction undoes 4",
                                  "11 离石区应急管理局 done 已完成"]
    assert merged[3].note == "误报"
    assert [h.note for h in in_force(merged)] == ["已部署", "补报", "已完成", "已完成"]


def test_an_entry_both_sides_hold_is_kept_once():
    report = entry(10, "孝义市应急管理局", "done", "已完成")
    assert shown(merge_history(BASE, clone(BASE, report), clone(BASE, report))) == [
        "1 市应急管理局 in_progress 已部署", "10 孝义市应急管理局 done 已完成"]
    # Recorded again on one side after another entry of its own: a second report, kept.
    again = clone(BASE, report, entry(10, "孝义市应急管理局", note="补充材料"), report)
    assert shown(merge_history(BASE, again, clone(BASE, report))) == [
        "1 市应急管理局 in_progress 已部署", "10 孝义市应急管理局 done 已完成",
        "10 孝义市应急管理局 note 补充材料", "10 孝义市应急管理局 done 已完成"]
    assert merge_history(BASE, clone(BASE, report), again) == again


def test_an_entry_one_side_corrected_by_hand_is_not_brought_back():
    typo = entry(5, "孝义市应急管理局", note="已完成整该")
    base = clone(BASE, typo)
    fixed = [entry(5, "孝义市应急管理局", note="已完成整改") if h == typo else h for h in base]
    other = clone(base, entry(6, "汾阳市应急管理局", "done"))
    assert shown(merge_history(base, fixed, other)) == [
        "1 市应急管理局 in_progress 已部署", "5 孝义市应急管理局 note 已完成整改",
        "6 汾阳市应急管理局 done"]


def test_random_clones_merge_to_the_same_bytes_in_every_order():
    """Clones adding entries (same days, shared departments, notes without one, back-dated
    reports, undos) merged in every order, and as a tree: one result each time."""
    days = (1, 2, 3)
    for seed in range(150):
        rng = random.Random(seed)
        base: list[HistoryEntry] = []
        for _ in range(rng.randint(0, 3)):
            base = add(base, entry(rng.choice(days), rng.choice(["A", "B"]), note=f"b{rng.random():.6f}"))
        clones = []
        for who in rng.sample(["A", "B", "C", "D"], rng.randint(2, 4)):
            history = list(base)
            for _ in range(rng.randint(1, 4)):
                mine = [n for n, h in enumerate(history) if h.by == who and h.undoes is None]
                if mine and rng.random() < 0.2:
                    history = undo_latest(history, max(history[mine[-1]].date.day, rng.choice(days)), who)
                    continue
                history = add(history, entry(rng.choice(days), rng.choice([who, who, "X", None]),
                                             rng.choice([None, "done", "in_progress"]),
                                             f"{who}{rng.random():.6f}"))
            clones.append(history)
        results = set()
        for order in itertools.permutations(range(len(clones))):
            merged = base
            for n in order:
                merged = merge_history(base, merged, clones[n])
            results.add(repr(merged))
        pairs = merge_history(base, clones[0], clones[1])  # clones merged with each other first
        for n in range(2, len(clones)):
            pairs = merge_history(base, clones[n], pairs)
        assert results == {repr(pairs)}, seed
        held = {repr(h) for c in clones for h in c if h.undoes is None}
        assert sorted(held) == sorted(repr(h) for h in merged if h.undoes is None), seed
        assert all(a.date <= b.date for a, b in zip(merged, merged[1:])), seed
        taken = {repr(h) for c in clones for h in c if h not in in_force(c) and h.undoes is None}
        assert taken == {repr(h) for h in merged if h not in in_force(merged) and h.undoes is None}, seed
