"""The cell reading that import-notice and tools/build_registry.py share."""

from __future__ import annotations

import pytest
import yaml

from safetylist.departments import Directory
from safetylist.importer.cells import LABEL, read_cell, split_deadline, split_items, tokens
from safetylist.validate import _adapter
from safetylist.models import DepartmentsFile

from conftest import FIXTURE

DIRECTORY = Directory.build(_adapter(DepartmentsFile).validate_python(
    yaml.safe_load((FIXTURE / "departments.yaml").read_text(encoding="utf-8"))))


@pytest.mark.parametrize("text, lead, items, labels", [
    ("(1) 甲。(2) 乙。", "", ["甲。", "乙。"], [1, 2]),
    ("加强监管：（1）甲；（2）乙。", "加强监管：", ["甲；", "乙。"], [1, 2]),
    ("①甲②乙③丙", "", ["甲", "乙", "丙"], [1, 2, 3]),
    ("1.甲\n2、乙\n3．丙", "", ["甲", "乙", "丙"], [1, 2, 3]),
    ("提高到1.5倍，(2) 乙", "提高到1.5倍，", ["乙"], [2]),
    ("没有编号的一段\n文字", "", ["没有编号的一段 文字"], []),
    ("  ", "", [], []),
])
def test_split_items(text, lead, items, labels):
    assert split_items(text) == (lead, items, labels)


def test_the_2022_labels_are_ascii_parentheses_only():
    assert split_items("（1）甲 (1) 乙", LABEL) == ("（1）甲", ["乙"], [1])


def test_split_deadline():
    assert split_deadline("市应急管理局 2022年6月底前") == ("市应急管理局", "2022年6月底前")
    assert split_deadline("市应急管理局") == ("市应急管理局", None)


def test_tokens_keep_the_group_phrases_whole():
    assert tokens("市、县应急管理局、各县（市、区）政府及各企业") == ["市、县应急管理局", "各县（市、区）政府", "各企业"]


def names(text):
    return [(n.printed, n.canonical, n.role) for n in read_cell(text, DIRECTORY.canonical)]


def test_roles_as_the_cells_state_them():
    assert names("市应急管理局牵头，市工信局、市、县应急管理局配合") == [
        ("市应急管理局", "市应急管理局", "lead"), ("市工信局", "市工信局", "support"),
        ("市、县应急管理局", "市、县应急管理局", "support")]
    assert names("市应急管理局督促指导，各企业具体落实") == [
        ("市应急管理局", "市应急管理局", "supervise"), ("各企业", "各企业", "implement")]
    assert names("牵头单位：市能源局；配合单位：市应急局") == [
        ("市能源局", "市能源局", "lead"), ("市应急局", "市应急管理局", "support")]
    assert names("市住建局牵头") == [("市住建局", "市住建局", "lead")]


def test_a_prefix_written_once_applies_to_the_short_names_after_it():
    assert names("市、县工信局、商务局") == [("市、县工信局", "市、县工信局", None),
                                          ("商务局", "市、县商务局", None)]


def test_a_name_broken_by_a_line_break_is_joined_and_a_closing_等部门_dropped():
    assert names("市交\n通局、市住建局等部门") == [("市交通局", "市交通局", None), ("市住建局", "市住建局", None)]


def test_unknown_names_are_kept_as_printed_and_each_name_once():
    assert names("县应急局、市应急管理局、市应急局") == [("县应急局", None, None),
                                                  ("市应急管理局", "市应急管理局", None)]
