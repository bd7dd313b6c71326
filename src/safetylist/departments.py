"""Canonical department names, aliases, groups, and resolving what a user typed.

A department sees the work assigned to it and to every group it belongs to:
孝义市应急管理局 sees work given to 市、县应急管理局 and to 各县市区应急管理局; the
city bureau sees the first but not the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .errors import Problem, UsageError
from .models import DepartmentsFile


class Entry(NamedTuple):
    name: str
    kind: str  # "department" or "group"
    aliases: list[str]
    level: str = "city"
    county: str | None = None
    note: str | None = None


@dataclass(repr=False, eq=False)
class Directory:
    """Every known department and group, and how names resolve."""

    entries: dict[str, Entry]
    aliases: dict[str, str]  # alias -> canonical name
    members: dict[str, frozenset[str]]  # group -> member departments
    counties: list[str]

    @classmethod
    def build(cls, spec: DepartmentsFile, path: str = "data/departments.yaml",
              lines: dict[str, int] | None = None) -> tuple[Directory, list[Problem]]:
        """Build the directory; return it with every inconsistency found in ``spec``."""
        lines = lines or {}
        problems: list[Problem] = []
        entries: dict[str, Entry] = {}
        aliases: dict[str, str] = {}

        def where(name: str) -> int:
            return lines.get(name, 1)

        def add(entry: Entry) -> None:
            if entry.name in entries or entry.name in aliases:
                problems.append(Problem(path, where(entry.name), 1, "error",
                                        f"'{entry.name}' is defined twice"))
                return
            entries[entry.name] = entry
            for alias in entry.aliases:
                if alias == entry.name:
                    continue
                if alias in entries or aliases.get(alias, entry.name) != entry.name:
                    other = aliases.get(alias, alias)
                    problems.append(Problem(path, where(entry.name), 1, "error",
                                            f"alias '{alias}' of '{entry.name}' also names '{other}'"))
                    continue
                aliases[alias] = entry.name

        for d in spec.departments:
            add(Entry(d.name, "department", list(d.aliases), d.level, None, d.note))
        for county in spec.counties:
            for kind in spec.county_kinds:
                extra = [county, f"{county}政府"] if kind == "人民政府" else []
                add(Entry(f"{county}{kind}", "department", extra, "county", county))
        members: dict[str, frozenset[str]] = {}
        for g in spec.groups:
            add(Entry(g.name, "group", list(g.aliases), "other", None, g.description))
            names = set(g.members)
            if g.county_kind is not None:
                if g.county_kind not in spec.county_kinds:
                    problems.append(Problem(path, where(g.name), 1, "error",
                                            f"group '{g.name}': unknown county_kind '{g.county_kind}'"))
                names |= {f"{c}{g.county_kind}" for c in spec.counties}
            for m in sorted(set(g.members)):
                if m not in entries or entries[m].kind != "department":
                    problems.append(Problem(path, where(g.name), 1, "error",
                                            f"group '{g.name}': member '{m}' is not a known department"))
            members[g.name] = frozenset(names)
        return cls(entries, aliases, members, list(spec.counties)), problems

    # Lookups -----------------------------------------------------------------

    def is_canonical(self, name: str) -> bool:
        return name in self.entries

    def canonical(self, name: str) -> str | None:
        """The canonical name for an exact canonical name or alias, else None."""
        if name in self.entries:
            return name
        return self.aliases.get(name)

    def groups_of(self, name: str) -> list[str]:
        return sorted(g for g, m in self.members.items() if name in m)

    def visible(self, name: str) -> frozenset[str]:
        """The assignment names whose work ``name`` must see."""
        return frozenset([name, *self.groups_of(name)])

    def suggest(self, text: str, n: int = 3) -> list[str]:
        import difflib  # deferred: only a mistyped name needs it

        pool = list(self.entries) + list(self.aliases)
        found = difflib.get_close_matches(text, pool, n=n * 2, cutoff=0.4)
        out: list[str] = []
        for f in found:
            canon = self.canonical(f) or f
            if canon not in out:
                out.append(canon)
        return out[:n]

    def resolve(self, text: str) -> str:
        """Resolve what a user typed: exact name or alias, else an unambiguous part.

        Raises ``UsageError`` listing candidates (ambiguous) or suggestions (unknown).
        """
        text = text.strip()
        exact = self.canonical(text)
        if exact is not None:
            return exact
        if not text:
            raise UsageError("empty department name")
        for match in (_contains, _subsequence):
            hits = sorted({self.canonical(n) or n for n in [*self.entries, *self.aliases]
                           if match(text, n)})
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                shown = "、".join(hits[:12]) + ("…" if len(hits) > 12 else "")
                raise UsageError(f"department '{text}' is ambiguous: it matches {len(hits)} names: "
                                 f"{shown}; type more of the name")
        hint = self.suggest(text)
        tail = f"; did you mean {'、'.join(hint)}?" if hint else ""
        raise UsageError(f"unknown department '{text}'{tail} (`safetylist depts` lists them)")


def _contains(text: str, name: str) -> bool:
    return text in name


def _subsequence(text: str, name: str) -> bool:
    it = iter(name)
    return all(ch in it for ch in text)
