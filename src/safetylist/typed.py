"""What clerks type, read the way they write it.

Ids with full-width digits or Chinese full stops (４．１５。２), statuses and roles in the
office's words (已完成, 牵头), notes. Each function returns the canonical value or raises
``UsageError`` with what to type instead. Dates are in ``dates``, department names in
``departments``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .errors import UsageError
from .models import ROLES
from .status import STATUSES

# The office's words for each status and role (docs: README, "Recording progress").
# 滞后 (lagging) is left out on purpose: lagging work is overdue, not blocked.
STATUS_WORDS: dict[str, str] = {
    "完成": "done", "已完成": "done", "进行中": "in_progress", "推进中": "in_progress",
    "未开始": "not_started", "未启动": "not_started", "受阻": "blocked",
}
ROLE_WORDS: dict[str, str] = {"牵头": "lead", "配合": "support", "督促指导": "supervise",
                              "具体落实": "implement"}
ROLE_CN: dict[str, str] = {v: k for k, v in ROLE_WORDS.items()}
STATUS_CN: dict[str, str] = {"not_started": "未开始", "in_progress": "进行中", "done": "已完成",
                             "blocked": "受阻"}

_SPACE = re.compile(r"\s+")


def plain(text: str) -> str:
    """NFKC (full-width letters, digits and spaces made plain), stripped."""
    return unicodedata.normalize("NFKC", text).strip()


def compact(text: str) -> str:
    """``plain`` with every space removed, inner and full-width ones too."""
    return _SPACE.sub("", plain(text))


def item_id(text: str) -> str:
    """An id as typed (４．１５。２, 4。15。2, ' 4.15.2 ') in its plain form, 4.15.2."""
    return compact(text).replace("。", ".")


def status(text: str) -> str:
    """``done`` or an office word for it (完成, 已完成) as the status it names."""
    value = compact(text)
    key = re.sub(r"[\s_-]+", "_", plain(text).lower())
    if key in STATUSES:
        return key
    if value in STATUS_WORDS:
        return STATUS_WORDS[value]
    words = "、".join(STATUS_WORDS)
    raise UsageError(f"unknown status '{text}' (use one of: {', '.join(STATUSES)}; or {words})")


def role(text: str) -> str:
    """``lead`` or its Chinese word (牵头) as the role it names."""
    value = compact(text)
    if value.lower() in ROLES:
        return value.lower()
    if value in ROLE_WORDS:
        return ROLE_WORDS[value]
    shown = ", ".join(f"{r} ({ROLE_CN[r]})" for r in ROLES)
    raise UsageError(f"unknown role '{text}' (use one of: {shown})")


def note(text: str, option: str = "--note") -> str:
    """A note as typed; an empty one is refused rather than stored."""
    if not text.strip():
        raise UsageError(f"{option}: the note is empty; write what was reported, or leave the "
                         "note out")
    return text.strip()


def registry_year(registry: Any) -> int:
    """The year a date written without one (6月底) belongs to: the start of the registry's
    ``period`` (its manifest), else the year of its campaigns' default deadline."""
    if registry.manifest is not None:
        return registry.manifest.period.start.year
    years = sorted({c.default_deadline.year for c in registry.campaigns})
    if years:
        return years[0]
    raise UsageError("the date has no year and the registry names no period; write the year")
