"""What a rule is, what each kind of rule reads, and how its findings become problems.

A rule has an id, a level, a target (what it reads) and a docstring; its check takes the
target's context and yields ``(where, message)`` for each finding. What ``where`` is depends
on the target: a path in the YAML document for ``campaign`` and ``manifest`` (located
afterwards, every finding of a file in one pass over its text), ``(line, col)`` for ``text``
and ``departments``, ``(path, line, col)`` for the targets that span files.

A rule runs once per file (or once per registry), never once per item: it loops over what it
needs itself, so a registry of 100,000 items costs a few dozen Python loops, not millions of
calls. No rule module imports PyYAML or Pydantic at its top: the rules that span files run on
every load, a load from the parse cache too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Problem

if TYPE_CHECKING:
    from ..departments import Directory
    from ..manifest import Located as LocatedManifest
    from ..models import Campaign, DepartmentsFile, Item, Manifest, ManifestCampaign, Task

ERROR = "error"
WARNING = "warning"

# Targets, in the order a load meets them: what a rule of each reads.
TARGETS: dict[str, str] = {
    "file": "a registry file's bytes, as the loader reads them",
    "yaml": "a registry file's YAML, as the reader parses it",
    "schema": "a registry file's data against its model (`safetylist.models`)",
    "text": "a campaign file's text",
    "campaign": "a campaign file, once it matches its model",
    "departments": "`departments.yaml`, once it matches its model",
    "manifest": "`registry.yaml`, once it matches its model",
    "folder": "the `tasks/` folder against `registry.yaml`",
    "index": "a campaign file against its entry in `registry.yaml`",
    "registry": "the campaign files together",
}
# Targets whose rules are checked by the loading pipeline itself, as it reads (a file that
# fails one is not read further); the others have a check of their own.
READING = ("file", "yaml", "schema")

Check = Callable[[Any], Iterable[tuple[Any, str]]]


class Rule:
    """A named check: its id, level, target, docstring, and the function that checks it."""

    # A plain class (as are the contexts below): this module is imported by every load, and a
    # dataclass would generate and compile its methods on each start-up.
    __slots__ = ("id", "level", "target", "_doc", "check")

    def __init__(self, id: str, level: str, target: str, doc: str, check: Check | None = None):
        self.id = id
        self.level = level  # ERROR or WARNING
        self.target = target  # a key of TARGETS
        self._doc = doc
        self.check = check  # None for the READING targets

    def __repr__(self) -> str:
        return f"<rule {self.id} ({self.level}, {self.target})>"

    @property
    def doc(self) -> str:
        """The docstring, dedented (only the documentation and the tests read it)."""
        import inspect

        return inspect.cleandoc(self._doc)

    @property
    def summary(self) -> str:
        """The docstring's first sentence (its first paragraph), on one line."""
        return " ".join(self.doc.split("\n\n", 1)[0].split())

    def problem(self, path: str, line: int, col: int, message: str) -> Problem:
        return Problem(path, line, col, self.level, message, self.id)


def rule(id: str, level: str, target: str) -> Callable[[Check], Rule]:
    """A check function, with its docstring, made a rule."""
    assert target in TARGETS and target not in READING, target

    def make(check: Check) -> Rule:
        return Rule(id, level, target, check.__doc__ or "", check)

    return make


def reading_rule(id: str, level: str, target: str, doc: str) -> Rule:
    """A rule the loading pipeline checks as it reads (``file``, ``yaml``, ``schema``)."""
    assert target in READING, target
    return Rule(id, level, target, doc)


def run(rules: Iterable[Rule], context: Any) -> list[tuple[Rule, Any, str]]:
    """Every finding of ``rules`` on one context, in rule order."""
    return [(r, where, message) for r in rules if r.check is not None
            for where, message in r.check(context)]


def placed(found: list[tuple[Rule, Any, str]]) -> list[Problem]:
    """Problems of findings placed as ``(path, line, col)``."""
    return [r.problem(path, line, col, message) for r, (path, line, col), message in found]


# What the rules of each target read --------------------------------------------------


Loc = tuple[Any, ...]  # a path in a YAML document: ("tasks", 0, "items", 1, "status")


