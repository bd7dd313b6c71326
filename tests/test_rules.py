"""Every validation rule: a registry that fails it and one that passes, through `check`.

``CASES`` holds, for every rule id of ``safetylist.rules.RULES``, a change to the mini registry
that breaks the rule (with the exact problem line it gives, and any other rule the same
change breaks too) and a change that keeps to it. A rule without its cases fails
``test_every_rule_has_a_failing_and_a_passing_case``. ``docs/rules.md`` is generated from the
rules; ``test_docs_rules_md_is_generated_from_the_rules`` fails when it is out of date.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from safetylist import registry, rules
from safetylist.cli import app

from conftest import MINI_CAMPAIGN, MINI_DEPARTMENTS, MINI_INFERRED, ROOT

LINE = re.compile(r"^(?P<where>.+?):\d+:\d+: (?P<level>error|warning): .* \[(?P<rule>[a-z0-9-]+)\]$")


@dataclass
class Env:
    make: Callable[..., Path]  # conftest's make_registry
    tmp_path: Path
    monkeypatch: pytest.MonkeyPatch


Build = Callable[[Env], Path]


def swapped(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


def campaign(old: str, new: str, *more: tuple[str, str]) -> Build:
    """The mini registry with its campaign file changed (the manifest indexes the change)."""
    text = swapped(MINI_CAMPAIGN, old, new)
    for o, n in more:
        text = swapped(text, o, n)
    return lambda env: env.make({"04-coal-mine.yaml": text})


def files(**texts: str | bytes) -> Build:
    """A registry of these campaign files (``name=text``, the name's dots and hyphens as
    ``_``), with a manifest that lists them."""
    return lambda env: env.make({name.replace("__", ".").replace("_", "-"): text
                                 for name, text in texts.items()})


def departments(old: str, new: str) -> Build:
    return lambda env: env.make(departments=swapped(MINI_DEPARTMENTS, old, new))


def after(*changes: tuple[str, str, str]) -> Build:
    """The mini registry, then its files changed (``(file, old, new)``): the manifest as made."""

    def build(env: Env) -> Path:
        data = env.make()
        for name, old, new in changes:
            path = data / name
            path.write_text(swapped(path.read_text(encoding="utf-8"), old, new), encoding="utf-8")
        return data

    return build


def mini(env: Env) -> Path:
    return env.make()


def history(*entries: str, status: str = "not_started", extra: str = "") -> str:
    """MINI_CAMPAIGN with item 4.1.1's status, extra fields and history entries."""
    lines = "".join(f"    - {{{e}}}\n" for e in entries)
    return swapped(MINI_CAMPAIGN, "    text: 第一项\n    status: not_started\n",
                   f"    text: 第一项\n    status: {status}\n{extra}"
                   + (f"    history:\n{lines}" if entries else ""))


MONTHLY = "    recurrence: FREQ=MONTHLY;BYMONTHDAY=-1\n    recurrence_text: 每月\n"
BY = "by: 市应急管理局"
TASK_4_1 = MINI_CAMPAIGN[MINI_CAMPAIGN.index('- id: "4.1"'):MINI_CAMPAIGN.index('- id: "4.2"')]
TASK_4_2 = MINI_CAMPAIGN[MINI_CAMPAIGN.index('- id: "4.2"'):]
NO_ITEMS = '- id: "4.3"\n  departments:\n  - 市能源局\n  items: []\n'


def too_large(env: Env) -> Path:
    env.monkeypatch.setattr(registry, "MAX_FILE_BYTES", 2000)
    return env.make({"04-coal-mine.yaml": MINI_CAMPAIGN + "# " + "注" * 1000 + "\n"})


def small_limit(env: Env) -> Path:
    env.monkeypatch.setattr(registry, "MAX_FILE_BYTES", 2000)
    return env.make()


def departments_folder(env: Env) -> Path:
    data = env.make()
    (data / "departments.yaml").unlink()
    (data / "departments.yaml").mkdir()  # opens, but cannot be read as a file
    return data


def linked_outside(env: Env) -> Path:
    data = env.make()
    outside = env.tmp_path / "elsewhere.yaml"
    outside.write_text(MINI_CAMPAIGN.replace("number: 4", "number: 5"), encoding="utf-8")
    try:
        os.symlink(outside, data / "tasks" / "05-x.yaml")
    except (OSError, NotImplementedError):  # pragma: no cover - Windows without the privilege
        pytest.skip("symbolic links are not available")
    return data


