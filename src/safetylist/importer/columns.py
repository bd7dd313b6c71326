"""A table's columns, found by their header words or mapped by hand (``--columns``)."""

from __future__ import annotations

import re

from ..errors import UsageError
from .source import Cell

# Each column's role and the header words that name it.
HEADERS: dict[str, list[str]] = {
    "number": ["序号", "编号"],
    "items": ["具体措施", "工作措施", "工作内容", "主要措施", "具体任务", "任务内容", "工作举措",
              "措施"],
    "task": ["重点任务", "主要任务", "工作任务", "重点工作", "任务名称", "任务"],
    "lead": ["牵头单位", "牵头部门", "牵头"],
    "support": ["配合单位", "配合部门", "配合"],
    "departments": ["责任单位", "责任部门", "责任主体"],
    "deadline": ["完成时限", "时间节点", "完成时间", "完成期限", "时限"],
}
# Columns a ledger carries that are not the notice's (progress is recorded with safetylist),
# and the people a list names beside its departments.
IGNORED = ["进展情况", "完成情况", "完成状态", "备注", "责任人", "联系人", "联系电话", "督办",
           "责任领导", "牵头领导", "分管领导", "包联领导"]
ROLES = list(HEADERS)
ROLE_WORDS = {word: role for role, words in HEADERS.items() for word in words}


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def role_of(header: str) -> str | None:
    """The role a header names: its words exactly, or followed by a bracket or a joining word
    (完成时限（月）, 责任单位及责任人); 牵头领导 and 任务来源 name none."""
    text = _plain(header)
    if text in ROLE_WORDS:
        return ROLE_WORDS[text]
    starts = [w for w in ROLE_WORDS if text.startswith(w) and text[len(w)] in "（(：:/、及和"]
    return ROLE_WORDS[max(starts, key=len)] if starts else None


def is_ignored(header: str) -> bool:
    return any(_plain(header).startswith(w) for w in IGNORED)


def header_roles(row: list[Cell]) -> dict[str, list[int]]:
    """Role -> the columns (0-based) whose header names it."""
    found: dict[str, list[int]] = {}
    for c, cell in enumerate(row):
        role = role_of(cell.text)
        if role is not None:
            found.setdefault(role, []).append(c)
    return found


def is_header(roles: dict[str, list[int]]) -> bool:
    return len(roles) >= 2 and ("items" in roles or "task" in roles)


class Mapping:
    """``--columns``: ROLE=COLUMN pairs, the column a letter (C), a number (3) or its header
    as printed (具体措施); the role an English role name or a header word."""

    def __init__(self, specs: list[str]):
        self.pairs: list[tuple[str, str]] = []
        for spec in specs:
            for pair in filter(None, (p.strip() for p in re.split(r"[,，]", spec))):
                key, sep, value = pair.partition("=")
                key, value = key.strip(), value.strip()
                role = key if key in HEADERS else role_of(key) if key else None
                if not sep or role is None or not value:
                    raise UsageError(f"--columns: '{pair}' is not ROLE=COLUMN; roles: "
                                     f"{', '.join(ROLES)} (or a header word such as 具体措施), "
                                     "columns: a letter (C), a number (3) or the header as printed")
                self.pairs.append((role, value))

    def header_row(self, rows: list[list[Cell]], within: int) -> int | None:
        """The first row that holds every header the mapping names by its text."""
        texts = [_plain(v) for _, v in self.pairs if not re.fullmatch(r"[A-Za-z]{1,2}|\d+", v)]
        if not texts:
            return None
        for i, row in enumerate(rows[:within]):
            cells = {_plain(c.text) for c in row}
            if all(t in cells for t in texts):
                return i
        return None

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def apply(self, roles: dict[str, list[int]], header: list[Cell] | None,
              place: str) -> dict[str, list[int]]:
        out = dict(roles)
        for role, value in self.pairs:
            out[role] = [self._column(value, header, place)]
        return out

    @staticmethod
    def _column(value: str, header: list[Cell] | None, place: str) -> int:
        if re.fullmatch(r"[A-Za-z]{1,2}", value):
            n = 0
            for ch in value.upper():
                n = n * 26 + ord(ch) - 64
            return n - 1
        if value.isdigit() and int(value) > 0:
            return int(value) - 1
        for c, cell in enumerate(header or []):
            if _plain(cell.text) == _plain(value):
                return c
        where = f" of {place}" if place else ""
        raise UsageError(f"--columns: no column{where} is headed '{value}'; give its letter (C) "
                         "or number (3) instead")
