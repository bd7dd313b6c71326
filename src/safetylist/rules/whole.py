"""The registry as a whole: `registry.yaml`, the `tasks/` folder against it, each campaign file
against its entry's index, and ids across files, so that nothing goes missing silently.

Every load runs the rules here that span files (targets ``folder``, ``index``, ``registry``),
a load from the parse cache too: they live in this module, which a load imports alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import display_path
from ..ids import child
from ..manifest import FILE_NAME, gone_message
from .base import ERROR, WARNING, FolderCheck, IndexCheck, Loc, ManifestCheck, RegistryCheck, rule

Placed = Iterator[tuple[tuple[str, int, int], str]]

LINK_OUTSIDE = "leads outside the registry's tasks/ folder (a link?); replace it with the file itself"


# The manifest's own entries ------------------------------------------------------------


@rule("listed-twice", ERROR, "manifest")
def listed_twice(file: ManifestCheck) -> Iterator[tuple[Loc, str]]:
    """No campaign number, id or file is listed twice in `registry.yaml`.

    Why: each entry names one campaign and its file; a second entry for the same one would
    make a file count twice, or hide another.

    Fails:

    ```yaml
    campaigns:
    - {number: 4, id: coal-mine, file: 04-coal-mine.yaml, index: {…}}
    - {number: 4, id: coal-mine, file: 04-coal-mine.yaml, index: {…}}
    ```

    Fix: remove the second entry.
    """
    first: dict[tuple[str, object], int] = {}
    for i, c in enumerate(file.manifest.campaigns):
        for key in (("number", c.number), ("id", c.id), ("file", c.file)):
            if key in first:
                yield ("campaigns", i), (f"campaign {key[0]} {key[1]!r} is listed twice "
                                         f"(first at line {file.line_of(first[key])})")
            first.setdefault(key, i)


@rule("plain-file-name", ERROR, "manifest")
def plain_file_name(file: ManifestCheck) -> Iterator[tuple[Loc, str]]:
    """A listed `file` is a plain file name in `tasks/`: no folder, no leading dot.

    Why: the registry reads and writes only its own folder; `../x.yaml` or `/etc/x` would
    make it read, or a write replace, a file elsewhere.

    Fails:

    ```yaml
    - {number: 4, id: coal-mine, file: ../04-coal-mine.yaml, index: {…}}
    ```

    Fix: `file: 04-coal-mine.yaml`, with the file in `tasks/`.
    """
    for i, c in enumerate(file.manifest.campaigns):
        if "/" in c.file or "\\" in c.file or c.file.startswith("."):
            yield ("campaigns", i), f"file '{c.file}' must be a plain file name in tasks/"


@rule("period-order", ERROR, "manifest")
def period_order(file: ManifestCheck) -> Iterator[tuple[Loc, str]]:
    """The list's `period` ends on or after its start.

    Why: recurring obligations run within the period, and dates written without a year take
    the period's.

    Fails:

    ```yaml
    period: {start: 2022-12-31, end: 2022-01-01}
    ```

    Fix: `period: {start: 2022-01-01, end: 2022-12-31}`.
    """
    p = file.manifest.period
    if p.end < p.start:
        yield ("period",), "period: end is before start"


# The tasks/ folder against the manifest ------------------------------------------------


@rule("no-manifest", WARNING, "folder")
def no_manifest(folder: FolderCheck) -> Placed:
    """The registry has a manifest, `registry.yaml`.

    Why: without one, every `*.yaml` file in `tasks/` is read, and a campaign file that is
    deleted, or a task or item that is gone from one, cannot be detected. A registry without
    one still loads.

    Fails: a registry folder with `departments.yaml` and `tasks/` only.

    Fix: `safetylist init` makes a registry with one; for an existing registry, write it as
    the README's "The registry" shows (the index lists each task's item count).
    """
    path = folder.root / FILE_NAME
    if folder.located is None and not path.exists():
        yield (display_path(path), 1, 1), (f"no {FILE_NAME}: the registry has no manifest, so a "
                                           "missing campaign file or a removed task cannot be detected")


@rule("missing-file", ERROR, "folder")
def missing_file(folder: FolderCheck) -> Placed:
    """Every campaign file `registry.yaml` lists is in `tasks/`.

    Why: a deleted or renamed file would drop its campaign from every list and report,
    silently. A file whose name differs only in case (`04-coal-mine.YAML`) is named as the
    likely rename.

    Fails: `tasks/04-coal-mine.yaml` deleted, or renamed `tasks/04-coal-mine.YAML`.

    Fix: restore it (`git checkout -- data/tasks/04-coal-mine.yaml`) or give it its listed
    name back; if the campaign is dropped on purpose, remove its entry from `registry.yaml`.
    """
    located = folder.located
    if located is None:
        return
    shown_tasks = display_path(folder.root / "tasks")
    for name, i in folder.listed.items():
        if name in folder.present:
            continue
        twin = [p for p in folder.present
                if p.lower() == name.lower() or Path(p).stem == Path(name).stem]
        hint = (f"; {shown_tasks}/{twin[0]} looks like it, renamed: give it its listed name back"
                if twin else "; restore it (`git checkout -- <file>` or `git log -- <file>`), or "
                f"remove its entry from {FILE_NAME} if the campaign is dropped on purpose")
        yield ((located.path, located.line_of(i), 1),
               f"campaign file {shown_tasks}/{name} is listed but missing{hint}")


@rule("unlisted-file", ERROR, "folder")
def unlisted_file(folder: FolderCheck) -> Placed:
    """Every file in `tasks/` is listed in `registry.yaml`.

    Why: an unlisted file is not read, so its tasks would be missing from every command
    while the file looks part of the registry.

    Fails: `tasks/05-x.yaml` (or `tasks/notes.txt`), not in `registry.yaml`.

    Fix: list it under `campaigns` (number, id, file, index), or move it out of `tasks/`.
    """
    if folder.located is None:
        return
    for name, path in folder.present.items():
        if name not in folder.listed and folder.inside(path):
            yield (display_path(path), 1, 1), (f"not listed in {FILE_NAME}: list it under campaigns "
                                               "(number, id, file, index), or move it out of tasks/")


@rule("link-outside", ERROR, "folder")
def link_outside(folder: FolderCheck) -> Placed:
    """Every file in `tasks/` is a file there, not a link to one elsewhere.

    Why: a write replaces the campaign file; through a link it would replace, or read, a
    file outside the registry (a document, a system file).

    Fails: `tasks/05-x.yaml` a symbolic link to `/etc/passwd`.

    Fix: replace the link with the file itself.
    """
    for path in folder.candidates:
        if not folder.readable(path):
            yield (display_path(path), 1, 1), LINK_OUTSIDE
    if folder.located is not None:
        for name, path in folder.present.items():
            if name not in folder.listed and not folder.inside(path):
                yield (display_path(path), 1, 1), LINK_OUTSIDE


# Each campaign file against its entry ----------------------------------------------------


@rule("entry-matches-file", ERROR, "index")
def entry_matches_file(file: IndexCheck) -> Placed:
    """A campaign file holds the campaign (number and id) its entry in `registry.yaml` lists.

    Why: the entry is how a missing or changed campaign is noticed; a file that holds another
    campaign means files were swapped or overwritten.

    Fails: `- {number: 4, id: coal-mine, file: 04-coal-mine.yaml, …}`, the file holding
    `number: 5`.

    Fix: restore the file, or correct the entry if the campaign was renumbered on purpose.
    """
    if file.entry is None:
        return
    i, entry = file.entry
    c = file.campaign
    if (entry.number, entry.id) != (c.number, c.id):
        yield ((file.located.path, file.located.line_of(i), 1),
               f"{file.file_name}: listed as campaign {entry.number} '{entry.id}', but the "
               f"file holds campaign {c.number} '{c.id}'")


@rule("file-matches-index", ERROR, "index")
def file_matches_index(file: IndexCheck) -> Placed:
    """Every task and item that a campaign's index in `registry.yaml` lists is in its file,
    unless the file records its removal.

    Why: a task or item deleted by hand would disappear from every report without a trace
    (the last item of a task leaves no gap in the numbering to notice). One taken out on
    purpose is recorded in the file, with the reason.

    Fails: `index: {"4.1": 2, …}` and task 4.1 holding item 4.1.1 only.

    Fix: restore the item, or record its removal in the campaign file:
    `removed: [{id: 4.1.2, reason: 与4.1.1重复}]`.
    """
    if file.entry is None:
        return
    _, entry = file.entry
    removed = file.removed
    tasks = {t.id: t for t in file.campaign.tasks}
    for task_id, count in entry.index.items():
        task = tasks.get(task_id)
        if task is None:
            if task_id not in removed:
                yield (file.shown, 1, 1), (f"task {task_id} ({count} item(s)) is gone from the file; "
                                           f"restore it, or record its removal: removed: [{{id: "
                                           f"\"{task_id}\", reason: …}}]")
            continue
        have = {i.id for i in task.items}
        for n in range(1, count + 1):
            item_id = child(task_id, n)
            if item_id not in have and item_id not in removed and task_id not in removed:
                yield (file.shown, 1, 1), gone_message(item_id, task_id)


@rule("not-in-index", WARNING, "index")
def not_in_index(file: IndexCheck) -> Placed:
    """Every task and item of a campaign file is in its index in `registry.yaml`.

    Why: the index is what a later removal is checked against; a task or item missing from
    it could later go unnoticed.

    Fails: task 4.3 in the file, and no `"4.3"` in the campaign's index.

    Fix: add to the index what the notice gives: `"4.3": 1`.
    """
    if file.entry is None:
        return
    _, entry = file.entry
    for task in file.campaign.tasks:
        listed = entry.index.get(task.id)
        extra = [i.id for i in task.items] if listed is None else [i.id for i in task.items[listed:]]
        if extra:
            what = f"task {task.id}" if listed is None else f"item(s) {', '.join(extra)}"
            yield (file.shown, 1, 1), (f"{what} not in {FILE_NAME}'s index; add to the index what "
                                       "the notice gives, so a later removal cannot go unnoticed")


# Across files -------------------------------------------------------------------------


@rule("duplicate-across-files", ERROR, "registry")
def duplicate_across_files(registry: RegistryCheck) -> Placed:
    """No two campaign files hold the same campaign number, campaign id or task id.

    Why: a number or id names one campaign; two files claiming it would split its tasks, and
    a command could not say which one it changes.

    Fails: `tasks/04-coal-mine.yaml` and `tasks/04-coal-mine-copy.yaml`, both `number: 4`.

    Fix: remove the copy, or give the campaign its own number and id.
    """
    numbers: dict[int, str] = {}
    ids: dict[str, str] = {}
    tasks: dict[str, str] = {}
    for shown, c in registry.files:
        if c.number in numbers:
            yield (shown, 1, 1), f"duplicate campaign number '{c.number}' (also in {numbers[c.number]})"
        else:
            numbers[c.number] = shown
        if c.id in ids:
            yield (shown, 1, 1), f"duplicate campaign id '{c.id}' (also in {ids[c.id]})"
        else:
            ids[c.id] = shown
        for t in c.tasks:
            if tasks.setdefault(t.id, shown) != shown:
                yield (shown, 1, 1), f"duplicate id '{t.id}' (also in {tasks[t.id]})"


RULES = (listed_twice, plain_file_name, period_order, no_manifest, missing_file, unlisted_file,
         link_outside, entry_matches_file, file_matches_index, not_in_index, duplicate_across_files)
