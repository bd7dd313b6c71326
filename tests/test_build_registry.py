"""tools/build_registry.py: the registry as the tool builds it from the notice's text.

The tool runs once into a temporary folder; every test reads what it wrote there, so these
tests do not depend on the live data/ folder (which clerks change), only on the notice.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter

import pytest
import yaml

from safetylist.cli import app
from safetylist.registry import load

from conftest import LIVE, ROOT, SOURCE


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A registry folder made by the build tool: tasks/, registry.yaml, departments.yaml."""
    data = tmp_path_factory.mktemp("built") / "data"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_registry.py"),
                             "--out", str(data / "tasks")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    shutil.copy(LIVE / "departments.yaml", data / "departments.yaml")
    return data


@pytest.fixture(scope="module")
def registry(built):
    reg, problems = load(built)
    assert reg is not None and [p for p in problems if p.level == "error"] == []
    return reg


def task(registry, ident):
    number = int(ident.split(".")[0])
    (c,) = [c for c in registry.campaigns if c.number == number]
    (t,) = [t for t in c.tasks if t.id == ident]
    return t


def texts(t):
    return [i.text for i in t.items]


# 1. Campaign 5, rows 8-11 ----------------------------------------------------------------


def test_campaign_5_reads_a_second_1_as_the_next_row(registry):
    (c5,) = [c for c in registry.campaigns if c.number == 5]
    assert [(t.id, len(t.items)) for t in c5.tasks][6:11] == [
        ("5.7", 1), ("5.8", 2), ("5.9", 1), ("5.10", 2), ("5.11", 1)]
    assert (sum(1 for t in c5.tasks if t.items), sum(len(t.items) for t in c5.tasks)) == (18, 27)
    assert texts(task(registry, "5.8"))[1].startswith("加强企业全员安全培训")
    assert texts(task(registry, "5.9")) == [
        "充分发挥保险机构参与风险管控和事故预防功能，完善以保险机构为平台的非煤矿山安全生产社会化服务体系，"
        "实现保险机构、安全生产技术服务机构和企业多方共建共治、共赢共享的安全生产工作新格局，有效防范和减少"
        "事故发生，进一步提升非煤矿山安全生产保障能力。"]
    assert [i[:6] for i in texts(task(registry, "5.10"))] == ["落实《小型金", "新建金属非金"]
    (item,) = task(registry, "5.11").items
    assert (item.deadline.date.isoformat(), item.deadline.text) == ("2022-06-30", "2022年6月底前")
    # Row 9 prints no department cell: row 8's is read as merged over it, and marked so.
    t9 = task(registry, "5.9")
    assert ([a.name for a in t9.departments], t9.departments_inferred) == (["市、县应急管理局"], True)
    assert "18条27项" in t9.source_note and "inferred, to confirm" in t9.source_note
    assert "row 10" in task(registry, "5.10").source_note


def test_check_shows_campaign_5_as_ok(runner, built):
    result = runner.invoke(app, ["check", "--data", str(built)])
    assert result.exit_code == 0, result.output
    (row,) = [line.split() for line in result.stdout.splitlines() if line.split()[:2] == ["5", "non-coal-mine"]]
    assert row[-5:] == ["18", "18", "27", "27", "ok"]
    assert "task 5.11 has no items" not in result.stderr


# 2. Vertically merged cells ---------------------------------------------------------------


INFERRED = ["2.4", "2.9", "2.11", "2.12", "2.13", "2.14", "2.15", "2.16", "5.9", "6.5"]


def test_rows_under_a_merged_cell_take_its_departments_and_deadline_marked_inferred(registry):
    inferred = [t.id for c in registry.campaigns for t in c.tasks if t.departments_inferred]
    assert inferred == INFERRED
    for ident, cell_of in [("2.4", "2.3"), ("2.9", "2.8"), ("2.16", "2.8"), ("6.5", "6.4")]:
        t, source = task(registry, ident), task(registry, cell_of)
        assert (t.departments, t.departments_text, t.deadline) == (
            source.departments, source.departments_text, source.deadline), ident
        assert not source.departments_inferred
        assert "vertically merged" in t.source_note and "inferred, to confirm" in t.source_note
    assert task(registry, "2.9").deadline.text == "2022年底"
    assert task(registry, "6.5").deadline.text == "2022年底前"
    # Still without a department: the rows that no merged cell explains, and the lost row.
    unassigned = [t.id for c in registry.campaigns for t in c.tasks if t.items and not t.departments]
    assert unassigned == ["2.24", "9.8", "9.9", "9.10"]
    assert task(registry, "2.10").items == [] and task(registry, "2.10").departments == []


