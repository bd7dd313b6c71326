"""How a table fits a terminal: the width each column gets. Pure arithmetic, no output.

The text column (an item's text, a note) gets the room: every other column keeps its
natural width unless the table is too wide, and then, in this order,
1. a column that may shrink is cut, the widest first, down to its narrowest;
2. a column that may be left out is left out (the last one first), and the others are
   given back their natural widths;
and the text column gets what is left, at least ``TEXT_MIN`` cells when there is that
much room. A column with a ``cap`` is held to it while the text column is cut; room the
text does not need goes back to it.
"""

from __future__ import annotations

from typing import NamedTuple

GAP = 2  # cells between two columns
TEXT_MIN = 24  # the text column's least width, room permitting


class Spec(NamedTuple):
    natural: int  # the widest cell or header line
    text: bool = False  # the column that gets the room (item text, notes)
    low: int = 0  # shrinking or text column: the narrowest it may be made
    cap: int = 0  # shrinking column: its width while the text is cut (0: none)
    shrink: bool = False
    drop: bool = False


def fit(specs: list[Spec], width: int, gap: int = GAP) -> list[int | None]:
    """Each column's width, or None for a column left out, for a table ``width`` cells wide."""
    live = list(range(len(specs)))
    droppable = [i for i, s in enumerate(specs) if s.drop]
    while True:
        widths = _shrunk(specs, live, width, gap)
        if widths is not None or not droppable:
            break
        live.remove(droppable.pop())
    if widths is None:  # narrower than anything can be made: every column at its narrowest
        widths = {i: _least(specs[i]) for i in live}
    _give_room(specs, widths, width - _total(widths, gap))
    return [widths.get(i) for i in range(len(specs))]


def _least(s: Spec) -> int:
    if s.text:
        return min(s.natural, s.low or TEXT_MIN)
    return min(s.natural, s.low) if s.shrink else s.natural


def _total(widths: dict[int, int], gap: int) -> int:
    return sum(widths.values()) + gap * max(0, len(widths) - 1)


def _shrunk(specs: list[Spec], live: list[int], width: int, gap: int) -> dict[int, int] | None:
    """Widths for the ``live`` columns with the text column at its least, shrinking columns
    cut as needed; None when even then the table is wider than ``width``."""
    widths = {}
    for i in live:
        s = specs[i]
        if s.text:
            widths[i] = _least(s)
        elif s.shrink and s.cap:
            widths[i] = min(s.natural, s.cap)
        else:
            widths[i] = s.natural
    excess = _total(widths, gap) - width
    while excess > 0:
        cuttable = [i for i in live if specs[i].shrink and widths[i] > _least(specs[i])]
        if not cuttable:
            return None
        widest = max(cuttable, key=lambda i: (widths[i] - _least(specs[i]), -i))
        widths[widest] -= 1
        excess -= 1
    return widths


def _give_room(specs: list[Spec], widths: dict[int, int], room: int) -> None:
    """Spare cells: to the text column up to its natural width, then back to capped columns."""
    for want_text in (True, False):
        for i in widths:
            s = specs[i]
            if room <= 0:
                return
            if s.text == want_text and (s.text or s.shrink):
                more = min(room, s.natural - widths[i])
                if more > 0:
                    widths[i] += more
                    room -= more
