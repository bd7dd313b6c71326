"""Who is responsible: the departments a campaign file names, and tasks that name none."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..departments import Directory
from ..models import Task
from .base import ERROR, WARNING, CampaignCheck, Loc, rule

Found = Iterator[tuple[Loc, str]]


def _names(file: CampaignCheck) -> Iterator[tuple[Loc, str]]:
    """Every department name a file gives, with its place: the tasks' and items' departments
    (empty names left out: `empty-department` says so), and who reported each history entry."""
    for tloc, task in file.tasks:
        for i, a in enumerate(task.departments):
            if a.name.strip():
                yield tloc + ("departments", i), a.name
    for iloc, _, item in file.items:
        for i, a in enumerate(item.departments or ()):
            if a.name.strip():
                yield iloc + ("departments", i), a.name
        for hi, entry in enumerate(item.history):
            if entry.by is not None:
                yield iloc + ("history", hi), entry.by


def _lists(file: CampaignCheck) -> Iterator[tuple[Loc, list[Any]]]:
    """Each list of departments: a task's, and an item's own."""
    for tloc, task in file.tasks:
        yield tloc + ("departments",), task.departments
    for iloc, _, item in file.items:
        if item.departments is not None:
            yield iloc + ("departments",), item.departments


def unknown_message(name: str, directory: Directory) -> str:
    hint = directory.suggest(name)
    tail = f"; did you mean {'、'.join(hint)}?" if hint else ""
    return f"unknown department '{name}'{tail}"


@rule("empty-department", ERROR, "campaign")
def empty_department(file: CampaignCheck) -> Found:
    """No department name is empty.

    Why: an empty name is a department cell half filled in; it names nobody.

    Fails:

    ```yaml
    departments:
    - ""
    ```

    Fix: the department's canonical name from `departments.yaml`, or remove the line.
    """
    for loc, assignments in _lists(file):
        for i, a in enumerate(assignments):
            if not a.name.strip():
                yield loc + (i,), "empty department name"


@rule("unknown-department", ERROR, "campaign")
def unknown_department(file: CampaignCheck) -> Found:
    """Every department a task or item names, and every one that reported an entry (`by`), is
    in `departments.yaml`.

    Why: a misspelt name would drop the work from that department's `due` list, its share of
    the item and the monthly ranking, silently. The message suggests the nearest names.

    Fails:

    ```yaml
    departments:
    - 市应急管理
    ```

    Fix: `- 市应急管理局`; a body the notice names that the file lacks goes in
    `departments.yaml`.
    """
    d = file.directory
    for loc, name in _names(file):
        if not d.is_canonical(name) and d.canonical(name) is None:
            yield loc, unknown_message(name, d)


@rule("department-alias", ERROR, "campaign")
def department_alias(file: CampaignCheck) -> Found:
    """Departments are named by their canonical names, not by an alias.

    Why: the files are grepped and diffed; one name per department makes
    `grep 市应急管理局` find every task of the bureau. Aliases are for typing (`--dept 市应急局`).

    Fails:

    ```yaml
    departments:
    - 市应急局
    ```

    Fix: `- 市应急管理局` (the message names it).
    """
    d = file.directory
    for loc, name in _names(file):
        if not d.is_canonical(name):
            canon = d.canonical(name)
            if canon is not None:
                yield loc, f"'{name}' is an alias: write the canonical name '{canon}'"


@rule("duplicate-department", ERROR, "campaign")
def duplicate_department(file: CampaignCheck) -> Found:
    """No department is listed twice for one task or item.

    Why: a department holds one share of an item, with one role; a second line would count it
    twice or give it two roles.

    Fails:

    ```yaml
    departments:
    - 市应急管理局
    - {name: 市应急管理局, role: lead}
    ```

    Fix: keep one line, with the role the notice gives.
    """
    for loc, assignments in _lists(file):
        names: set[str] = set()
        for i, a in enumerate(assignments):
            if not a.name.strip():
                continue
            if a.name in names:
                yield loc + (i,), f"department '{a.name}' is listed twice"
            names.add(a.name)


def _unassigned(task: Task) -> bool:
    return not task.departments and not all(i.departments for i in task.items)


@rule("unassigned", WARNING, "campaign")
def unassigned(file: CampaignCheck) -> Found:
    """Every task names a responsible department (or each of its items does).

    Why: work nobody owes is never done; the notice leaves some rows without a department,
    and the office assigns them. `safetylist unassigned` lists them.

    Fails:

    ```yaml
    - id: "4.3"
      departments: []
    ```

    Fix: `safetylist assign 4.3 --dept 市能源局 --role lead` once the office decides.
    """
    for tloc, task in file.tasks:
        if _unassigned(task):
            yield tloc + ("id",), f"task {task.id} names no responsible department (unassigned)"


@rule("departments-inferred", WARNING, "campaign")
def departments_inferred(file: CampaignCheck) -> Found:
    """No task's departments are still inferred from a merged cell.

    Why: where the notice's table merged a department cell over several rows, the text prints
    it once; the rows after it take it with `departments_inferred: true`, a reading for the
    office to confirm.

    Fails:

    ```yaml
    - id: "4.3"
      departments: [市能源局]
      departments_inferred: true
    ```

    Fix: `safetylist assign 4.3 --dept 市能源局` confirms the reading and clears the mark.
    """
    for tloc, task in file.tasks:
        if task.departments_inferred and not _unassigned(task):
            yield tloc + ("departments_inferred",), (
                f"task {task.id}: departments inferred from a merged cell, to confirm "
                "(`safetylist assign` a department confirms them)")


RULES = (empty_department, unknown_department, department_alias, duplicate_department, unassigned,
         departments_inferred)
