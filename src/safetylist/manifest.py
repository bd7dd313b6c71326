"""The registry manifest, ``registry.yaml``: what the registry holds, so nothing goes missing.

It names the notice (number, title, issuing office), the period its list covers, and the
campaign files with an index of each one's tasks and their item counts. ``check`` compares
``tasks/`` with it: a listed file that is missing or renamed, an unlisted file, and a task or
item that is gone from its file without a recorded removal are errors (the rules of
``rules.manifest``). A registry without a manifest still loads (a warning says what it cannot
check).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Campaign, Manifest, ManifestCampaign

FILE_NAME = "registry.yaml"

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
