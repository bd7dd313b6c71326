"""The registry manifest, ``registry.yaml``: what the registry holds, so nothing goes missing.

It names the notice (number, title, issuing office), the period its list covers, and the
campaign files with an index of each one's tasks and their item counts. ``check`` compares
``tasks/`` with it: a listed file that is missing or renamed, an unlisted file, and a task or
item that is gone from its file without a recorded removal are errors. A registry without a
manifest still loads (a warning says what it cannot check).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .models import Campaign, Manifest, ManifestCampaign

FILE_NAME = "registry.yaml"
LINK_OUTSIDE = "leads outside the registry's tasks/ folder (a link?); replace it with the file itself"

HEADER = """\
# The registry manifest: the notice this registry holds, the period its list covers,
# and its campaign files. `safetylist check` compares tasks/ with it: a missing,
# renamed or unlisted file is an error, and so is a task or item that is gone from
# its file unless the file records the removal (removed: [{id, reason}]).
# index: each task id and how many items it holds.
"""


@dataclass(repr=False, eq=False)
class Located:
    """The manifest with the line of each campaign entry (for located problems)."""

    manifest: Manifest
    path: str
    lines: list[int]  # line of campaigns[i]

    def line_of(self, i: int) -> int:
        return self.lines[i] if i < len(self.lines) else 1


def gone_message(item_id: str, task_id: str) -> str:
    return (f"item {item_id} is gone from task {task_id}; restore it, or record its removal: "
            f"removed: [{{id: {item_id}, reason: …}}]")


def index_of(campaign: Campaign) -> dict[str, int]:
    return {t.id: len(t.items) for t in campaign.tasks}


def entry_for(campaign: Campaign, file_name: str) -> ManifestCampaign:
    return ManifestCampaign(number=campaign.number, id=campaign.id, file=file_name,
                            index=index_of(campaign))


def dump_manifest(manifest: Manifest) -> str:
    """The manifest's canonical text (byte-stable: the same manifest, the same bytes)."""
    from .yamlio import scalar as quote  # deferred: writing needs PyYAML's resolver
    out = [HEADER.rstrip("\n"),
           f"notice: {quote(manifest.notice)}",
           f"title: {quote(manifest.title)}",
           f"issued_by: {quote(manifest.issued_by)}",
           f"period: {{start: {manifest.period.start.isoformat()}, end: {manifest.period.end.isoformat()}}}"]
    if manifest.source is not None:
        out.append(f"source: {quote(manifest.source)}")
    if manifest.grace_days is not None:
        out.append(f"grace_days: {manifest.grace_days}")
    if not manifest.campaigns:
        out.append("campaigns: []")
    else:
        out.append("campaigns:")
    for c in manifest.campaigns:
        index = ", ".join(f'"{k}": {v}' for k, v in c.index.items())
        out += [f"- number: {c.number}", f"  id: {quote(c.id)}", f"  file: {quote(c.file)}",
                f"  index: {{{index}}}"]
    return "\n".join(out) + "\n"


def file_problems(located: Located, tasks: Path, shown_tasks: str) -> tuple[list[Path], list[Problem]]:
    """The listed campaign files that exist, and a problem for each missing or unlisted one."""
    listed = {c.file: i for i, c in enumerate(located.manifest.campaigns)}
    present = {p.name: p for p in tasks.iterdir() if not p.name.startswith(".")}
    problems = []
    paths = []
    for name, i in listed.items():
        if name in present:
            paths.append(present[name])
            continue
        twin = [p for p in present if p.lower() == name.lower() or Path(p).stem == Path(name).stem]
        hint = (f"; {shown_tasks}/{twin[0]} looks like it, renamed: give it its listed name back"
                if twin else "; restore it (`git checkout -- <file>` or `git log -- <file>`), or "
                f"remove its entry from {FILE_NAME} if the campaign is dropped on purpose")
        problems.append(Problem(located.path, located.line_of(i), 1, "error",
                                f"campaign file {shown_tasks}/{name} is listed but missing{hint}"))
    base = tasks.resolve()
    for name in sorted(present):
        if name in listed:
            continue
        if base not in present[name].resolve().parents:
            problems.append(Problem(f"{shown_tasks}/{name}", 1, 1, "error", LINK_OUTSIDE))
        else:
            problems.append(Problem(f"{shown_tasks}/{name}", 1, 1, "error",
                                    f"not listed in {FILE_NAME}: list it under campaigns "
                                    "(number, id, file, index), or move it out of tasks/"))
    return paths, problems


def content_problems(located: Located, file_name: str, shown: str,
                     campaign: Campaign) -> list[Problem]:
    """The campaign file against its manifest entry: number, id, and the index."""
    entries = [(i, c) for i, c in enumerate(located.manifest.campaigns) if c.file == file_name]
    if not entries:
        return []
    i, entry = entries[0]
    line = located.line_of(i)
    problems = []
    if (entry.number, entry.id) != (campaign.number, campaign.id):
        problems.append(Problem(located.path, line, 1, "error",
                                f"{file_name}: listed as campaign {entry.number} '{entry.id}', but the "
                                f"file holds campaign {campaign.number} '{campaign.id}'"))
    removed = {r.id for r in campaign.removed}
    tasks = {t.id: t for t in campaign.tasks}
    for task_id, count in entry.index.items():
        task = tasks.get(task_id)
        if task is None:
            if task_id not in removed:
                problems.append(Problem(shown, 1, 1, "error",
                                        f"task {task_id} ({count} item(s)) is gone from the file; restore "
                                        f"it, or record its removal: removed: [{{id: \"{task_id}\", "
                                        "reason: …}]"))
            continue
        have = {i.id for i in task.items}
        for n in range(1, count + 1):
            item_id = f"{task_id}.{n}"
            if item_id not in have and item_id not in removed and task_id not in removed:
                problems.append(Problem(shown, 1, 1, "error", gone_message(item_id, task_id)))
    for task in campaign.tasks:
        listed = entry.index.get(task.id)
        extra = [i.id for i in task.items] if listed is None else [i.id for i in task.items[listed:]]
        if extra:
            what = f"task {task.id}" if listed is None else f"item(s) {', '.join(extra)}"
            problems.append(Problem(shown, 1, 1, "warning",
                                    f"{what} not in {FILE_NAME}'s index; add to the index what the "
                                    "notice gives, so a later removal cannot go unnoticed"))
    return problems
