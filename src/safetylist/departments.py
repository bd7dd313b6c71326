"""Canonical department names, aliases, groups, and resolving what a user typed.

A department sees the work assigned to it and to every group it belongs to:
孝义市应急管理局 sees work given to 市、县应急管理局 and to 各县市区应急管理局; the
city bureau sees the first but not the second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from .errors import UsageError
from .models import DepartmentsFile


class Entry(NamedTuple):
    name: str
    kind: str  # "department" or "group"
    aliases: list[str]
    level: str = "city"
    county: str | None = None
    note: str | None = None


def entries_of(spec: DepartmentsFile) -> list[Entry]:
    """Every department and group ``spec`` defines, in the order the directory takes them: the
    departments, each county's department of each kind, the groups."""
    out = [Entry(d.name, "department", list(d.aliases), d.level, None, d.note) for d in spec.departments]
    for county in spec.counties:
        for kind in spec.county_kinds:
            extra = [county, f"{county}政府"] if kind == "人民政府" else []
            out.append(Entry(f"{county}{kind}", "department", extra, "county", county))
    out += [Entry(g.name, "group", list(g.aliases), "other", None, g.description) for g in spec.groups]
    return out


@dataclass(repr=False, eq=False)
class Directory:
    """Every known department and group, and how names resolve."""

    entries: dict[str, Entry]
    aliases: dict[str, str]  # alias -> canonical name
    members: dict[str, frozenset[str]]  # group -> member departments
    counties: list[str]
    _compact: dict[str, str] | None = field(default=None, init=False)

    # What the build left out: (name, None, None) for a name defined twice, (name, alias,
    # other) for an alias that already names another. The rules of the departments file
    # report them (``rules.departments_file``); the directory keeps the first definition.
    left_out: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    @classmethod
    def build(cls, spec: DepartmentsFile) -> Directory:
        """The directory of ``spec``: the first definition of a name wins (see ``left_out``)."""
        entries: dict[str, Entry] = {}
        aliases: dict[str, str] = {}
        left_out: list[tuple[str, str | None, str | None]] = []
        for entry in entries_of(spec):
            if entry.name in entries or entry.name in aliases:
                left_out.append((entry.name, None, None))
                continue
            entries[entry.name] = entry
            for alias in entry.aliases:
                if alias == entry.name:
                    continue
                if alias in entries or aliases.get(alias, entry.name) != entry.name:
                    left_out.append((entry.name, alias, aliases.get(alias, alias)))
                    continue
                aliases[alias] = entry.name
        members: dict[str, frozenset[str]] = {}
        for g in spec.groups:
            names = set(g.members)
            if g.county_kind is not None:
                names |= {f"{c}{g.county_kind}" for c in spec.counties}
            members[g.name] = frozenset(names)
        return cls(entries, aliases, members, list(spec.counties), left_out=left_out)

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

        Also as clerks type names: full-width letters and spaces, spaces inside the name
        (孝义市 应急管理局), traditional characters (市應急管理局), the city's full name
        before a city department (吕梁市应急管理局 is 市应急管理局).
        Raises ``UsageError`` listing candidates (ambiguous) or suggestions (unknown).
        """
        exact = self.canonical(text.strip())
        if exact is not None:
            return exact
        from .typed import compact

        key = compact(text)
        if not key:
            raise UsageError("empty department name")
        found = self._find(key, text)
        if found is None:
            # Traditional characters only when nothing matched as typed: the conversion's
            # import costs more than the rest of a query.
            simplified = _simplified(key)
            if simplified != key:
                found = self._find(simplified, text)
                key = simplified
        if found is not None:
            return found
        hint = self.suggest(_city_form(key))
        tail = f"; did you mean {'、'.join(hint)}?" if hint else ""
        raise UsageError(f"unknown department '{text.strip()}'{tail} (`safetylist depts` lists them)")

    def _find(self, key: str, text: str) -> str | None:
        """The canonical name ``key`` (spaces removed) names: whole, without the province or the
        city before it, else as an unambiguous part; None when nothing matches."""
        keys = self._keys()
        for form in _forms(key):
            if form in keys:
                return keys[form]
        for typed in dict.fromkeys([key, _city_form(key)]):
            for match in (_contains, _subsequence):
                hits = sorted({canon for name, canon in keys.items() if match(typed, name)})
                if len(hits) == 1:
                    return hits[0]
                if len(hits) > 1:
                    shown = "、".join(hits[:12]) + ("…" if len(hits) > 12 else "")
                    raise UsageError(f"department '{text.strip()}' is ambiguous: it matches "
                                     f"{len(hits)} names: {shown}; type more of the name")
        return None

    def _keys(self) -> dict[str, str]:
        """Every name and alias without spaces (as ``typed.compact`` makes them) -> canonical."""
        if self._compact is None:
            from .typed import compact

            keys = {compact(alias): canon for alias, canon in self.aliases.items()}
            keys.update({compact(name): name for name in self.entries})
            self._compact = keys
        return self._compact

    def short_name_note(self, text: str) -> str | None:
        """What to tell a clerk who typed a short name (应急局) that resolved to a city
        department although every county has one of that kind: which one it is, and how to
        name a county's (孝义应急). None when the name says whose it is."""
        from .typed import compact

        key = compact(text)
        canon = self.resolve(text)
        entry = self.entries[canon]
        kind = canon[1:] if canon.startswith("市") else canon
        # 市应急局 says whose it is; 应急局 does not, nor does 市场监管局 (市场 is no city).
        says_city = key.startswith("吕梁") or (key.startswith("市") and not key.startswith(kind[:2]))
        if entry.kind != "department" or entry.level != "city" or says_city:
            return None
        counties = [f"{c}{kind}" for c in self.counties if f"{c}{kind}" in self.entries]
        if not counties:
            return None
        county = next((c for c in counties if c.startswith("孝义")), counties[0])
        place = county[: -len(kind)]
        short = place[:-1] if len(place) > 2 and place.endswith(("市", "县", "区")) else place
        stem = key[:-1] if len(key) > 2 and key.endswith("局") else key
        example = f"{short}{stem}"
        try:
            if self.resolve(example) != county:
                example = county
        except UsageError:
            example = county
        return (f"'{text.strip()}' is read as {canon}, the city's; for a county's, name the "
                f"county: {example} ({county})")


def _forms(key: str) -> list[str]:
    """The ways a typed name may say a city department: as typed, and without the province or
    the city before it (吕梁市应急管理局 -> 市应急管理局, 应急管理局)."""
    forms = [key]
    if key.startswith("山西省"):
        key = key[3:]
        forms.append(key)
    if key.startswith("吕梁市") and len(key) > 3:
        forms += [key[2:], key[3:]]
    elif key.startswith("吕梁") and len(key) > 2:
        forms.append("市" + key[2:])
    return forms


def _city_form(key: str) -> str:
    """A typed name with the province and the city's name before it read as 市: 吕梁市能源 -> 市能源."""
    key = key[3:] if key.startswith("山西省") else key
    if key.startswith("吕梁市") and len(key) > 3:
        return key[2:]
    if key.startswith("吕梁") and len(key) > 2:
        return "市" + key[2:]
    return key


def _simplified(text: str) -> str:
    """Traditional characters as simplified ones (市應急管理局 -> 市应急管理局)."""
    if text.isascii():
        return text
    from .search import simplified

    return simplified(text)


def _contains(text: str, name: str) -> bool:
    return text in name


def _subsequence(text: str, name: str) -> bool:
    it = iter(name)
    return all(ch in it for ch in text)
