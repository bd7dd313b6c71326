"""Finding the data folder and loading the registry, through the parse cache.

``load`` reads every file and returns the registry together with every problem
found, each located to a file, line and column. Files whose bytes are in the
cache are not parsed again; the others go through ``validate`` (PyYAML and
Pydantic, imported only then). Nothing here prints or exits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import cache
from .departments import Directory
from .errors import DataNotFound, InvalidData, Problem, display_path
from .models import Campaign, DepartmentsFile, Manifest, from_plain, to_plain

ENV_DATA = "SAFETYLIST_DATA"
MAX_FILE_BYTES = 20 * 1024 * 1024
# Above this many bytes of campaign files (about 5,000 items), msgspec rebuilds the models
# from the parse cache: in C, in about half the time of json + ``from_plain`` (0.25 s against
# 0.47 s on 100,000 items); below it, its import (about 8 ms) costs more than it saves.
LARGE_REGISTRY_BYTES = 2 * 1024 * 1024


# Finding the data ------------------------------------------------------------


def _is_data_dir(path: Path) -> bool:
    return (path / "tasks").is_dir()


def find_data_dir(explicit: str | os.PathLike[str] | None = None,
                  cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """``--data DIR``, else ``$SAFETYLIST_DATA``, else the nearest ``data/`` upward."""
    env = os.environ if env is None else env
    for source, value in (("--data", explicit), (ENV_DATA, env.get(ENV_DATA) or None)):
        if value is None:
            continue
        path = Path(value).expanduser()
        if _is_data_dir(path):
            return path
        if _is_data_dir(path / "data"):
            return path / "data"
        raise DataNotFound(f"{source} {value}: no tasks/ folder there; "
                           "point it at a registry folder that holds tasks/ and departments.yaml")
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_data_dir(folder / "data"):
            return folder / "data"
        if folder.name == "data" and _is_data_dir(folder):
            return folder
    raise DataNotFound("no registry found: no data/tasks/ folder in this directory or above it; "
                       f"run inside a safetylist checkout, or give --data DIR or set {ENV_DATA}")


def is_registry_file(root: Path, path: Path) -> bool:
    """Whether ``path`` is (or would be) one of the registry's own files: anything in
    ``tasks/``, ``departments.yaml``, ``registry.yaml``."""
    try:
        target = path.resolve()
        base = root.resolve()
    except OSError:
        return False
    return (base / "tasks") in target.parents or target in (
        base / "departments.yaml", base / "registry.yaml", base / "tasks")


# The registry ----------------------------------------------------------------


@dataclass(repr=False, eq=False)
class CampaignFile:
    path: Path
    campaign: Campaign


@dataclass(repr=False, eq=False)
class Registry:
    root: Path
    directory: Directory
    files: list[CampaignFile] = field(default_factory=list)
    manifest: Manifest | None = None
    # The departments file's bytes: a campaign file's parse depends on them, so they are part
    # of its key in the parse cache (``campaign_from``).
    context: bytes = b""
    # Loaded for some departments' listing (``load``): it may lack the tasks they do not
    # see, so it answers only for them and is never written.
    partial: bool = False

    @property
    def campaigns(self) -> list[Campaign]:
        return [f.campaign for f in self.files]

    def file_of(self, campaign_number: int) -> CampaignFile:
        for f in self.files:
            if f.campaign.number == campaign_number:
                return f
        raise KeyError(campaign_number)

    def for_writing(self, campaign_number: int) -> Registry:
        """The registry with only the one file a write will re-read, so the models loaded to
        answer the command can be freed before the write reads the file again."""
        import dataclasses

        if self.partial:
            raise ValueError("a registry loaded for some departments' listing is never written")
        f = self.file_of(campaign_number)
        stub = dataclasses.replace(f.campaign, tasks=[])  # its number and id; the file is re-read
        return Registry(self.root, self.directory, [CampaignFile(f.path, stub)], self.manifest,
                        self.context)


def campaign_paths(root: Path, located: Any = None) -> tuple[list[Path], list[Problem]]:
    """The campaign files of ``root/tasks``, refusing any that leads outside it.

    With a manifest (``manifest.Located``), the files it lists (a missing or unlisted file
    is a problem); without one, every ``*.yaml`` / ``*.yml`` file.
    """
    from . import rules

    folder = rules.FolderCheck(root, located)
    return folder.paths, rules.placed_problems("folder", folder)


def read_bytes(path: Path) -> tuple[bytes | None, Problem | None]:
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            from .rules import problem

            return None, problem("file-size", shown, 1, 1,
                                 f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit")
        return path.read_bytes(), None
    except OSError as exc:
        from .rules import problem

        return None, problem("unreadable", shown, 1, 1, f"cannot read: {exc.strerror or exc}")


def decode(path: Path, raw: bytes) -> tuple[str | None, Problem | None]:
    """A file's text, or a located problem when it is not UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark is harmless; the writer drops it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        from .rules import problem

        return None, problem("encoding", display_path(path), line, 1,
                             f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text, None


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """A file's text, or a located problem when it cannot be read as UTF-8."""
    raw, problem = read_bytes(path)
    if problem is not None:
        return None, problem
    assert raw is not None
    return decode(path, raw)


def _problems(shown: str, cached: list[list]) -> list[Problem]:
    return [Problem(shown, line, col, level, message, rule) for line, col, level, message, rule in cached]


def _cacheable(problems: list[Problem]) -> list[list]:
    return [[p.line, p.col, p.level, p.message, p.rule] for p in problems]


def load_directory(root: Path) -> tuple[Directory | None, list[Problem], bytes]:
    """The departments and groups; also the file's bytes, which key the campaigns' cache."""
    path = root / "departments.yaml"
    shown = display_path(path)
    raw, problem = read_bytes(path)
    if problem is not None:
        return None, [problem], b""
    assert raw is not None
    k = cache.key(raw, b"departments")
    hit = cache.get(k)
    spec: DepartmentsFile | None = None
    if hit is not None:
        try:
            spec, problems = from_plain(DepartmentsFile, hit["spec"]), _problems(shown, hit["problems"])
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a corrupt entry: parse the file as if it were not there
    if spec is None:  # a miss, or a corrupt entry
        text, problem = decode(path, raw)
        if problem is not None:
            return None, [problem], raw
        from .validate import parse_departments

        spec, problems = parse_departments(path, text or "")
        if spec is None:
            return None, problems, raw
        cache.put(k, {"spec": to_plain(spec, defaults=False), "problems": _cacheable(problems)})
    return Directory.build(spec), problems, raw


def _campaign_key(path: Path, raw: bytes, context: bytes) -> str:
    return cache.key(raw, path.name.encode("utf-8", "surrogatepass") + b"\0" + context)


def _cached_campaign(k: str, shown: str, large: bool,
                     wanted: frozenset[str] | None) -> tuple[Campaign, list[Problem]] | None:
    """The campaign and problems cached under ``k``; None on a miss or a corrupt entry.
    With ``wanted``, the campaign holds only the tasks that name one of those departments
    (in the task or in one of its items): the others are never built."""
    fast = _fastcache() if large else None
    if fast is not None:
        raw = cache.get_bytes(k)
        if raw is None:
            return None
        hit = fast.campaign_entry(raw, k, wanted)
        return None if hit is None else (hit[0], _problems(shown, hit[1]))
    plain = cache.get(k)
    if plain is None:
        return None
    try:
        tasks, names = plain["tasks"], plain["names"]
        if len(tasks) != len(names):
            return None
        if wanted is not None:
            tasks = [t for t, n in zip(tasks, names) if not wanted.isdisjoint(n)]
        campaign = from_plain(Campaign, {**plain["campaign"], "tasks": tasks})
        return campaign, _problems(shown, plain["problems"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a corrupt entry: parse the file as if it were not there


def _fastcache() -> Any:
    """``fastcache``, or None where msgspec cannot be imported (an environment not reinstalled
    since it became a dependency): the json reader reads the same entries, only slower."""
    try:
        from . import fastcache
    except ImportError:
        return None
    return fastcache


def campaign_from(path: Path, raw: bytes, directory: Directory, context: bytes,
                  k: str | None = None, large: bool = False,
                  wanted: frozenset[str] | None = None) -> tuple[Campaign | None, list[Problem]]:
    """The campaign file whose bytes are ``raw``: from the cache when they are there, else
    parsed and validated (and then cached). ``context`` is the departments file's bytes;
    ``k``, the file's key in the cache when the caller has it already; ``large``, a large
    registry's (its cache entries are read by ``fastcache``). With ``wanted``, a campaign
    from the cache may hold only the tasks those departments see (``_cached_campaign``)."""
    shown = display_path(path)
    if k is None:
        k = _campaign_key(path, raw, context)
    found = _cached_campaign(k, shown, large, wanted)
    if found is not None:
        return found
    text, problem = decode(path, raw)
    if problem is not None:
        return None, [problem]
    from .validate import parse_campaign

    campaign, problems = parse_campaign(path, text or "", directory)
    if campaign is not None:
        remember_campaign(path, raw, context, campaign, problems)
    return campaign, problems


def remember_campaign(path: Path, raw: bytes, context: bytes, campaign: Campaign,
                      problems: list[Problem]) -> None:
    """Cache what validating the file of bytes ``raw`` found (a write knows it before the
    next run reads the file: that run then finds it in the cache).

    The campaign's tasks are stored apart from it, each with the departments it names (its
    own and its items'), so that a department's listing builds only the tasks it sees."""
    plain = to_plain(campaign, defaults=False)
    tasks = plain.pop("tasks", [])
    names = [sorted({a.name for a in t.departments}
                    | {a.name for i in t.items for a in i.departments or ()})
             for t in campaign.tasks]
    cache.put(_campaign_key(path, raw, context),
              {"campaign": plain, "tasks": tasks, "names": names, "problems": _cacheable(problems)})


def load_manifest(root: Path) -> tuple[Any, list[Problem]]:
    """The manifest with its entries' lines (``manifest.Located``), or None when absent."""
    located, problems, _ = _manifest(root)
    return located, problems


def _manifest(root: Path) -> tuple[Any, list[Problem], str | None]:
    """``load_manifest``'s answer, and the file's key in the cache ("" when there is no
    file, None when it cannot be read)."""
    from .manifest import FILE_NAME, Located

    path = root / FILE_NAME
    shown = display_path(path)
    if not path.exists():  # the rule no-manifest says so
        return None, [], ""
    raw, problem = read_bytes(path)
    if problem is not None:
        return None, [problem], None
    assert raw is not None
    k = cache.key(raw, b"manifest")
    hit = cache.get(k)
    if hit is not None:
        try:
            return (Located(from_plain(Manifest, hit["manifest"]), shown, hit["lines"]),
                    _problems(shown, hit["problems"]), k)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a corrupt entry: parse the file instead
    text, problem = decode(path, raw)
    if problem is not None:
        return None, [problem], k
    from .validate import parse_manifest

    manifest, lines, problems = parse_manifest(path, text or "")
    if manifest is None:
        return None, problems, k
    cache.put(k, {"manifest": to_plain(manifest, defaults=False), "lines": lines, "problems": _cacheable(problems)})
    return Located(manifest, shown, lines), problems, k


def load(root: Path, departments: Sequence[str] = ()) -> tuple[Registry | None, list[Problem]]:
    """Load and validate everything under ``root``; return every problem found.

    With ``departments`` (as typed), the registry may hold only the tasks those departments
    see (``Registry.partial``): a listing for them builds nothing else. That needs every
    problem known without the rest: each file's from the cache, and the checks across
    files too; otherwise everything is loaded."""
    directory, problems, departments_raw = load_directory(root)
    if directory is None:
        return None, problems
    located, more, manifest_key = _manifest(root)
    problems += more
    registry = Registry(root=root, directory=directory,
                        manifest=located.manifest if located is not None else None,
                        context=departments_raw)
    paths, more = campaign_paths(root, located)
    problems += more
    # The checks across files (each file against the manifest's index, ids across files) are
    # a function of every file's bytes and of where the files are shown from: remembered in
    # the cache under a key made of the files' keys, as each file's own problems are.
    keys: list[str] | None = None
    if manifest_key is not None:
        keys = [display_path(root), manifest_key]
    read = []
    for path in paths:
        raw, problem = read_bytes(path)
        if problem is not None:
            problems.append(problem)
            keys = None
            continue
        assert raw is not None
        k = _campaign_key(path, raw, departments_raw)
        read.append((path, raw, k))
        if keys is not None:
            keys += [k, display_path(path)]
    # (surrogatepass: a folder named in another encoding shows undecodable bytes as surrogates)
    across_key = (cache.key("\0".join(keys).encode("utf-8", "surrogatepass"), b"across files")
                  if keys is not None else None)
    across = _cached_across(across_key) if across_key is not None else None
    wanted = _seen_by(directory, departments) if departments and across is not None else None
    large = sum(len(raw) for _, raw, _ in read) > LARGE_REGISTRY_BYTES
    for path, raw, k in read:
        campaign, found = campaign_from(path, raw, directory, departments_raw, k, large, wanted)
        problems += found
        if campaign is not None:
            registry.files.append(CampaignFile(path, campaign))
    registry.partial = wanted is not None
    problems += across if across is not None else _across_files(registry, located, across_key)
    registry.files.sort(key=lambda f: f.campaign.number)
    return registry, sorted(problems, key=lambda p: (p.path, p.line, p.col))


def _seen_by(directory: Directory, departments: Sequence[str]) -> frozenset[str] | None:
    """The assignment names whose work ``departments`` see; None when one is not known
    (the command says so, with its suggestions)."""
    from .errors import UsageError

    try:
        return frozenset().union(*(directory.visible(directory.resolve(d)) for d in departments))
    except UsageError:
        return None


def _cached_across(k: str) -> list[Problem] | None:
    hit = cache.get(k)
    if hit is None:
        return None
    try:
        return [Problem(path, line, col, level, message, rule)
                for path, line, col, level, message, rule in hit["problems"]]
    except (KeyError, TypeError, ValueError):
        return None  # a corrupt entry: check again


def _across_files(registry: Registry, located: Any, k: str | None) -> list[Problem]:
    """The problems of the rules that span files (``index``, ``registry``); remembered in the
    cache under ``k`` (None: a file could not be read, nothing is remembered)."""
    from . import rules

    problems = []
    if located is not None:
        for f in registry.files:
            index = rules.IndexCheck(located, f.path.name, display_path(f.path), f.campaign)
            problems += rules.placed_problems("index", index)
    problems += rules.placed_problems("registry", rules.RegistryCheck(
        [(display_path(f.path), f.campaign) for f in registry.files]))
    if k is not None:
        cache.put(k, {"problems": [[p.path, p.line, p.col, p.level, p.message, p.rule]
                                   for p in problems]})
    return problems


def open_registry(root: Path, departments: Sequence[str] = ()) -> Registry:
    """Load for use: raise ``InvalidData`` with the errors if there are any. With
    ``departments``, for a listing of their work only (``load``)."""
    registry, problems = load(root, departments)
    errors = [p for p in problems if p.level == "error"]
    if errors or registry is None:
        raise InvalidData(f"the registry has {len(errors)} error(s); fix them "
                          "(`safetylist check` lists them)", errors)
    return registry


# The check report ----------------------------------------------------------------


@dataclass(repr=False, eq=False)
class CountRow:
    number: int
    id: str
    title: str
    declared_tasks: int
    present_tasks: int
    declared_items: int
    present_items: int

    @property
    def mark(self) -> str:
        same = (self.declared_tasks, self.declared_items) == (self.present_tasks, self.present_items)
        return "ok" if same else "differs"


@dataclass(repr=False, eq=False)
class CheckReport:
    problems: list[Problem]
    rows: list[CountRow]

    @property
    def errors(self) -> int:
        return sum(p.level == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.level == "warning" for p in self.problems)


def check_registry(root: Path) -> CheckReport:
    """Every problem of the registry at ``root``, and declared vs present counts."""
    registry, problems = load(root)
    rows = []
    for c in registry.campaigns if registry else []:
        rows.append(CountRow(c.number, c.id, c.title, c.declared.tasks,
                             sum(1 for t in c.tasks if t.items), c.declared.items,
                             sum(len(t.items) for t in c.tasks)))
    return CheckReport(problems, rows)
