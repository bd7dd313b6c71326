"""The parse cache: used when the bytes are the same, never when they are not, never fatal."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

import pytest

from safetylist import cache, rules, validate
from safetylist import registry as registry_module
from safetylist.registry import load

from conftest import DATA


@pytest.fixture(params=["json", "msgspec"])
def reg(request, tmp_path, monkeypatch):
    """A copy of the fixture registry with a cache of its own, read as a small registry's
    (json + from_plain) or as a large one's (msgspec, ``fastcache``)."""
    if request.param == "msgspec":
        monkeypatch.setattr(registry_module, "LARGE_REGISTRY_BYTES", 0)
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    monkeypatch.setenv("SAFETYLIST_CACHE", str(tmp_path / "cache"))
    return data


def texts(data):
    registry, problems = load(data)
    assert [p for p in problems if p.level == "error"] == []
    return {i.id: i.text for c in registry.campaigns for t in c.tasks for i in t.items}


def forbid_parsing(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(validate, "parse_campaign", boom)


def entries(base):
    return sorted((base / cache.SUBFOLDER).glob("*.json"))


def test_a_warm_load_parses_nothing_and_equals_a_cold_one(reg, tmp_path, monkeypatch):
    cold = load(reg)
    # 14 campaigns, departments, the manifest, and the checks across files
    assert len(entries(tmp_path / "cache")) == 17
    forbid_parsing(monkeypatch)
    monkeypatch.setattr(rules, "placed_problems", forbid_checking(rules.placed_problems))
    warm = load(reg)
    assert [f.campaign for f in warm[0].files] == [f.campaign for f in cold[0].files]
    assert warm[1] == cold[1]  # the same warnings, located the same


def forbid_checking(placed_problems):
    """``rules.placed_problems`` that refuses the checks across files (served from the cache)."""
    def checking(target, context):
        assert target not in ("index", "registry"), "checked across files although cached"
        return placed_problems(target, context)

    return checking


def test_the_checks_across_files_see_a_change_of_any_one_file(reg):
    """A file's item deleted by hand: a warm cache still finds it gone from the index."""
    assert [p for p in load(reg)[1] if p.level == "error"] == []
    path = reg / "tasks" / "04-coal-mine.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: 4.2.2\n")
    end = text.index("- id: \"4.3\"", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    errors = [p for p in load(reg)[1] if p.level == "error"]
    assert [(p.rule, p.message) for p in errors] == [
        ("file-matches-index", "item 4.2.2 is gone from task 4.2; restore it, or record its "
         "removal: removed: [{id: 4.2.2, reason: …}]")]


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("how", ["edit", "same-size edit", "mtime restored", "file replaced"])
def test_a_stale_cache_is_never_used(reg, how):
    path = reg / "tasks" / "04-coal-mine.yaml"
    assert texts(reg)["4.1.1"].startswith("强化标准")
    stat = path.stat()
    if how == "edit":
        edit(path, "强化标准的监督执行", "强化标准的监督执行和检查")
        want = "强化标准的监督执行和检查"
    elif how == "same-size edit":
        edit(path, "强化标准的监督执行", "加强标准的监督执行")
        want = "加强标准的监督执行"
        assert path.stat().st_size == stat.st_size
    elif how == "mtime restored":
        edit(path, "强化标准的监督执行", "加强标准的监督执行")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        want = "加强标准的监督执行"
        assert (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    else:  # another file put in its place, as a copy or a checkout would
        other = reg.parent / "other.yaml"
        other.write_text(path.read_text(encoding="utf-8").replace("强化标准的监督执行", "加强标准的监督执行", 1),
                         encoding="utf-8")
        os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(other, path)
        want = "加强标准的监督执行"
    assert texts(reg)["4.1.1"].startswith(want)


def test_a_departments_change_invalidates_the_campaigns(reg, monkeypatch):
    load(reg)
    edit(reg / "departments.yaml", "- name: 市能源局\n", "- name: 市能源局局\n")
    registry, problems = load(reg)
    assert any("unknown department '市能源局'" in p.message for p in problems)


def test_a_corrupt_cache_falls_back_to_parsing(reg, tmp_path):
    before = texts(reg)
    for n, entry in enumerate(entries(tmp_path / "cache")):
        key = entry.stem.encode()
        entry.write_bytes([b"", b"{not json", b'{"key": "x", "value": 1}',
                           b'{"key": "' + key + b'", "value": {"campaign": {"id": 1}, "problems": []}}',
                           # tasks and their names out of step; a task without its id
                           b'{"key": "' + key + b'", "value": {"campaign": {"id": "x", "number": 1, '
                           b'"title": "x", "heading": "x", "declared": {"tasks": 1, "items": 1}, '
                           b'"source": "x", "default_deadline": "2022-12-31"}, "tasks": [], '
                           b'"names": [["x"]], "problems": []}}',
                           b'{"key": "' + key + b'", "value": {"campaign": {"id": "x", "number": 1, '
                           b'"title": "x", "heading": "x", "declared": {"tasks": 1, "items": 1}, '
                           b'"source": "x", "default_deadline": "2022-12-31"}, "tasks": [{"items": []}], '
                           b'"names": [["x"]], "problems": []}}'][n % 6])
    assert texts(reg) == before


def test_an_unwritable_cache_is_not_fatal(reg, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SAFETYLIST_CACHE", str(blocker / "cache"))
    assert texts(reg)["4.1.1"].startswith("强化标准")
    assert blocker.read_text() == "not a folder"


def test_the_cache_can_be_turned_off_and_lives_outside_the_registry(reg, tmp_path, monkeypatch):
    before = sorted(p.relative_to(reg) for p in reg.rglob("*"))
    monkeypatch.setenv("SAFETYLIST_CACHE", "off")
    assert cache.folder() is None
    texts(reg)
    monkeypatch.delenv("SAFETYLIST_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "safetylist" / cache.SUBFOLDER
    texts(reg)
    assert len(entries(tmp_path / "xdg" / "safetylist")) == 17  # 14 campaigns, departments, the manifest, the checks across files
    assert sorted(p.relative_to(reg) for p in reg.rglob("*")) == before


def test_keys_differ_for_different_bytes_and_contexts():
    assert cache.key(b"a") != cache.key(b"b")
    assert cache.key(b"a", b"x") != cache.key(b"a", b"y")
    assert cache.key(b"ab", b"") != cache.key(b"b", b"a")


def test_a_change_of_the_validation_code_is_never_served_from_a_warm_cache(reg, monkeypatch):
    """The key covers the package's source: a new rule applies at once, warm cache or not."""
    assert [p for p in load(reg)[1] if p.level == "error"] == []
    monkeypatch.setattr(cache, "_code_digest", b"another version of the code")
    monkeypatch.setattr(validate, "campaign_problems",
                        lambda shown, *a: [validate.Problem(shown, 1, 1, "error", "new rule")])
    errors = [p for p in load(reg)[1] if p.level == "error"]
    assert len(errors) == 14 and {p.message for p in errors} == {"new rule"}


def test_the_code_digest_covers_every_source_file(tmp_path):
    import safetylist

    package = Path(safetylist.__file__).parent
    assert cache.code_digest() == cache.code_digest() == cache.source_digest(package)
    copy = tmp_path / "safetylist"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    seen = {cache.source_digest(copy)}
    validate_py = copy / "validate.py"
    validate_py.write_text(validate_py.read_text(encoding="utf-8") + "\n# a new rule\n", encoding="utf-8")
    seen.add(cache.source_digest(copy))  # an edit
    os.utime(validate_py, ns=(1, 1))
    seen.add(cache.source_digest(copy))  # the same size, another time: a checkout of another version
    (copy / "cli" / "new.py").write_text("", encoding="utf-8")
    seen.add(cache.source_digest(copy))  # a new module, in a subfolder
    (copy / "notes.txt").write_text("not code", encoding="utf-8")
    seen.add(cache.source_digest(copy))  # not source: the same digest as before
    assert len(seen) == 4


def test_pruning_deletes_only_its_own_entries(reg, tmp_path, monkeypatch):
    mine = tmp_path / "my-documents"
    mine.mkdir()
    for n in range(2100):
        (mine / f"report-{n}.json").write_text("{}")
    (mine / ("0" * 40 + ".json")).write_text("{}")  # named like an entry, but not in our folder
    monkeypatch.setenv("SAFETYLIST_CACHE", str(mine))
    monkeypatch.setattr(cache, "MAX_ENTRIES", 4)
    texts(reg)
    assert len(list(mine.glob("*.json"))) == 2100 + 1  # every one of the user's files is still there
    ours = entries(mine)
    assert 0 < len(ours) <= 4


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_named_like_an_entry_is_ignored_without_blocking(reg, tmp_path):
    load(reg)
    for entry in entries(tmp_path / "cache"):
        entry.unlink()
        os.mkfifo(entry)
    before = texts(reg)  # would hang forever on a blocking open
    assert before["4.1.1"].startswith("强化标准")
    # Each FIFO was a miss; the fresh entry written in its place is a regular file.
    assert all(stat.S_ISREG(e.lstat().st_mode) for e in entries(tmp_path / "cache"))


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX modes")
def test_a_folder_others_can_write_is_not_used_and_said_once(reg, tmp_path, monkeypatch, runner):
    from safetylist.cli import app

    base = tmp_path / "cache"
    (base / cache.SUBFOLDER).mkdir(parents=True)
    os.chmod(base / cache.SUBFOLDER, 0o777)
    monkeypatch.setattr(cache, "_checked", {})
    monkeypatch.setattr(cache, "warnings", [])
    result = runner.invoke(app, ["due", "--format", "ids", "--data", str(reg)])
    assert result.exit_code == 0, result.output
    assert entries(base) == []  # nothing written there, nothing read
    lines = [line for line in result.stderr.splitlines() if "parse cache" in line]
    assert lines == [f"safetylist: warning: the parse cache folder {base / cache.SUBFOLDER} is not "
                     "used: it is writable by every user (mode 777) (make it yours and private "
                     "with `chmod 700`, point SAFETYLIST_CACHE elsewhere, or set SAFETYLIST_CACHE=off)"]


# A department's listing: only the tasks it sees are built ------------------------------------


def views_of(registry, dept):
    from safetylist import query

    f = query.make_filters(registry, as_of=dt.date(2022, 6, 30), depts=[dept])
    return [(v.id, v.status, v.share_status, v.deadline, v.departments) for v in query.select(registry, "due", f)]


@pytest.mark.parametrize("dept", ["市应急管理局", "孝义市应急管理局", "市、县应急管理局", "市教育局"])
def test_a_warm_load_for_a_department_builds_only_its_tasks_and_lists_the_same(reg, dept):
    full, problems = load(reg)
    # A cold cache: the checks across files are not known yet, so everything is loaded.
    assert full is not None and not full.partial
    mine, warm_problems = load(reg, [dept])
    assert mine is not None and mine.partial and warm_problems == problems
    sees = full.directory.visible(full.directory.resolve(dept))
    built = {t.id for c in mine.campaigns for t in c.tasks}
    assert built == {t.id for c in full.campaigns for t in c.tasks
                     if sees & ({a.name for a in t.departments}
                                | {a.name for i in t.items for a in i.departments or ()})}
    assert 0 < len(built) < sum(len(c.tasks) for c in full.campaigns)
    assert views_of(mine, dept) == views_of(full, dept)


def test_a_department_load_loads_everything_when_a_name_is_unknown_or_a_file_changed(reg):
    load(reg)
    registry, _ = load(reg, ["市应急管理"])  # no such department: the command says so
    assert registry is not None and not registry.partial
    edit(reg / "tasks" / "04-coal-mine.yaml", "强化标准的监督执行", "强化标准的监督执行和检查")
    registry, _ = load(reg, ["市应急管理局"])  # this set of files was never checked across
    assert registry is not None and not registry.partial


def test_a_registry_loaded_for_a_department_is_never_written(reg):
    load(reg)
    registry, _ = load(reg, ["市应急管理局"])
    assert registry is not None and registry.partial
    with pytest.raises(ValueError, match="never written"):
        registry.for_writing(4)


def test_a_listing_for_a_department_prints_the_same_cold_and_warm(reg, runner, monkeypatch):
    from safetylist.cli import app

    monkeypatch.setattr(cache, "warnings", [])  # none said by an earlier test's cache folder
    args = ["due", "--dept", "市应急管理局", "--as-of", "2022-06-30", "--data", str(reg)]
    cold = runner.invoke(app, args)
    warm = runner.invoke(app, args)
    assert (cold.exit_code, warm.exit_code) == (0, 0)
    assert warm.output == cold.output
    assert cold.output.startswith("due: 197 item(s) for 市应急管理局 as of 2022-06-30 (2 overdue)\n")


def test_a_registry_in_a_folder_named_in_another_encoding_loads(tmp_path, monkeypatch):
    """A folder unzipped from Windows with a GBK name (吕梁 as bytes that are not UTF-8): its
    path is part of the checks' key, and hashing it must not fail."""
    monkeypatch.setenv("SAFETYLIST_CACHE", str(tmp_path / "cache"))
    try:
        data = tmp_path / os.fsdecode(b"gbk-\xc2\xc0\xc1\xba") / "data"
        shutil.copytree(DATA, data)
    except (OSError, UnicodeError):
        pytest.skip("this file system takes UTF-8 names only")
    for departments in ((), ["市应急管理局"], ["市应急管理局"]):  # cold, then warm twice
        registry, problems = load(data, departments)
        assert registry is not None and [p for p in problems if p.level == "error"] == []
    assert registry.partial
    with monkeypatch.context() as m:
        m.setenv("SAFETYLIST_CACHE", "off")
        assert load(data)[0] is not None


def test_without_msgspec_a_large_registry_is_read_by_json(reg, monkeypatch):
    """An environment not reinstalled since msgspec became a dependency: slower, not broken."""
    import sys

    monkeypatch.setattr(registry_module, "LARGE_REGISTRY_BYTES", 0)
    cold = load(reg)
    monkeypatch.setitem(sys.modules, "msgspec", None)  # import msgspec raises ImportError
    monkeypatch.setitem(sys.modules, "safetylist.fastcache", None)
    forbid_parsing(monkeypatch)
    warm = load(reg, ["市应急管理局"])
    assert warm[0] is not None and warm[0].partial and warm[1] == cold[1]
    assert views_of(warm[0], "市应急管理局") == views_of(cold[0], "市应急管理局")
