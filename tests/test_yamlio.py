"""Safe reading with positions, and the one-line scalars of the canonical writer."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

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
    assert located.key_marks[("b",)] == (2, 1)
    assert [m for _, _, m in located.problems] == [
        "duplicate key 'a' (first at line 1)", "anchors and aliases are not allowed in registry files"]


def test_syntax_error_is_located():
    with pytest.raises(YamlSyntaxError) as info:
        load_located("a: [1, 2\nb: 3\n")
    assert (info.value.line, info.value.col) == (2, 2)