class CampaignCheck:
    """A campaign file that matches its model (target ``campaign``)."""

    def __init__(self, path: Path, campaign: Campaign, directory: Directory):
        self.path = path
        self.campaign = campaign
        self.directory = directory

    @cached_property
    def tasks(self) -> list[tuple[Loc, Task]]:
        return [(("tasks", ti), task) for ti, task in enumerate(self.campaign.tasks)]

    @cached_property
    def items(self) -> list[tuple[Loc, Task, Item]]:
        """Every item with its place and its task, for the rules that go through them all."""
        return [(tloc + ("items", ii), task, item) for tloc, task in self.tasks
                for ii, item in enumerate(task.items)]

    @cached_property
    def removed(self) -> set[str]:
        return {r.id for r in self.campaign.removed}


class TextCheck:
    """A campaign file's text (target ``text``)."""

    def __init__(self, text: str):
        self.text = text


class DepartmentsCheck:
    """The departments file (target ``departments``): its model, the line of each name, and
    the directory built from it."""

    def __init__(self, spec: DepartmentsFile, lines: dict[str, int], directory: Directory):
        self.spec = spec
        self.lines = lines
        self.directory = directory

    def at(self, name: str) -> tuple[int, int]:
        return self.lines.get(name, 1), 1


class ManifestCheck:
    """The manifest and the line of each campaign entry (target ``manifest``)."""

    def __init__(self, manifest: Manifest, lines: list[int]):
        self.manifest = manifest
        self.lines = lines

    def line_of(self, i: int) -> int:
        return self.lines[i]


class FolderCheck:
    """The ``tasks/`` folder of the registry at ``root``, and its manifest (with the line of
    each entry), or None when it has none or it did not load (target ``folder``)."""

    def __init__(self, root: Path, located: LocatedManifest | None):
        self.root = root
        self.located = located
        self._real: dict[Path, Path] = {}

    @cached_property
    def present(self) -> dict[str, Path]:
        """What ``tasks/`` holds, by name, hidden files left out."""
        return {p.name: p for p in sorted((self.root / "tasks").iterdir())
                if not p.name.startswith(".")}

    @cached_property
    def listed(self) -> dict[str, int]:
        """The files the manifest lists, each with the index of its entry."""
        if self.located is None:
            return {}
        return {c.file: i for i, c in enumerate(self.located.manifest.campaigns)}

    @cached_property
    def candidates(self) -> list[Path]:
        """The campaign files to read: those the manifest lists that exist, or without a
        manifest every ``*.yaml`` and ``*.yml`` file."""
        if self.located is not None:
            return [self.present[name] for name in self.listed if name in self.present]
        return [p for p in self.present.values() if p.suffix in (".yaml", ".yml")]

    @cached_property
    def base(self) -> Path:
        return (self.root / "tasks").resolve()

    def inside(self, path: Path) -> bool:
        """Whether ``path`` resolves to a place inside ``tasks/`` (a link may lead out)."""
        if path not in self._real:
            self._real[path] = path.resolve()
        return self.base in self._real[path].parents

    def readable(self, path: Path) -> bool:
        """A file inside ``tasks/``."""
        return self.inside(path) and self._real[path].is_file()

    @property
    def paths(self) -> list[Path]:
        return [p for p in self.candidates if self.readable(p)]


class IndexCheck:
    """A campaign file against its entry in the manifest (target ``index``)."""

    def __init__(self, located: LocatedManifest, file_name: str, shown: str, campaign: Campaign):
        self.located = located
        self.file_name = file_name
        self.shown = shown
        self.campaign = campaign

    @cached_property
    def entry(self) -> tuple[int, ManifestCampaign] | None:
        for i, c in enumerate(self.located.manifest.campaigns):
            if c.file == self.file_name:
                return i, c
        return None

    @cached_property
    def removed(self) -> set[str]:
        return {r.id for r in self.campaign.removed}


class RegistryCheck:
    """Every campaign file that loaded, with its path as shown (target ``registry``)."""

    def __init__(self, files: list[tuple[str, Campaign]]):
        self.files = files
