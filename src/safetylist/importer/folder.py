"""A new registry folder (``init``), and names added to its departments.yaml.

``init`` builds the folder beside its destination and renames it into place, so a folder
that exists holds a whole registry or nothing. Names added by ``import-notice
--add-departments`` are inserted as text at the end of departments.yaml's lists, so its
comments and layout stay as written.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError, WriteRefused
from ..models import DateRange, Manifest

if TYPE_CHECKING:
    from .build import NewName
    from .source import Where

EMPTY_DEPARTMENTS = """\
# Departments and groups named by {notice}: every body the list names, once, under one
# canonical name; aliases: the other spellings it uses and the short forms people type.
# counties / county_kinds: each county has a department of each kind, named <county><kind>.
# groups: phrases that give work to several bodies at once (市、县…, 各县（市、区）…).
# `safetylist import-notice FILE --add-departments` adds the names a notice prints.
counties: []
county_kinds: []
departments: []
groups: []
"""


def parse_period(text: str) -> DateRange:
    """``2023-01-01:2023-12-31``, or a year (``2023``) for the whole of it."""
    from ..dates import parse_user_date

    value = text.strip()
    if re.fullmatch(r"\d{4}", value):
        start, end = f"{value}-01-01", f"{value}-12-31"
    else:
        start, sep, end = value.partition(":")
        if not sep:
            raise UsageError(f"--period: '{text}' is not START:END (2023-01-01:2023-12-31) or a year")
    period = DateRange(start=parse_user_date(start, "--period start"),
                       end=parse_user_date(end, "--period end"))
    if period.end < period.start:
        raise UsageError(f"--period: the end {period.end} is before the start {period.start}")
    return period


def create_registry(folder: Path, notice: str, title: str, issued_by: str, period: DateRange,
                    departments_from: Path | None) -> list[str]:
    """Make ``folder`` a new registry; return what was made, one line each."""
    from ..manifest import FILE_NAME, dump_manifest
    from ..registry import display_path, load

    shown = display_path(folder)
    for value, option in ((notice, "--notice"), (title, "--title"), (issued_by, "--issued-by")):
        if not value.strip():
            raise UsageError(f"{option} is empty; give it as the notice prints it")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise WriteRefused(f"{shown} exists and is not an empty folder; init makes a registry in "
                           "a new or empty folder (nothing was written)")
    departments, what = _departments_text(departments_from, notice)
    manifest = Manifest(notice=notice.strip(), title=title.strip(), issued_by=issued_by.strip(),
                        period=period)
    parent = folder.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = parent / f".{folder.name}.{secrets.token_hex(4)}.init"
        staging.mkdir()  # not mkdtemp, whose folder only its owner may read: the umask decides
    except OSError as exc:
        raise WriteRefused(f"cannot make {shown}: {exc.strerror or exc}") from None
    try:
        (staging / "tasks").mkdir()
        (staging / FILE_NAME).write_text(dump_manifest(manifest), encoding="utf-8", newline="\n")
        (staging / "departments.yaml").write_text(departments, encoding="utf-8", newline="\n")
        registry, problems = load(staging)
        errors = [p for p in problems if p.level == "error"]
        assert registry is not None and not errors, errors  # what init writes always loads
        if folder.exists():
            folder.rmdir()  # empty, as checked above
        os.replace(staging, folder)
    except OSError as exc:
        raise WriteRefused(f"cannot make {shown}: {exc.strerror or exc}; nothing was written") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [f"created {shown}/{FILE_NAME}: {manifest.notice} {manifest.title}, "
            f"{period.start.isoformat()} to {period.end.isoformat()}",
            f"created {shown}/departments.yaml: {what}",
            f"created {shown}/tasks/ (empty: `safetylist import-notice FILE --data {shown}` fills it)"]


def _departments_text(source: Path | None, notice: str) -> tuple[str, str]:
    if source is None:
        return EMPTY_DEPARTMENTS.format(notice=notice.strip()), "empty (no department yet)"
    from ..registry import display_path, read_text
    from ..validate import parse_departments

    text, problem = read_text(source)
    if problem is not None:
        raise UsageError(f"--departments {display_path(source)}: {problem.message}")
    assert text is not None
    spec, problems = parse_departments(source, text)
    errors = [p for p in problems if p.level == "error"]
    if spec is None or errors:
        raise UsageError(f"--departments {display_path(source)} has {len(errors)} error(s); fix "
                         "them, or start from an empty list (leave --departments out)", errors)
    return text, (f"copied from {display_path(source)}: {len(spec.departments)} departments, "
                  f"{len(spec.groups)} groups, {len(spec.counties)} counties")


# Names added by import-notice --------------------------------------------------------


def add_names(text: str, added: list[NewName], source_of: Callable[[Where], str]) -> str:
    """departments.yaml's text with ``added`` (``build.NewName``) at the end of its lists."""
    from ..yamlio import scalar

    def flow(values: list[str]) -> str:
        return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"

    entries: dict[str, list[str]] = {"departments": [], "groups": []}
    for new in added:
        lines = [f"- name: {scalar(new.name)}"]
        if new.aliases:
            lines.append(f"  aliases: {flow(new.aliases)}")
        note = f"added by import-notice: printed so in {source_of(new.where)}"
        if new.kind == "department":
            lines += ["  level: other", f"  note: {scalar(note + '; set its level and aliases')}"]
            entries["departments"] += lines
        else:
            if new.members:
                lines.append(f"  members: {flow(new.members)}")
            if new.county_kind:
                lines.append(f"  county_kind: {scalar(new.county_kind)}")
            lines.append(f"  description: {scalar(note + '; list its members')}")
            entries["groups"] += lines
    out = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    for key, lines in entries.items():
        if lines:
            out = _insert(out, key, lines)
    return "\n".join(out) + "\n"


def _insert(lines: list[str], key: str, entries: list[str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if re.match(rf"^{key}:\s*(\[\s*\])?\s*(#.*)?$", line)), None)
    if start is None:
        return lines + [f"{key}:", *entries]
    if re.match(rf"^{key}:\s*\[\s*\]", lines[start]):
        lines = lines[:start] + [f"{key}:"] + lines[start + 1:]
    end = next((i for i in range(start + 1, len(lines))
                if lines[i] and lines[i][0] not in " -#"), len(lines))
    while end - 1 > start and lines[end - 1].startswith("#"):
        end -= 1  # a comment just above the next key is that key's
    return lines[:end] + entries + lines[end:]