def test_unassigned_lists_the_inferred_rows_apart(runner, built):
    result = runner.invoke(app, ["unassigned", "--format", "json", "--data", str(built)])
    assert result.exit_code == 0, result.output
    got = {}
    for r in json.loads(result.stdout):
        got.setdefault(r["departments_inferred"], []).append(r["id"].rsplit(".", 1)[0])
    assert sorted(set(got[True]), key=lambda i: tuple(map(int, i.split(".")))) == INFERRED
    assert sorted(set(got[False]), key=lambda i: tuple(map(int, i.split(".")))) == [
        "2.24", "9.8", "9.9", "9.10"]


# 3. Deadline phrases ---------------------------------------------------------------------


def test_one_deadline_pattern_for_every_phrase(registry):
    found = {ident: task(registry, ident.rsplit(".", 1)[0]).items[int(ident.rsplit(".", 1)[1]) - 1].deadline
             for ident in ("1.5.2", "6.27.1", "4.4.1", "4.16.1")}
    assert {k: (d.date.isoformat(), d.text) for k, d in found.items()} == {
        "1.5.2": ("2022-12-31", "到2022年底"), "6.27.1": ("2022-12-31", "2022年底"),
        "4.4.1": ("2022-12-31", "2022年底"), "4.16.1": ("2022-12-31", "到2022年底")}


def test_the_deadline_cell_in_the_4_12_to_4_15_block_is_row_14s(registry):
    assert [task(registry, f"4.{n}").deadline for n in (12, 13, 15)] == [None, None, None]
    t14 = task(registry, "4.14")
    assert (t14.deadline.date.isoformat(), t14.deadline.text) == ("2022-12-31", "2022年底前")
    assert "row 14's deadline" in t14.source_note and "row 15's" in t14.source_note


# 4. Campaign leads ------------------------------------------------------------------------


def campaign_leads(registry):
    """The rule written in departments.yaml, applied: per campaign, the departments named 牵头;
    else the city departments its items name most often (a group counting for its city member,
    inferred rows not counted), every one of them on a tie."""
    d = registry.directory
    leads = {}
    for c in registry.campaigns:
        if c.number == 0:
            continue
        named = {a.name for t in c.tasks for a in t.departments if a.role == "lead"}
        if named:
            leads[c.number] = named
            continue
        counts = Counter()
        for t in c.tasks:
            if t.departments_inferred:
                continue
            for i in t.items:
                city = set()
                for a in (i.departments if i.departments is not None else t.departments):
                    for n in [a.name, *d.members.get(a.name, ())]:
                        e = d.entries.get(n)
                        if e is not None and e.kind == "department" and e.level == "city":
                            city.add(n)
                counts.update(city)
        top = max(counts.values())
        leads[c.number] = {n for n, k in counts.items() if k == top}
    return leads


def test_the_lead_group_is_the_stated_rule_applied(registry):
    leads = campaign_leads(registry)
    assert leads[4] == {"市能源局"} and leads[1] == {"市委宣传部"} and leads[6] == {"市消防救援支队"}
    assert leads[2] == {"市住建局", "市交通局", "市应急管理局"}
    members = registry.directory.members["各专题专项整治牵头部门"]
    assert members == frozenset(set().union(*leads.values()))
    comments = "".join(line for line in (LIVE / "departments.yaml").read_text(encoding="utf-8")
                       .splitlines(keepends=True) if line.startswith("#"))
    assert "most often" in comments and all(n in comments for n in members)


def test_every_campaign_lead_sees_the_monthly_report_and_the_quarterly_meeting(runner, built,
                                                                              registry):
    for lead in sorted(set().union(*campaign_leads(registry).values())):
        result = runner.invoke(app, ["due", "--dept", lead, "--campaign", "0", "--format", "ids",
                                     "--data", str(built)])
        assert {"0.1.1", "0.2.1"} <= set(result.stdout.split()), lead


# 5. Campaign 0 ------------------------------------------------------------------------------


