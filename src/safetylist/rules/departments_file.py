"""`departments.yaml`: every name defined once, aliases that name one body, groups that hold
known departments."""

from __future__ import annotations

from collections.abc import Iterator

from .base import ERROR, DepartmentsCheck, rule

Found = Iterator[tuple[tuple[int, int], str]]


@rule("defined-twice", ERROR, "departments")
def defined_twice(file: DepartmentsCheck) -> Found:
    """Every department and group is defined once, and no name is also another's alias.

    Why: a name must resolve to one body. The county departments (`<county><kind>`, e.g.
    孝义市应急管理局) are defined by `counties` and `county_kinds`, so they are not listed again.

    Fails:

    ```yaml
    departments:
    - name: 市能源局
    - name: 市能源局
      aliases: [能源局]
    ```

    Fix: one entry, with every alias: `- {name: 市能源局, aliases: [能源局]}`.
    """
    for name, alias, _ in file.directory.left_out:
        if alias is None:
            yield file.at(name), f"'{name}' is defined twice"


@rule("alias-conflict", ERROR, "departments")
def alias_conflict(file: DepartmentsCheck) -> Found:
    """An alias names one body only, and is not another body's name.

    Why: `--dept 应急局` must resolve to one department; an alias shared by two would answer
    with either.

    Fails:

    ```yaml
    departments:
    - {name: 市应急管理局, aliases: [市应急局]}
    - {name: 市财政局, aliases: [市应急局]}
    ```

    Fix: remove the alias from the body it does not name.
    """
    for name, alias, other in file.directory.left_out:
        if alias is not None:
            yield file.at(name), f"alias '{alias}' of '{name}' also names '{other}'"


@rule("county-kind", ERROR, "departments")
def county_kind(file: DepartmentsCheck) -> Found:
    """A group's `county_kind` is one of the file's `county_kinds`.

    Why: a group such as 市、县应急管理局 holds each county's department of its kind
    (孝义市应急管理局, …); a kind no county has would give it no county members.

    Fails:

    ```yaml
    county_kinds: [应急管理局]
    groups:
    - {name: 各县市区应急局, county_kind: 应急局}
    ```

    Fix: `county_kind: 应急管理局`, or add the kind to `county_kinds`.
    """
    for g in file.spec.groups:
        if g.county_kind is not None and g.county_kind not in file.spec.county_kinds:
            yield file.at(g.name), f"group '{g.name}': unknown county_kind '{g.county_kind}'"


@rule("group-member", ERROR, "departments")
def group_member(file: DepartmentsCheck) -> Found:
    """A group's `members` are departments the file defines (not groups, not unknown names).

    Why: each member holds its own share of the group's work; a misspelt member would owe
    nothing, and a group inside a group would hide who does.

    Fails:

    ```yaml
    groups:
    - {name: 市、县应急管理局, members: [市应急管理], county_kind: 应急管理局}
    ```

    Fix: `members: [市应急管理局]`.
    """
    entries = file.directory.entries
    for g in file.spec.groups:
        for m in sorted(set(g.members)):
            if m not in entries or entries[m].kind != "department":
                yield file.at(g.name), f"group '{g.name}': member '{m}' is not a known department"


RULES = (defined_twice, alias_conflict, county_kind, group_member)