def deleted(name: str) -> Build:
    def build(env: Env) -> Path:
        data = env.make()
        (data / name).unlink()
        return data

    return build


def added(name: str, text: str) -> Build:
    def build(env: Env) -> Path:
        data = env.make()
        (data / name).write_text(text, encoding="utf-8")
        return data

    return build


def listed_twice(env: Env) -> Path:
    data = env.make()
    path = data / "registry.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + text.split("campaigns:\n", 1)[1], encoding="utf-8")  # its entry again
    return data


def without_manifest(env: Env) -> Path:
    return env.make(manifest=False)


@dataclass
class Case:
    fail: Build
    line: str  # the problem line the failing registry gives, its folder left out
    ok: Build = mini
    also: frozenset[str] = frozenset()  # other rules the failing change breaks too


T = "tasks/04-coal-mine.yaml"

CASES: dict[str, Case] = {
    # Reading: bytes, YAML, model, text.
    "unreadable": Case(departments_folder, "departments.yaml:1:1: error: cannot read: Is a directory"),
    "file-size": Case(too_large, f"{T}:1:1: error: file is 3586 bytes, over the 2000 byte limit",
                      ok=small_limit),
    "encoding": Case(files(**{"04-coal-mine__yaml": MINI_CAMPAIGN.encode("gbk")}),
                     f"{T}:3:1: error: not UTF-8 (byte 0xbf); save the file as UTF-8",
                     ok=files(**{"04-coal-mine__yaml": "\ufeff" + MINI_CAMPAIGN.replace("\n", "\r\n")})),
    "syntax": Case(campaign("title: 煤矿安全专项整治", "title: [煤矿安全专项整治"),
                   f"{T}:4:8: error: YAML syntax: while parsing a flow sequence started at line 3: "
                   "did not find expected ',' or ']'",
                   ok=campaign("title: 煤矿安全专项整治", 'title: "[煤矿安全专项整治"')),
    "conflict-markers": Case(campaign("title: 煤矿安全专项整治\n", "<<<<<<< ours\ntitle: 煤矿安全专项整治\n=======\n"
                                      "title: 煤矿安全专项整治（修订）\n>>>>>>> theirs\n"),
                             f"{T}:3:1: error: unresolved merge conflict (lines 3-7): git's markers <<<<<<<, "
                             "=======, >>>>>>> hold two versions; keep the lines you mean, delete the three "
                             "marker lines, and run `safetylist check` again",
                             ok=campaign("title: 煤矿安全专项整治\n", "title: 煤矿安全专项整治（修订）\n")),
    "duplicate-key": Case(campaign("source: test\n", "source: test\nsource: 另一个\n"),
                          f"{T}:7:1: error: duplicate key 'source' (first at line 6)"),
    "anchors": Case(campaign("source: test\n", "source: &s test\nheading2: *s\n"),
                    f"{T}:7:11: error: anchors and aliases are not allowed in registry files",
                    also=frozenset({"schema"})),
    "tags": Case(campaign("source: test", "source: !!set {a: null}"),
                 f"{T}:6:9: error: unsupported tag tag:yaml.org,2002:set", also=frozenset({"schema"}),
                 ok=campaign("source: test", "source: '!!set {a: null}'")),
    "nesting": Case(campaign("source: test", "source: " + "[" * 70 + "]" * 70),
                    f"{T}:6:73: error: nested more than 64 levels deep", also=frozenset({"schema"})),
    "key-type": Case(campaign("source: test\n", "source: test\n2022: 年度\n"),
                     f"{T}:7:1: error: keys must be plain strings",
                     ok=campaign("source: test\n", "source: '2022: 年度'\n")),
    "schema": Case(campaign("    status: not_started\n", "    statuss: not_started\n"),
                   f"{T}:15:5: error: tasks[0].items[0]: unknown key 'statuss'; did you mean 'status'?"),
    "end-of-line-comment": Case(
        campaign("text: 第一项", "text: 第一项 # 注"),
        f"{T}:14:15: warning: end-of-line comment '# 注': YAML ends the value before it (a ' #' "
        "typed into a text cuts the text short; put the text in double quotes), and writes drop it",
        ok=campaign("text: 第一项", 'text: "第一项 # 注"')),
    # The campaign's own fields.
    "campaign-id": Case(campaign("id: coal-mine", "id: Coal-Mine"),
                        f"{T}:1:5: error: campaign id 'Coal-Mine' must be a lowercase slug like 'coal-mine'",
                        also=frozenset({"file-name"})),
    "campaign-number": Case(campaign("number: 4", "number: 10000"),
                            f"{T}:2:9: error: campaign number 10000 must be between 0 and 9999",
                            also=frozenset({"file-name", "task-id"})),
    "file-name": Case(files(coal__yaml=MINI_CAMPAIGN),
                      "tasks/coal.yaml:1:5: warning: file name should be 04-coal-mine.yaml (number and id)"),
    "declared-counts": Case(campaign("declared: {tasks: 2, items: 3}", "declared: {tasks: -2, items: 3}"),
                            f"{T}:5:11: error: declared counts cannot be negative",
                            also=frozenset({"declared-vs-present"})),
    "declared-vs-present": Case(
        campaign("declared: {tasks: 2, items: 3}", "declared: {tasks: 2, items: 4}"),
        f"{T}:5:11: warning: campaign 4: declared 2条4项, present 2条3项 (no source_note explains it)"),
    "removal-reason": Case(campaign("tasks:\n", "removed: [{id: 4.2.2, reason: ' '}]\ntasks:\n"),
                           f"{T}:8:31: error: removal of 4.2.2: say why it was removed",
                           ok=campaign("tasks:\n", "removed: [{id: 4.2.2, reason: 与4.2.1重复}]\ntasks:\n")),
    # Ids.
    "task-id": Case(campaign('- id: "4.2"', '- id: "4.2a"'),
                    f"{T}:20:7: error: task id '4.2a' must be '4.<task number>'", also=frozenset({"item-id"})),
    "task-order": Case(files(**{"04-coal-mine__yaml": MINI_CAMPAIGN.replace(TASK_4_1, "") + TASK_4_1}),
                       f"{T}:17:7: warning: task 4.1 is out of order"),
    "item-id": Case(campaign("- id: 4.2.1", "- id: 4.2.01"),
                    f"{T}:25:9: error: item id '4.2.01' does not match its place: expected '4.2.1'"),
    "item-gone": Case(campaign("- id: 4.1.2", "- id: 4.1.3"),
                      f"{T}:16:9: error: item 4.1.2 is gone from task 4.1; restore it, or record its "
                      "removal: removed: [{id: 4.1.2, reason: …}]",
                      ok=campaign("- id: 4.1.2", "- id: 4.1.3",
                                  ("tasks:\n", "removed: [{id: 4.1.2, reason: 与4.1.1重复}]\ntasks:\n"))),
    "duplicate-id": Case(campaign("- id: 4.1.2", "- id: 4.1.1"),
                         f"{T}:16:9: error: duplicate id '4.1.1'",
                         also=frozenset({"item-id"})),
    "duplicate-across-files": Case(
        files(**{"04-coal-mine__yaml": MINI_CAMPAIGN,
                 "04-coal-mine-copy__yaml": MINI_CAMPAIGN.replace("id: coal-mine", "id: coal-mine-copy")}),
        "tasks/04-coal-mine-copy.yaml:1:1: error: duplicate campaign number '4' (also in "
        "tasks/04-coal-mine.yaml)", also=frozenset({"listed-twice"}),
        ok=files(**{"04-coal-mine__yaml": MINI_CAMPAIGN, "05-other__yaml": MINI_CAMPAIGN.replace(
            "id: coal-mine\nnumber: 4", "id: other\nnumber: 5").replace('"4.', '"5.').replace(" 4.", " 5.")})),
    # Who is responsible.
    "empty-department": Case(campaign("  - 市应急管理局\n", '  - ""\n'),
                             f"{T}:11:5: error: empty department name"),
    "unknown-department": Case(campaign("  - 市应急管理局\n", "  - 市应急管理\n"),
                               f"{T}:11:5: error: unknown department '市应急管理'; did you mean "
                               "市应急管理局、市、县应急管理局、孝义市应急管理局?"),
    "department-alias": Case(campaign("  - 市应急管理局\n", "  - 市应急局\n"),
                             f"{T}:11:5: error: '市应急局' is an alias: write the canonical name '市应急管理局'"),
    "duplicate-department": Case(campaign("  - 市应急管理局\n", "  - 市应急管理局\n  - {name: 市应急管理局, role: lead}\n"),
                                 f"{T}:12:5: error: department '市应急管理局' is listed twice"),
    "unassigned": Case(campaign("  departments:\n  - 市应急管理局\n", "  departments: []\n"),
                       f"{T}:9:7: warning: task 4.1 names no responsible department (unassigned)"),
    "departments-inferred": Case(files(**{"04-coal-mine__yaml": MINI_INFERRED}),
                                 f"{T}:32:25: warning: task 4.3: departments inferred from a merged "
                                 "cell, to confirm (`safetylist assign` a department confirms them)",
                                 ok=files(**{"04-coal-mine__yaml": MINI_INFERRED.replace(
                                     "departments_inferred: true", "departments_inferred: false")})),
    # Items and their history.
    "empty-text": Case(campaign("text: 第一项", 'text: " "'), f"{T}:14:11: error: item 4.1.1: text is empty"),
    "task-without-items": Case(files(**{"04-coal-mine__yaml": MINI_CAMPAIGN + NO_ITEMS}),
                               f"{T}:28:7: warning: task 4.3 has no items (source gap; no source_note "
                               "explains it)"),
    "status-matches-history": Case(
        files(**{"04-coal-mine__yaml": history(status="done")}),
        f"{T}:15:13: error: item 4.1.1: status 'done' but no history entry records it; record a "
        "change with `safetylist update` rather than by editing status",
        ok=files(**{"04-coal-mine__yaml": history(f"date: 2022-06-01, status: done, {BY}", status="done")})),
    "history-order": Case(
        files(**{"04-coal-mine__yaml": history(f"date: 2022-06-01, status: done, {BY}",
                                               f"date: 2022-05-01, status: in_progress, {BY}",
                                               status="done")}),
        f"{T}:17:5: warning: item 4.1.1: history is not in date order; `safetylist fmt` sorts it",
        ok=files(**{"04-coal-mine__yaml": history(f"date: 2022-05-01, status: in_progress, {BY}",
                                                  f"date: 2022-06-01, status: done, {BY}",
                                                  status="done")})),
    "period-entry-done": Case(
        files(**{"04-coal-mine__yaml": history(f"date: 2022-06-30, status: in_progress, period: 2022-06, {BY}",
                                               status="in_progress", extra=MONTHLY)}),
        f"{T}:19:7: error: item 4.1.1: an entry naming period 2022-06 must be 'done'",
        ok=files(**{"04-coal-mine__yaml": history(f"date: 2022-06-30, status: done, period: 2022-06, {BY}",
                                                  status="in_progress", extra=MONTHLY)})),
    "period-needs-recurrence": Case(
        files(**{"04-coal-mine__yaml": history(f"date: 2022-06-30, status: done, period: 2022-06, {BY}",
                                               status="in_progress")}),
        f"{T}:17:5: error: item 4.1.1: history names a period but the item has no recurrence"),
    "recurrence-rule": Case(
        files(**{"04-coal-mine__yaml": history(extra=MONTHLY.replace("FREQ=MONTHLY;BYMONTHDAY=-1", "MONTHLY"))}),
        f"{T}:16:17: error: item 4.1.1: recurrence: 'MONTHLY' is not an RRULE: it needs FREQ=, e.g. "
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        ok=files(**{"04-coal-mine__yaml": history(extra=MONTHLY)})),
    "correction-target": Case(
        files(**{"04-coal-mine__yaml": history("date: 2022-01-01, status: not_started, undoes: 9")}),
        f"{T}:17:7: error: item 4.1.1: entry 1 takes back entry 9, which is not an earlier entry "
        "(none comes before it)",
        ok=files(**{"04-coal-mine__yaml": history(f"date: 2022-01-01, status: done, {BY}",
                                                  "date: 2022-01-02, status: not_started, undoes: 1")})),
    # The departments file.
    "defined-twice": Case(departments("- name: 市能源局\n", "- name: 市能源局\n- name: 市能源局\n"),
                          "departments.yaml:8:1: error: '市能源局' is defined twice"),
    "alias-conflict": Case(departments("- name: 市能源局\n", "- name: 市能源局\n  aliases: [市应急局]\n"),
                           "departments.yaml:7:1: error: alias '市应急局' of '市能源局' also names '市应急管理局'"),
    "county-kind": Case(departments("  county_kind: 应急管理局", "  county_kind: 应急局"),
                        "departments.yaml:9:1: error: group '市、县应急管理局': unknown county_kind '应急局'"),
    "group-member": Case(departments("  members: [市应急管理局]", "  members: [市应急管理]"),
                         "departments.yaml:9:1: error: group '市、县应急管理局': member '市应急管理' is not a "
                         "known department"),
    # The manifest, the tasks/ folder, and each file against its index.
    "listed-twice": Case(listed_twice, "registry.yaml:10:3: error: campaign number 4 is listed twice "
                         "(first at line 6)"),
    "plain-file-name": Case(after(("registry.yaml", '  file: "04-coal-mine.yaml"', '  file: "../04-coal-mine.yaml"')),
                            "registry.yaml:6:3: error: file '../04-coal-mine.yaml' must be a plain file "
                            "name in tasks/", also=frozenset({"missing-file", "unlisted-file"})),
    "period-order": Case(after(("registry.yaml", "period: {start: 2022-01-01, end: 2022-12-31}",
                                "period: {start: 2022-12-31, end: 2022-01-01}")),
                         "registry.yaml:4:9: error: period: end is before start"),
    "no-manifest": Case(without_manifest, "registry.yaml:1:1: warning: no registry.yaml: the registry has "
                        "no manifest, so a missing campaign file or a removed task cannot be detected"),
    "missing-file": Case(deleted("tasks/04-coal-mine.yaml"),
                         "registry.yaml:6:1: error: campaign file tasks/04-coal-mine.yaml is listed but "
                         "missing; restore it (`git checkout -- <file>` or `git log -- <file>`), or remove "
                         "its entry from registry.yaml if the campaign is dropped on purpose"),
    "unlisted-file": Case(added("tasks/notes.txt", "x"),
                          "tasks/notes.txt:1:1: error: not listed in registry.yaml: list it under campaigns "
                          "(number, id, file, index), or move it out of tasks/"),
    "link-outside": Case(linked_outside, "tasks/05-x.yaml:1:1: error: leads outside the registry's tasks/ "
                         "folder (a link?); replace it with the file itself"),
    "entry-matches-file": Case(after(("registry.yaml", '  id: "coal-mine"', '  id: "coal"')),
                               "registry.yaml:6:1: error: 04-coal-mine.yaml: listed as campaign 4 'coal', "
                               "but the file holds campaign 4 'coal-mine'"),
    "file-matches-index": Case(after(("registry.yaml", '"4.1": 2', '"4.1": 3')),
                               f"{T}:1:1: error: item 4.1.3 is gone from task 4.1; restore it, or record "
                               "its removal: removed: [{id: 4.1.3, reason: …}]",
                               ok=after(("registry.yaml", '"4.1": 2', '"4.1": 3'),
                                        (T, "tasks:\n", "removed: [{id: 4.1.3, reason: 误列}]\ntasks:\n"))),
    "not-in-index": Case(after(("registry.yaml", '"4.1": 2', '"4.1": 1')),
                         f"{T}:1:1: warning: item(s) 4.1.2 not in registry.yaml's index; add to the index "
                         "what the notice gives, so a later removal cannot go unnoticed"),
}


