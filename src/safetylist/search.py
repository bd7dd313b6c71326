"""Finding items by what they say: ``--grep`` and ``safetylist search``.

An item matches a word when its text, its campaign's title, its department cell (the
canonical names shown in the table, and the notice's cell as printed) or one of its
history notes holds the word. Several words must all match, anywhere among those.

Matching ignores the differences a clerk cannot see or does not care about: full-width
and half-width forms (ＡＢＣ１２３ and ABC123, （ and (), via Unicode NFKC; upper and lower
case; spaces; traditional and simplified characters (市應急管理局 finds 市应急管理局), via
OpenCC's ``t2s`` conversion, imported only when a search runs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from collections.abc import Iterable
from typing import Any

from .errors import UsageError

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc  # deferred: only searches and unknown names need it

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters as simplified ones; ASCII text as it is."""
    return text if text.isascii() else _converter().convert(text)


def fold(text: str) -> str:
    """The form two texts are compared in: NFKC, case-folded, no spaces, simplified."""
    plain = _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return simplified(plain)


def needles(words: Iterable[str]) -> list[str]:
    """The words of ``--grep`` (or ``search``) folded; an empty word is refused."""
    out = []
    for w in words:
        folded = fold(w)
        if not folded:
            raise UsageError("--grep: empty text; give a word to look for, e.g. --grep 瓦斯")
        out.append(folded)
    return out


def haystack(view: Any) -> str:
    """Everything an item is searched by, folded, one field a line."""
    item, task = view.item, view.task
    parts = [item.text, view.campaign.title, "、".join(view.departments),
             task.departments_text or "", *(h.note for h in item.history if h.note)]
    return "\n".join(fold(p) for p in parts)


def select(views: list[Any], words: Iterable[str]) -> list[Any]:
    """The views that hold every word, in their order."""
    wanted = needles(words)
    if not wanted:
        return views
    out = []
    for v in views:
        text = haystack(v)
        if all(w in text for w in wanted):
            out.append(v)
    return out
