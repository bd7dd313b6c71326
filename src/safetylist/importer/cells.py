"""Reading one cell of a task list: its items, its deadline phrase, its departments.

The pieces every reader of a notice shares, whatever the file: ``import-notice`` for Word,
Excel, CSV and numbered text, and ``tools/build_registry.py`` for the 2022 PDF extraction.
Nothing here opens a file or imports more than the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

# Item labels. The 2022 notice writes (1) (2) only; other lists also write （1）, ① or, at the
# start of a line, 1. / 1、 (Word and Excel cells keep their line breaks).
LABEL = re.compile(r"\((\d{1,2})\)\s*")
ANY_LABEL = re.compile(r"[(（](\d{1,2})[)）]\s*|([①-⑳])\s*|(?:^|(?<=\n))\s*(\d{1,2})[.．、](?!\d)\s*")


def fold(text: str) -> str:
    """Whitespace runs (line breaks in a cell, the spaces of an extraction) as one space."""
    return re.sub(r"\s+", " ", text).strip()


def label_number(match: re.Match[str]) -> int:
    """The number of an item label: (3) or （3） or 3. is 3, ③ is 3."""
    for group in match.groups():
        if group:
            return int(group) if group.isascii() else ord(group) - ord("①") + 1
    raise ValueError(match.group(0))


class Split(NamedTuple):
    lead: str  # text before the first label (a lead-in such as 加强XX工作：), folded
    items: list[str]  # the labelled texts, folded, labels removed
    labels: list[int]  # each item's printed number; none for a cell without labels


def split_items(text: str, label: re.Pattern[str] = ANY_LABEL) -> Split:
    """The items of one cell, cut at their labels; a cell without labels is one item."""
    cuts = list(label.finditer(text))
    if not cuts:
        whole = fold(text)
        return Split("", [whole] if whole else [], [])
    items = [fold(text[m.end(): nxt.start() if nxt else len(text)])
             for m, nxt in zip(cuts, [*cuts[1:], None])]
    return Split(fold(text[: cuts[0].start()]), items, [label_number(m) for m in cuts])


# Deadlines -----------------------------------------------------------------------------


def split_deadline(text: str) -> tuple[str, str | None]:
    """A cell's text without its deadline phrase, and the phrase (2022年底前 …) if it has one:
    the 2022 extraction prints a row's deadline inside its department cell."""
    from ..dates import DEADLINE_PHRASE

    m = re.search(DEADLINE_PHRASE, text)
    if not m:
        return text, None
    return (text[: m.start()] + " " + text[m.end():]).strip(), m.group(0)


# Departments ---------------------------------------------------------------------------

# The notice's ways of writing several bodies at once: 市、县应急管理局 (the city's and each
# county's) and 各县（市、区）政府 (each county's). Their 、 does not separate two names; the
# directory's aliases know them without it (市县应急管理局, 各县市区政府).
_JOINED = [("（市、区）", "（市\0区）"), ("(市、区)", "(市\0区)"), ("市、县", "市\0县")]
_NORMAL = [("（市、区）", "市区"), ("(市、区)", "市区"), ("市、县", "市县")]
_SEPARATORS = re.compile(r"[，,、。；;\s]|及|和")
# A prefix written once before a list of short names (市、县工信局、商务局: 市县商务局 too).
_PREFIX = re.compile(r"^(市县|各县市区|各县（市区）|各级)")
_ROLES = [
    # (pattern over the whole cell, role of group 1, role of group 2)
    (re.compile(r"(.*)督促指导[，,](.*)具体落实"), "supervise", "implement"),
    (re.compile(r"(.*?)牵头[、，,](.*)配合"), "lead", "support"),
    # Forms the 2022 list does not print: 牵头单位：A；配合单位：B, A牵头 alone.
    (re.compile(r"牵头(?:单位|部门)?[:：](.*?)[；;，,。\s]*配合(?:单位|部门)?[:：](.*)"), "lead", "support"),
    (re.compile(r"(.*?)牵头[；;，,、]?(.*?)(?:等(?:部门|单位))?(?:共同)?配合"), "lead", "support"),
    (re.compile(r"(.*?)牵头[。；;]?"), "lead", None),
]


class Name(NamedTuple):
    printed: str  # the token as printed (市、县应急管理局)
    canonical: str | None  # its canonical name, or None when the directory does not know it
    role: str | None


def normal(token: str) -> str:
    for old, new in _NORMAL:
        token = token.replace(old, new)
    return token


def tokens(text: str) -> list[str]:
    """The names of a department cell as printed, in order."""
    for old, new in _JOINED:
        text = text.replace(old, new)
    return [t.replace("\0", "、") for t in _SEPARATORS.split(text) if t]


def names(text: str, lookup: Callable[[str], str | None], role: str | None = None) -> list[Name]:
    """Each name of a list of departments with what ``lookup`` (a directory's ``canonical``)
    makes of it. A short name after a prefix written once (市、县工信局、商务局) takes the
    prefix where that names a known group; a name split by a space or a line break (吕梁市
    政管理局, 市交 通局) is joined; a list's closing 等部门 is not part of the last name."""
    parts = tokens(text)
    out: list[Name] = []
    prefix = ""
    i = 0
    while i < len(parts):
        tok = parts[i]
        # After 市、县工信局, 商务局 is 市、县商务局 (the 2022 list's 6.15), where such a group exists.
        canon = lookup(prefix + normal(tok)) if prefix and not _PREFIX.match(normal(tok)) else None
        canon = canon or lookup(normal(tok))
        if canon is None and i + 1 < len(parts):
            joined = [f"{tok} {parts[i + 1]}", tok + parts[i + 1]]
            for candidate in joined:
                canon = lookup(normal(candidate)) or lookup(candidate)
                if canon is not None:
                    tok = candidate
                    i += 1
                    break
        if canon is None:
            canon = lookup(tok)
        if canon is None:
            bare = re.sub(r"等(?:部门|单位|有关部门|相关部门)?$", "", tok)
            if bare != tok and bare:
                canon = lookup(normal(bare))
                tok = bare if canon is not None else tok
        m = _PREFIX.match(normal(tok))
        if m:
            prefix = m.group(1)
        out.append(Name(tok, canon, role))
        i += 1
    return out


def read_cell(text: str, lookup: Callable[[str], str | None]) -> list[Name]:
    """A department cell: its names with the roles the cell states (牵头/配合, 督促指导/具体
    落实), each name once, in order."""
    found: list[Name] = []
    for pattern, first, second in _ROLES:
        m = pattern.fullmatch(text)
        if m and m.group(1).strip():
            found = names(m.group(1), lookup, first)
            if second is not None and m.group(2).strip():
                found += names(m.group(2), lookup, second)
            break
    else:
        found = names(text, lookup)
    out: list[Name] = []
    for name in found:
        key = name.canonical or name.printed
        if all((o.canonical or o.printed) != key for o in out):
            out.append(name)
    return out