@pytest.fixture
def env(make_registry, tmp_path, monkeypatch) -> Env:
    return Env(make_registry, tmp_path, monkeypatch)


def problems(runner, data: Path) -> tuple[int, list[str]]:
    """The exit code of `check`, and its problem lines with the registry's folder left out."""
    result = runner.invoke(app, ["check", "--data", str(data)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    prefix = f"{data}{os.sep}"
    return result.exit_code, [line.replace(prefix, "") for line in result.stderr.splitlines()
                              if re.match(r"^.+:\d+:\d+: (error|warning): ", line)]


def test_every_rule_has_a_failing_and_a_passing_case():
    assert set(CASES) == set(rules.BY_ID)


@pytest.mark.parametrize("rule_id", [r.id for r in rules.RULES])
def test_the_failing_case_breaks_the_rule_and_says_where(runner, env, rule_id):
    case = CASES[rule_id]
    code, lines = problems(runner, case.fail(env))
    rule = rules.BY_ID[rule_id]
    assert f"{case.line} [{rule_id}]" in lines, lines
    found = [LINE.match(line) for line in lines]
    assert all(found), lines  # every problem names its rule
    assert {m["rule"] for m in found if m} == {rule_id} | case.also
    assert all(m["level"] == rules.BY_ID[m["rule"]].level for m in found if m)
    assert code == (1 if any(m["level"] == "error" for m in found if m) else 0)
    assert rule.level in case.line


@pytest.mark.parametrize("rule_id", [r.id for r in rules.RULES])
def test_the_passing_case_keeps_to_the_rule(runner, env, rule_id):
    code, lines = problems(runner, CASES[rule_id].ok(env))
    assert (code, lines) == (0, [])


def test_rule_ids_levels_and_targets():
    ids = [r.id for r in rules.RULES]
    assert len(ids) == len(set(ids))
    for r in rules.RULES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.id), r.id
        assert r.level in (rules.ERROR, rules.WARNING)
        assert r.target in rules.TARGETS
        assert (r.check is None) == (r.target in rules.READING), r.id


@pytest.mark.parametrize("rule_id", [r.id for r in rules.RULES])
def test_every_rule_says_what_why_an_example_and_the_fix(rule_id):
    doc = rules.BY_ID[rule_id].doc
    paragraphs = doc.split("\n\n")
    assert paragraphs[0].rstrip().endswith("."), doc
    assert re.search(r"^Why: ", doc, re.M) and re.search(r"^Fails:", doc, re.M) and re.search(r"^Fix: ", doc, re.M), doc


def test_docs_rules_md_is_generated_from_the_rules():
    doc = ROOT / "docs" / "rules.md"
    assert doc.read_text(encoding="utf-8") == rules.markdown(), (
        "docs/rules.md is out of date: python -m safetylist.rules --markdown > docs/rules.md")


def test_python_m_safetylist_rules_lists_and_documents_the_rules(capsys):
    from safetylist.rules.__main__ import main

    assert main([]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(rules.RULES) and out[0].split()[:2] == [rules.RULES[0].id, rules.RULES[0].level]
    assert main(["--wrong"]) == 2


def test_fmt_sets_a_status_edited_by_hand_and_names_the_rule(runner, env):
    data = files(**{"04-coal-mine__yaml": history(status="done")})(env)
    result = runner.invoke(app, ["fmt", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert f"{T}:15:13: warning: item 4.1.1: status 'done' but no history entry records it; fmt sets " \
           "it to what the history and shares say [status-matches-history]" in \
           [line.removeprefix(f"{data}{os.sep}") for line in result.stderr.splitlines()]
    assert problems(runner, data) == (0, [])


def test_the_rules_that_span_files_are_all_in_the_family_every_load_imports():
    for target in rules.SPANNING:
        assert rules.of(target) == tuple(r for r in rules.RULES if r.target == target)
        assert rules.of(target)
    assert {r.target for r in rules.whole.RULES} - set(rules.SPANNING) == {"manifest"}


def test_a_load_from_the_parse_cache_imports_only_the_rules_that_span_files(make_registry, tmp_path):
    """A warm load runs the `folder`, `index` and `registry` rules, and imports nothing else of
    the rules, nor anything heavy."""
    import subprocess
    import sys

    data = make_registry()
    code = (f"import sys; from pathlib import Path; from safetylist.registry import load; "
            f"assert load(Path({str(data)!r}))[1] == []; "
            "print(sorted(m for m in sys.modules if m.startswith('safetylist.rules.') "
            "or m in ('yaml', 'pydantic', 'dateutil', 'rich')))")
    env = dict(os.environ, SAFETYLIST_CACHE=str(tmp_path / "cache"))
    for _ in range(2):  # the first fills the cache
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['safetylist.rules.base', 'safetylist.rules.whole']"

