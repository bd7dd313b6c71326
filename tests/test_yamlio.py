"""Safe reading with positions, and the one-line scalars of the canonical writer."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from safetylist import yamlio
from safetylist.validate import parse_manifest
from safetylist.yamlio import YamlSyntaxError, load_located, scalar


@pytest.mark.parametrize("value", [
    "煤矿安全专项整治", "4.15", "4.15.2", "yes", "null", "2022-06-30", "a: b", "#x", " lead", "trail ",
    "[bold]x[/bold]", "引号\"和\\反斜杠", "tab\there", "line\nbreak", "\x1b[31m", "\u2028", "\ufeff",
    "", "😀", "- dash", "{brace}", "x #y",
])
def test_scalars_read_back_as_themselves(value):
    for flow in (False, True):
        text = scalar(value, flow=flow)
        assert "\n" not in text
        doc = f"k: {{v: {text}}}" if flow else f"k: {text}"
        assert yaml.safe_load(doc)["k"] == ({"v": value} if flow else value)
        located = load_located(doc).data["k"]
        assert located == ({"v": value} if flow else value)


def test_dates_and_numbers():
    assert scalar(dt.date(2022, 6, 30)) == "2022-06-30"
    assert scalar(3) == "3" and scalar(True) == "true" and scalar(None) == "null"


def test_positions_duplicates_aliases():
    located = load_located("a: 1\nb:\n  - x\n  - {c: 2}\na: 3\nd: &x [1]\ne: *x\n")
    assert located.position(("b", 1, "c")) == (4, 9)
    assert located.key_position(("b",)) == (2, 1)
    assert [(rule, m) for _, _, rule, m in located.problems] == [
        ("duplicate-key", "duplicate key 'a' (first at line 1)"),
        ("anchors", "anchors and aliases are not allowed in registry files")]


def _count_passes(monkeypatch):
    """How many times a document's events are read (the first read, then one per positions pass)."""
    runs = []
    original = yamlio._Events.run

    def counted(self):
        runs.append(1)
        return original(self)

    monkeypatch.setattr(yamlio._Events, "run", counted)
    return runs


def test_a_path_the_document_lacks_is_looked_for_once(monkeypatch):
    located = load_located("a: 1\nb: [x]\n")
    runs = _count_passes(monkeypatch)
    for _ in range(3):
        assert located.position(("b", 5)) == (2, 4)  # its nearest parent
        assert located.key_position(("zz",)) is None
    assert len(runs) == 2  # one pass for each missing path, never again


def test_a_manifests_entries_are_placed_in_one_pass(monkeypatch, tmp_path):
    entries = "".join(f"- {{number: {n}, id: c{n}, file: {n:02}-c{n}.yaml, index: {{'{n}.1': 1}}}}\n"
                      for n in range(1, 61))
    text = ("notice: 合成〔2022〕1号\ntitle: t\nissued_by: o\n"
            "period: {start: 2022-01-01, end: 2022-12-31}\ncampaigns:\n" + entries)
    runs = _count_passes(monkeypatch)
    manifest, lines, problems = parse_manifest(tmp_path / "registry.yaml", text)
    assert manifest is not None and problems == []
    assert lines == list(range(6, 66))
    assert len(runs) == 2  # the read, and one pass for all 60 entries' lines (not 60)


def test_syntax_error_is_located():
    with pytest.raises(YamlSyntaxError) as info:
        load_located("a: [1, 2\nb: 3\n")
    assert (info.value.line, info.value.col) == (2, 2)


# Every reader reads the same string ---------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from safetylist.yamlio import UnwritableText  # noqa: E402


def _readers():
    from ruamel.yaml import YAML

    yaml12 = YAML(typ="safe", pure=True)  # the YAML 1.2 core schema
    return (lambda doc: yaml.safe_load(doc)), yaml12.load


@pytest.mark.parametrize("value", ["1e3", "1.5e3", "0o17", ".inf", "-.Inf", ".NaN", "0x1F", "+1",
                                   "1_000", "yes", "off", "~", "NULL", "2022-01-01", "12:30", "4.15"])
def test_what_yaml_1_1_or_1_2_reads_as_a_non_string_is_quoted(value):
    assert scalar(value).startswith('"')
    for read in _readers():
        assert read(f"k: {scalar(value)}\n") == {"k": value}


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_every_string_reads_back_the_same_in_yaml_1_1_and_1_2(text):
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        with pytest.raises(UnwritableText):
            scalar(text)
        return
    for read in _readers():
        assert read(f"k: {scalar(text)}\n") == {"k": text}
        assert read(f"{{k: {scalar(text, flow=True)}}}\n") == {"k": text}