def test_campaign_0_holds_the_bodys_requirements_verbatim(registry):
    (c0,) = [c for c in registry.campaigns if c.number == 0]
    body = "".join(SOURCE.read_text(encoding="utf-8").split("\n")[16:31])  # lines 17-31
    got = {i.id: ([a.name for a in t.departments], i.recurrence) for t in c0.tasks for i in t.items}
    assert got == {
        "0.1.1": (["各县（市、区）政府", "各专题专项整治牵头部门"], "FREQ=MONTHLY;BYMONTHDAY=-1"),
        "0.2.1": (["各专题专项整治牵头部门"], "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"),
        "0.2.2": (["各专题专项整治牵头部门"], None),
        "0.2.3": (["各专题专项整治牵头部门"], None),
        "0.3.1": (["市政府安委办"], "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"),
        "0.3.2": (["市政府安委办"], "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"),
        "0.4.1": (["各县（市、区）政府", "各部门"], None),
        "0.5.1": (["各部门"], None),
        "0.5.2": (["各部门"], None),
    }
    items = {i.id: i for t in c0.tasks for i in t.items}
    assert items["0.2.2"].text == "对照2022年任务清单组织召开安排部署会议"
    assert items["0.3.2"].text == "市政府安委办将把专项整治工作纳入年度目标责任考核范畴。"
    assert "细化任务清单" in items["0.4.1"].text and "“回头看”" in items["0.5.1"].text
    assert items["0.5.2"].text.endswith("明确本单位责任部门、责任人和完成时限")
    assert all(i.text in body for i in items.values())
    assert all(i.deadline is None for i in items.values())  # the body states no date
    assert (c0.declared.tasks, c0.declared.items) == (5, 9)


# 6-8. 6.15, recurrence, 4.22 ----------------------------------------------------------------


def test_the_city_tax_bureau_is_in_the_city_and_county_tax_group(registry):
    t = task(registry, "6.15")
    assert "市、县税务局" in [a.name for a in t.departments]
    assert registry.directory.groups_of("市税务局") == ["市、县税务局"]
    assert "市、县 once" in t.source_note


def test_yearly_check_and_the_two_periods_of_4_22_4(registry):
    item = task(registry, "8.11").items[1]
    assert (item.recurrence, item.recurrence_text) == (
        "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", "深入开展国内水路运输年度核查")
    item = task(registry, "4.22").items[3]
    assert item.recurrence == "FREQ=WEEKLY;BYDAY=SU"
    assert "每月…全覆盖对表检查" in task(registry, "4.22").source_note


def test_4_22_gives_each_list_its_own_department_cell(registry):
    t = task(registry, "4.22")
    assert [[a.name for a in i.departments] for i in t.items] == [
        ["市委编办", "市人社局", "市应急管理局"], ["市委编办", "市人社局", "市应急管理局"],
        ["国家矿山安全监察局山西局"], ["国家矿山安全监察局山西局"]]
    assert "As in 11.7" in t.source_note and "see 4.28" in t.source_note


# The manifest, and show -------------------------------------------------------------------


def test_the_manifest_index_is_rewritten_to_match_the_files(built, registry):
    text = (built / "registry.yaml").read_text(encoding="utf-8")
    live = (LIVE / "registry.yaml").read_text(encoding="utf-8")
    assert text.split("campaigns:\n")[0] == live.split("campaigns:\n")[0]  # the header is kept
    manifest = yaml.safe_load(text)
    assert [(e["number"], e["file"]) for e in manifest["campaigns"]] == [
        (f.campaign.number, f.path.name) for f in registry.files]
    for entry, f in zip(manifest["campaigns"], registry.files):
        assert entry["index"] == {t.id: len(t.items) for t in f.campaign.tasks}, f.path.name


def test_show_prints_the_note_of_every_rebuilt_or_inferred_row(runner, built, registry):
    noted = [t for c in registry.campaigns for t in c.tasks if t.source_note]
    assert {t.id for t in noted} >= {*INFERRED, "4.14", "4.22", "5.10", "5.11", "6.15", "8.11"}
    assert all(t.source_note for c in registry.campaigns for t in c.tasks if t.departments_inferred)
    for t in noted:
        result = runner.invoke(app, ["show", t.id, "--data", str(built)])
        assert result.exit_code == 0, result.output
        assert f"source note: {t.source_note}\n" in result.stdout, t.id
        if t.departments_inferred:
            assert "(inferred from a merged cell, to confirm)" in result.stdout.splitlines()[1]
