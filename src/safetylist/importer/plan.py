"""Importing into a registry: the whole registry validated as it would be, then written.

Never a half-written registry: the notice is read and every problem reported before anything
is written; then the registry as it would be (its departments.yaml with the names added, its
campaign files old and new, its manifest) is staged in a temporary folder and loaded as
``check`` loads it. Only a registry with no error there is written, under the registry lock,
each file replaced atomically and the manifest last.

Importing the same file again replaces the campaigns it made before (same numbers, same file
named in their ``source``) with the same bytes, unless progress has been recorded on them;
a campaign number that another file's import (or the 2022 build) holds is refused.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, UsageError, WriteRefused
from ..models import Campaign

if TYPE_CHECKING:
    from .source import Where


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)  # what was (or would be) written
    problems: list[Problem] = field(default_factory=list)  # warnings


@dataclass
class _Write:
    path: Path
    text: str | None  # None: remove the file (a campaign re-imported under another id)


def import_notice(root: Path, notice: Path, columns: list[str], add: bool,
                  dry_run: bool) -> Outcome:
    if dry_run:
        writes, outcome = _plan(root, notice, columns, add, "would write")
        return outcome
    from ..lock import registry_lock

    with registry_lock(root):
        writes, outcome = _plan(root, notice, columns, add, "wrote")
        _apply(writes)
    return outcome


def _plan(root: Path, notice: Path, columns: list[str], add: bool,
          verb: str) -> tuple[list[_Write], Outcome]:
    from ..layout import dump_campaign
    from ..manifest import FILE_NAME, dump_manifest, entry_for
    from ..registry import display_path, open_registry, read_text
    from ..validate import parse_departments
    from . import read_units
    from .build import build
    from .columns import Mapping
    from .folder import add_names

    mapping = Mapping(columns)  # a bad --columns is a usage error before anything is read
    registry = open_registry(root)
    manifest = registry.manifest
    if manifest is None:
        raise UsageError(f"{display_path(root)} has no {FILE_NAME}, which names the notice and "
                         "its period: make the registry with `safetylist init`")
    shown = display_path(notice)
    units, problems = read_units(notice, shown, mapping, manifest.title)
    dept_path = root / "departments.yaml"
    dept_text, problem = read_text(dept_path)
    spec = parse_departments(dept_path, dept_text or "")[0] if problem is None else None
    if spec is None:  # open_registry has read it: only a race gets here
        raise WriteRefused(f"cannot read {display_path(dept_path)}; nothing was written")
    result = build(units, registry.directory, manifest, notice.name, add, spec.county_kinds)
    problems += result.problems
    if not result.campaigns and not _errors(problems):
        problems.append(Problem(shown, 1, 1, "error", "no task found: no table with a header "
                                "row naming 任务 or 具体措施, and no numbered text under 一、 "
                                "headings; see the README's 'A new year's list'"))
    _refuse(problems, f"reading {shown}")

    existing = {f.campaign.number: f for f in registry.files}
    ids = {f.campaign.id: f.campaign.number for f in registry.files}
    prefix = f"{manifest.notice}, {notice.name}"
    writes: list[_Write] = []
    lines: list[str] = []
    entries = {c.number: c for c in manifest.campaigns}
    tasks_dir = root / "tasks"
    for c in result.campaigns:
        old = existing.get(c.number)
        where = result.places[c.number][0]
        if old is not None and not (old.campaign.source == prefix
                                    or old.campaign.source.startswith(prefix + ", ")):
            problems.append(where.problem("error", f"campaign {c.number} is already in the registry "
                                          f"({display_path(old.path)}, from {old.campaign.source}); "
                                          "import this list into a registry of its own (`safetylist init`)"))
            continue
        if old is not None and _recorded(old.campaign):
            problems.append(where.problem("error", f"campaign {c.number} ({display_path(old.path)}) "
                                          "has recorded progress; importing it again would reset it"))
            continue
        if ids.get(c.id, c.number) != c.number:
            c.id = f"{c.id}-{c.number}"
        name = f"{c.number:02d}-{c.id}.yaml"
        if old is not None and old.path.name != name:
            writes.append(_Write(old.path, None))
        text = dump_campaign(c)
        writes.append(_Write(tasks_dir / name, text))
        entries[c.number] = entry_for(c, name)
        same = old is not None and old.path.name == name and old.path.read_text(encoding="utf-8") == text
        state = " (unchanged)" if same else " (replaced)" if old is not None else ""
        lines.append(f"{verb} {display_path(tasks_dir / name)}: campaign {c.number} {c.title}, "
                     f"{len(c.tasks)} tasks, {sum(len(t.items) for t in c.tasks)} items{state}")
    _refuse(problems, "placing its campaigns in the registry")

    if result.added:
        writes.insert(0, _Write(dept_path, add_names(dept_text or "", result.added, _source_of)))
        groups = [n.name for n in result.added if n.kind == "group"]
        depts = [n.name for n in result.added if n.kind == "department"]
        lines.append(f"{verb} {display_path(dept_path)}: added {len(depts)} department(s)"
                     + (f" ({'、'.join(depts)})" if depts else "")
                     + f" and {len(groups)} group(s)" + (f" ({'、'.join(groups)})" if groups else ""))
    new_manifest = dataclasses.replace(manifest, campaigns=[entries[n] for n in sorted(entries)])
    writes.append(_Write(root / FILE_NAME, dump_manifest(new_manifest)))
    lines.append(f"{verb} {display_path(root / FILE_NAME)}: {len(new_manifest.campaigns)} campaign "
                 "file(s) listed")
    problems += _staged_problems(root, writes)
    _refuse(problems, "checking the registry as it would be")
    return writes, Outcome(lines, problems)


def _source_of(where: Where) -> str:
    from .source import span

    return span([where])


def _recorded(campaign: Campaign) -> bool:
    return any(i.history or i.status != "not_started" for t in campaign.tasks for i in t.items)


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]


def _refuse(problems: list[Problem], doing: str) -> None:
    errors = _errors(problems)
    if errors:
        raise WriteRefused(f"nothing was written: {len(errors)} error(s) {doing} (listed above)",
                           problems)


def _staged_problems(root: Path, writes: list[_Write]) -> list[Problem]:
    """The registry as it would be, in a temporary folder, loaded as ``check`` loads it; every
    campaign file written must also read back to its very bytes."""
    from ..layout import dump_campaign
    from ..registry import display_path, load

    staging = Path(tempfile.mkdtemp(prefix="safetylist-import-"))
    try:
        (staging / "tasks").mkdir()
        for name in ("departments.yaml", "registry.yaml"):
            if (root / name).exists():
                shutil.copyfile(root / name, staging / name)
        for p in (root / "tasks").iterdir():
            if p.is_file() and not p.name.startswith("."):
                shutil.copyfile(p, staging / "tasks" / p.name)
        for w in writes:
            target = staging / w.path.relative_to(root)
            if w.text is None:
                target.unlink()
            else:
                target.write_text(w.text, encoding="utf-8", newline="\n")
        registry, problems = load(staging)
        written = {w.path.name: w.text for w in writes if w.path.parent.name == "tasks"}
        for f in registry.files if registry is not None else []:
            if f.path.name in written and dump_campaign(f.campaign) != written[f.path.name]:
                problems.append(Problem(display_path(f.path), 1, 1, "error",
                                        "does not read back to the text written (a bug: please "
                                        "report it with the notice)"))
        here, there = display_path(staging), display_path(root)
        return [p._replace(path=p.path.replace(here, there, 1)) for p in problems
                if p.level == "error" or Path(p.path).name in written]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _apply(writes: list[_Write]) -> None:
    """Each file replaced atomically: departments.yaml, the campaign files, the manifest, and
    only then the files of campaigns re-imported under another id."""
    from ..store import atomic_write

    for w in writes:
        if w.text is not None:
            atomic_write(w.path, w.text)
    for w in writes:
        if w.text is None:
            with contextlib.suppress(FileNotFoundError):
                w.path.unlink()
