"""Resolving what a user typed, and who sees which work."""

from __future__ import annotations

import pytest
import yaml

from safetylist.departments import Directory
from safetylist.errors import UsageError
from safetylist.models import DepartmentsFile
from safetylist.registry import load_directory

from conftest import DATA, MINI_DEPARTMENTS


@pytest.fixture(scope="module")
def directory():
    d, problems, _ = load_directory(DATA)
    assert problems == []
    return d


@pytest.mark.parametrize("typed, canonical", [
    ("市应急管理局", "市应急管理局"),          # canonical
    ("市应急局", "市应急管理局"),              # alias
    ("市教局", "市教育局"),                    # the notice's typo
    ("孝义应急", "孝义市应急管理局"),          # characters in order
    ("执法五处", "国家矿山安全监察局山西局执法五处"),
    ("兴县", "兴县人民政府"),                  # a county is its government
    (" 市能源局 ", "市能源局"),
    # As clerks type them: full official names, traditional characters, spaces, full width.
    ("吕梁市应急管理局", "市应急管理局"),
    ("山西省吕梁市能源局", "市能源局"),
    ("吕梁市邮政管理局", "吕梁邮政管理局"),    # 市邮政管理局 is one of its aliases
    ("吕梁机场", "吕梁机场"),                  # a name that starts with 吕梁 stays itself
    ("市應急管理局", "市应急管理局"),
    ("孝義市應急管理局", "孝义市应急管理局"),
    ("孝义市 应急管理局", "孝义市应急管理局"),
    ("孝义市\u3000应急管理局", "孝义市应急管理局"),
    ("孝义 应急", "孝义市应急管理局"),
    ("吕梁市 政管理局", "吕梁邮政管理局"),    # the notice's own misprint, with its space
    ("各县(市、区)政府", "各县（市、区）政府"),
    ("各县（市、区）政府", "各县（市、区）政府"),
])
def test_resolve(directory, typed, canonical):
    assert directory.resolve(typed) == canonical


def test_ambiguous_and_unknown_names(directory):
    with pytest.raises(UsageError, match=r"^department '应急管理局' is ambiguous: it matches \d+ names: "):
        directory.resolve("应急管理局")
    with pytest.raises(UsageError, match="unknown department '火星局'"):
        directory.resolve("火星局")
    with pytest.raises(UsageError, match="did you mean 市应急管理局"):
        directory.resolve("市应急管里局")


def test_visibility(directory):
    assert directory.visible("市应急管理局") == {"市应急管理局", "市、县应急管理局"}
    assert directory.visible("孝义市应急管理局") == {"孝义市应急管理局", "市、县应急管理局", "各县市区应急管理局"}
    assert directory.visible("孝义市人民政府") == {"孝义市人民政府", "各县（市、区）政府", "各县市区党委政府"}
    assert len(directory.members["各县市区应急管理局"]) == 13


def test_inconsistent_departments_file_is_reported(tmp_path):
    spec = yaml.safe_load(MINI_DEPARTMENTS)
    spec["departments"].append({"name": "市能源局"})
    spec["departments"].append({"name": "市财政局", "aliases": ["市应急局"]})
    spec["groups"].append({"name": "坏组", "members": ["不存在"], "county_kind": "火星局"})
    from safetylist.validate import parse_departments

    path = tmp_path / "departments.yaml"
    _, problems = parse_departments(path, yaml.safe_dump(spec, allow_unicode=True))
    assert [(p.line, p.message, p.rule) for p in problems] == [
        (12, "'市能源局' is defined twice", "defined-twice"),
        (13, "alias '市应急局' of '市财政局' also names '市应急管理局'", "alias-conflict"),
        (21, "group '坏组': unknown county_kind '火星局'", "county-kind"),
        (21, "group '坏组': member '不存在' is not a known department", "group-member"),
    ]
    # The directory keeps the first definition of a name and leaves the conflicting alias out.
    from safetylist.validate import _adapter

    d = Directory.build(_adapter(DepartmentsFile).validate_python(spec))
    assert d.canonical("市应急局") == "市应急管理局" and d.entries["市能源局"].aliases == []


def test_a_short_name_of_a_city_department_says_whose_it_is(directory):
    assert directory.short_name_note("应急局") == (
        "'应急局' is read as 市应急管理局, the city's; for a county's, name the county: "
        "孝义应急 (孝义市应急管理局)")
    assert directory.short_name_note("市场监管局") == (
        "'市场监管局' is read as 市市场监管局, the city's; for a county's, name the county: "
        "孝义市场监管 (孝义市市场监管局)")
    assert directory.resolve("孝义应急") == "孝义市应急管理局"
    assert directory.resolve("孝义市场监管") == "孝义市市场监管局"
    # Names that say whose they are, and kinds no county has, need no note.
    for typed in ("市应急局", "市应急管理局", "吕梁市应急管理局", "孝义应急", "市市场监管局", "教育局",
                  "执法五处", "市、县应急管理局"):
        assert directory.short_name_note(typed) is None, typed


def test_unknown_official_names_suggest_the_nearest(directory):
    with pytest.raises(UsageError, match=r"unknown department '吕梁市火星局'"):
        directory.resolve("吕梁市火星局")
    with pytest.raises(UsageError, match="empty department name"):
        directory.resolve(" \u3000 ")


def test_an_official_alias_resolves_with_the_citys_name_and_in_traditional_characters():
    spec = yaml.safe_load(MINI_DEPARTMENTS)
    spec["departments"].append({"name": "市交通局", "aliases": ["市交通运输局"]})
    from safetylist.validate import _adapter

    d = Directory.build(_adapter(DepartmentsFile).validate_python(spec))
    assert d.left_out == []
    for typed in ("市交通运输局", "吕梁市交通运输局", "吕梁市交通運輸局", "山西省吕梁市 交通运输局", "市交通运输局\u3000"):
        assert d.resolve(typed) == "市交通局", typed
