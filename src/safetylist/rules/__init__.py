"""Validation as named rules: every check of the registry has an id, a level and a docstring.

Each problem ``check`` reports names its rule: ``path:line:col: level: message [rule-id]``.
The rules live one family a module (``reading``, ``campaign``, ``ids``, ``responsibility``,
``items``, ``departments_file``, ``whole``), each a function whose docstring says what it
checks, why, an example that fails and the fix; ``RULES`` lists them in order, ``BY_ID`` by id.
``docs/rules.md`` is generated from them (``python -m safetylist.rules --markdown``).

``validate`` parses a file and runs the rules of its target; ``registry`` runs those that span
files (``folder``, ``index``, ``registry``) on every load. Those live in ``whole``, the one
family a load from the parse cache imports: the others, and ``RULES``, are imported when
first asked for.

Adding a rule: a function with the ``@rule(id, level, target)`` decorator in its family's
module, in that module's ``RULES``; a failing and a passing case in ``tests/test_rules.py``;
then regenerate ``docs/rules.md``.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..errors import Problem
from .base import (ERROR, READING, TARGETS, WARNING, CampaignCheck, DepartmentsCheck, FolderCheck,
                   IndexCheck, ManifestCheck, RegistryCheck, Rule, TextCheck, placed, run)

# The targets whose rules span files: every load runs them (all in the family ``whole``).
SPANNING = ("folder", "index", "registry")

if TYPE_CHECKING:  # made on first use by __getattr__ below
    FAMILIES: tuple[ModuleType, ...]
    RULES: tuple[Rule, ...]
    BY_ID: dict[str, Rule]

__all__ = ["BY_ID", "ERROR", "FAMILIES", "READING", "RULES", "SPANNING", "TARGETS", "WARNING",
           "CampaignCheck", "DepartmentsCheck", "FolderCheck", "IndexCheck", "ManifestCheck",
           "RegistryCheck", "Rule", "TextCheck", "located_problems", "markdown", "of",
           "placed_problems", "problem", "problems_at"]


@cache
def _families() -> tuple[ModuleType, ...]:
    from . import campaign, departments_file, ids, items, reading, responsibility, whole

    return (reading, campaign, ids, responsibility, items, departments_file, whole)


def __getattr__(name: str) -> Any:
    """``FAMILIES``, ``RULES`` and ``BY_ID``, made when first asked for."""
    if name == "FAMILIES":
        return _families()
    if name == "RULES":
        return _rules()
    if name == "BY_ID":
        return _by_id()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _rules() -> tuple[Rule, ...]:
    return tuple(r for family in _families() for r in family.RULES)


@cache
def _by_id() -> dict[str, Rule]:
    return {r.id: r for r in _rules()}


@cache
def of(target: str) -> tuple[Rule, ...]:
    """The rules of ``target``, in order."""
    if target in SPANNING:  # without importing the other families
        from . import whole

        return tuple(r for r in whole.RULES if r.target == target)
    return tuple(r for r in _rules() if r.target == target)


def problem(rule_id: str, path: str, line: int, col: int, message: str) -> Problem:
    """A problem found by the loading pipeline for one of the READING rules."""
    return _by_id()[rule_id].problem(path, line, col, message)


def placed_problems(target: str, context: Any) -> list[Problem]:
    """The problems the rules of a target that spans files (``folder``, ``index``,
    ``registry``) find in ``context``, each placed at its ``(path, line, col)``."""
    return placed(run(of(target), context))


def located_problems(target: str, context: Any, shown: str, document: Any) -> list[Problem]:
    """The problems the rules of ``target`` find in a YAML document, each placed at the line
    and column of what it names (``document`` is a ``yamlio.Located``: one more pass over its
    text finds them all, and a clean file pays none)."""
    found = run(of(target), context)
    if not found:
        return []
    document.positions([where for _, where, _ in found])
    out = []
    for r, where, message in found:
        line, col = document.position(where)
        out.append(r.problem(shown, line, col, message))
    return out


def problems_at(target: str, context: Any, shown: str) -> list[Problem]:
    """The problems the rules of ``target`` find, each placed at a ``(line, col)`` of ``shown``."""
    return [r.problem(shown, line, col, message) for r, (line, col), message in run(of(target), context)]


# The documentation ----------------------------------------------------------------------

HEADER = """\
# Validation rules

Every problem `safetylist check` reports names the rule that found it, in brackets at the end
of its line: `path:line:col: level: message [rule-id]`. An error makes `check` exit 1, and
every other command refuses to load the registry until it is fixed; a warning is reported by
`check` and changes nothing.

This page is generated from the rules themselves (`src/safetylist/rules/`, one module per
family): `python -m safetylist.rules --markdown > docs/rules.md`. Edit the docstrings, not this
page; `tests/test_rules.py` fails when it is out of date, and holds a failing and a passing
case for every rule.

Rules of the first three kinds (the file's bytes, its YAML, its model) are checked as the file
is read: a file that fails one is read no further, so its other problems show once it is fixed.
"""


def markdown() -> str:
    """``docs/rules.md``: an index of the rules, then each family with its rules' docstrings."""
    out = [HEADER, "| rule | level | what it checks |", "|---|---|---|"]
    out += [f"| [`{r.id}`](#{r.id}) | {r.level} | {r.summary} |" for r in _rules()]
    for family in _families():
        title = " ".join((family.__doc__ or "").strip().split("\n\n")[0].split()).rstrip(".")
        out += ["", f"## {title}"]
        for r in family.RULES:
            out += ["", f"### `{r.id}`", "", f"{r.level}; checks {TARGETS[r.target]}.", "", r.doc]
    return "\n".join(out) + "\n"
