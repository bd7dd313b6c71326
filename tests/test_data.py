"""The registry is the notice: every item traceable, every name resolving.

Two kinds of test. Invariants run on the live ``data/`` folder *and* on a scratch copy of it
after a batch of real writes (done, block, note, start, assign, unassign, a recurring
period, a revert): they must stay true while the offices work. Tests of how the notice was
read (exact lists and counts) run on the frozen fixture of the registry as first shipped.
"""

from __future__ import annotations

import re

import pytest

from safetylist.dates import parse_phrase
from safetylist.registry import load
from safetylist.layout import dump_campaign

from conftest import FIXTURE, LIVE, SOURCE


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"</?p>", "", text)).strip()


def _loaded(root):
    registry, problems = load(root)
    assert registry is not None
    assert [p.format() for p in problems if p.level == "error"] == []
    return registry


def _in_use(tmp_root):
    """A scratch copy of the live registry after a batch of real writes, made through the CLI."""
    import shutil

    from typer.testing import CliRunner

    from safetylist.cli import app

    data = tmp_root / "data"
    shutil.copytree(LIVE, data, ignore=shutil.ignore_patterns(".safetylist.lock"))
    registry = _loaded(data)
    tasks = [t for c in registry.campaigns if c.number for t in c.tasks if t.items]
    several = next(t for t in tasks if len(t.departments) >= 2)
    recurring = next(i for c in registry.campaigns for t in c.tasks for i in t.items if i.recurrence)
    plain = [i for t in tasks for i in t.items if not i.recurrence]
    unassigned = next((t for t in tasks if not t.departments), tasks[0])
    from safetylist.query import all_items

    views = {v.id: v for v in all_items(registry)}
    plain = [i for i in plain if views[i.id].holders]  # a share to report on

    def by(ident):  # a department that holds a share of the item (or of every item of the task)
        return ["--by", views[ident if ident in views else ident + ".1"].holders[-1]]

    task_of = next(t for t in tasks if all(i.departments is None for i in t.items) and t.departments)
    batch = [
        ["done", plain[0].id, *by(plain[0].id), "--date", "2022-06-15", "--note", "已完成"],
        ["block", plain[1].id, *by(plain[1].id), "--note", "资金未到位", "--date", "2022-06-20"],
        ["note", plain[2].id, "已召开推进会", "--date", "2022-06-21"],
        ["start", task_of.id, *by(task_of.id), "--date", "2022-06-22"],
        ["assign", unassigned.id, "--dept", "市应急管理局", "--role", "lead", "--date", "2022-06-23"],
        ["unassign", several.id, "--dept", several.departments[-1].name, "--date", "2022-06-24"],
        ["done", recurring.id, *by(recurring.id), "--date", "2022-06-25"],
        ["done", plain[4].id, "--all", "--date", "2022-06-26"],  # the office's decision, every share
        ["update", plain[4].id, *by(plain[4].id), "--status", "not_started", "--note", "退回重做",
         "--date", "2022-06-27"],
    ]
    runner = CliRunner()
    for args in batch:
        result = runner.invoke(app, [*args, "--data", str(data)])
        assert result.exit_code == 0, (args, result.output)
    return data


@pytest.fixture(scope="module", params=["live", "in-use"])
def shipped(request, tmp_path_factory):
    """The live registry, and the same after a day of real updates: invariants hold on both."""
    root = LIVE if request.param == "live" else _in_use(tmp_path_factory.mktemp("in-use"))
    return _loaded(root)


@pytest.fixture(scope="module")
def frozen():
    """The registry as first shipped (tests/fixtures/registry-2022): how the notice was read."""
    return _loaded(FIXTURE)


def campaign(registry, number):
    (found,) = [c for c in registry.campaigns if c.number == number]
    return found


def test_thirteen_campaigns_and_the_notice_requirements(shipped):
    assert [c.number for c in shipped.campaigns] == list(range(0, 14))
    assert len(list((shipped.root / "tasks").glob("*.yaml"))) == 14
    assert sorted(c.file for c in shipped.manifest.campaigns) == sorted(
        p.name for p in (shipped.root / "tasks").glob("*.yaml"))


def test_every_item_text_occurs_in_the_notice(shipped):
    raw = SOURCE.read_text(encoding="utf-8")
    notice = fold(raw)
    # A page break can split a word of the running text (通 / 过): join lines between two
    # Chinese characters as a second reading.
    joined = fold(re.sub(r"(?<=[\u4e00-\u9fff])\n+(?=[\u4e00-\u9fff])", "", raw))
    items = [i for c in shipped.campaigns for t in c.tasks for i in t.items]
    assert items, "the registry has items"
    missing = [i.id for i in items if fold(i.text) not in notice and fold(i.text) not in joined]
    assert missing == []
    # Only items whose text crosses a page break need the joined reading.
    assert {i.id for i in items if fold(i.text) not in notice} <= {"0.1.1"}


def test_the_first_reading_had_353_items(frozen):
    assert len([i for c in frozen.campaigns for t in c.tasks for i in t.items]) == 353


def test_every_heading_and_department_text_occurs_in_the_notice(shipped):
    notice = fold(SOURCE.read_text(encoding="utf-8"))
    for c in shipped.campaigns:
        assert all(part in notice for part in c.heading.split(" ")), c.heading
        for t in c.tasks:
            if t.departments_text:
                for part in t.departments_text.split(" "):
                    assert part in notice, (t.id, part)
            if t.deadline and t.deadline.text:
                assert t.deadline.text in notice


def test_every_department_name_resolves(shipped):
    d = shipped.directory
    names = set()
    for c in shipped.campaigns:
        for t in c.tasks:
            names |= {a.name for a in t.departments}
            for i in t.items:
                names |= {a.name for a in i.departments or []}
    assert names, "the registry assigns departments"
    assert sorted(n for n in names if not d.is_canonical(n)) == []


def test_notice_variants_resolve_to_one_canonical_name(shipped):
    d = shipped.directory
    cases = {
        "市城市管理管理局": "市城市管理局",
        "市教局": "市教育局",
        "吕梁市 政管理局": "吕梁邮政管理局",
        "市邮管局": "吕梁邮政管理局",
        "市邮政管理局": "吕梁邮政管理局",
        "市公安交警支队": "市公安局交警支队",
        "吕梁银保监局": "吕梁银保监分局",
        "市房地产业服务中心": "市房地产管理服务中心",
        "国家矿山监察局山西局执法五处": "国家矿山安全监察局山西局执法五处",
    }
    assert {k: d.canonical(k) for k in cases} == cases


def test_county_bureaus_are_known_and_in_their_groups(shipped):
    d = shipped.directory
    assert len(d.counties) == 13
    assert d.is_canonical("孝义市应急管理局")
    assert d.groups_of("孝义市应急管理局") == ["各县市区应急管理局", "市、县应急管理局"]
    assert "市、县应急管理局" in d.groups_of("市应急管理局")
    assert "各县市区应急管理局" not in d.groups_of("市应急管理局")


def test_declared_counts_and_gaps_are_explained(shipped):
    for c in shipped.campaigns:
        present = (sum(1 for t in c.tasks if t.items), sum(len(t.items) for t in c.tasks))
        if present != (c.declared.tasks, c.declared.items):
            assert c.source_note, c.id
        for t in c.tasks:
            if not t.items or not t.departments:
                assert t.source_note, t.id


def test_lost_tasks_carry_no_invented_text(frozen):
    shipped = frozen
    lost = [t.id for c in shipped.campaigns for t in c.tasks if not t.items]
    assert lost == ["2.10", "4.28", "5.11", "9.11", "9.12", "9.13", "9.14", "10.8"]


def test_unassigned_tasks_are_exactly_the_rows_without_departments(frozen):
    shipped = frozen
    unassigned = [t.id for c in shipped.campaigns for t in c.tasks if t.items and not t.departments]
    assert unassigned == ["2.4", "2.9", "2.11", "2.12", "2.13", "2.14", "2.15", "2.16", "2.24",
                          "6.5", "9.8", "9.9", "9.10"]


def test_every_deadline_phrase_means_its_date(shipped):
    for c in shipped.campaigns:
        for t in c.tasks:
            for d in [t.deadline] + [i.deadline for i in t.items]:
                if d is not None:
                    assert parse_phrase(d.text)[0] == d.date


def test_deadlines_explicit_default_and_in_text(frozen):
    c5 = campaign(frozen, 5)
    item = c5.tasks[1].items[0]
    assert item.id == "5.2.1"
    assert (item.deadline.date.isoformat(), item.deadline.text, item.deadline.ambiguous) == (
        "2022-08-31", "2022年9月份前", True)
    assert c5.tasks[9].items[0].deadline.date.isoformat() == "2022-06-30"


def test_roles_where_the_notice_states_them(frozen):
    shipped = frozen
    t = campaign(shipped, 4).tasks[15]
    assert t.id == "4.16"
    assert [(a.name, a.role) for a in t.departments] == [
        ("市能源局", "lead"), ("市工信局", "support"), ("市应急管理局", "support"),
        ("国家矿山安全监察局山西局执法五处", "support")]
    t = campaign(shipped, 2).tasks[0]
    assert t.departments[-1].name == "各企业" and t.departments[-1].role == "implement"
    assert {a.role for a in t.departments[:-1]} == {"supervise"}


def test_shipped_files_are_in_canonical_layout(shipped):
    for f in shipped.files:
        assert dump_campaign(f.campaign) == f.path.read_text(encoding="utf-8"), f.path.name


def test_ids_are_written_in_the_files(shipped):
    text = (shipped.root / "tasks" / "04-coal-mine.yaml").read_text(encoding="utf-8")
    assert '- id: "4.15"' in text and "  - id: 4.15.2\n" in text


def test_every_item_that_states_a_period_has_a_rule(shipped):
    """Found from the text alone: 每周 / 每月 / 每季度 / 每半年 / 每年 / 每N年."""
    from safetylist.dates import rrule_problem

    period = re.compile(r"每周|每月|每季度?|每半年|每\s*\d+\s*年|每年")
    stated = [i.id for c in shipped.campaigns for t in c.tasks for i in t.items if period.search(i.text)]
    ruled = [i.id for c in shipped.campaigns for t in c.tasks for i in t.items if i.recurrence]
    assert set(stated) <= set(ruled)
    # The monthly report states its period as 月底前 … 上月 (by each month's end, last month's work).
    assert "0.1.1" in ruled
    for c in shipped.campaigns:
        for t in c.tasks:
            for i in t.items:
                if i.recurrence:
                    assert rrule_problem(i.recurrence) is None
                    assert i.recurrence_text and fold(i.recurrence_text) in fold(i.text)


def test_the_build_tool_reproduces_the_registry_from_the_notice(tmp_path, shipped):
    """Provenance: tools/build_registry.py rebuilds every task and item from the notice's
    lines. What clerks change (status, history, and the departments they assign or
    unassign) is left out of the comparison; the printed department cell is not."""
    import dataclasses
    import subprocess
    import sys

    from conftest import LIVE, ROOT

    live, problems = load(LIVE)
    assert live is not None, problems
    out = tmp_path / "tasks"
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_registry.py"), "--out", str(out)],
                   check=True, capture_output=True)
    rebuilt = {p.name for p in out.glob("*.yaml")}
    assert rebuilt == {p.name for p in (shipped.root / "tasks").glob("*.yaml")}
    for f in shipped.files:
        from safetylist.validate import parse_campaign

        built, errs = parse_campaign(out / f.path.name, (out / f.path.name).read_text(encoding="utf-8"),
                                     shipped.directory)
        assert built is not None, errs
        def progress_removed(c):
            return dataclasses.replace(c, tasks=[
                dataclasses.replace(t, departments=[], departments_inferred=False, items=[
                    dataclasses.replace(i, status="not_started", history=[]) for i in t.items])
                for t in c.tasks])

        assert progress_removed(built) == progress_removed(f.campaign), f.path.name


# The live registry: invariants only (clerks change its statuses and history every day) ----


@pytest.fixture(scope="module")
def live(shipped):
    return shipped  # the live registry, and the same after a day of writes


def test_live_items_and_department_cells_are_the_notices_text(live):
    raw = SOURCE.read_text(encoding="utf-8")
    notice = fold(raw)
    joined = fold(re.sub(r"(?<=[\u4e00-\u9fff])\n+(?=[\u4e00-\u9fff])", "", raw))
    items = [i for c in live.campaigns for t in c.tasks for i in t.items]
    assert len(items) > 350
    assert [i.id for i in items if fold(i.text) not in notice and fold(i.text) not in joined] == []
    for c in live.campaigns:
        for t in c.tasks:
            for part in (t.departments_text or "").split(" "):
                assert part in notice, (t.id, part)


def test_live_inferred_departments_are_explained(live):
    inferred = [t for c in live.campaigns for t in c.tasks if t.departments_inferred]
    for t in inferred:
        assert t.departments and t.source_note and "inferred" in t.source_note, t.id


def test_live_manifest_index_equals_the_files(live):
    import yaml

    manifest = yaml.safe_load((live.root / "registry.yaml").read_text(encoding="utf-8"))
    assert [e["file"] for e in manifest["campaigns"]] == [f.path.name for f in live.files]
    for entry, f in zip(manifest["campaigns"], live.files):
        assert (entry["number"], entry["id"]) == (f.campaign.number, f.campaign.id)
        assert entry["index"] == {t.id: len(t.items) for t in f.campaign.tasks}, f.path.name


def test_a_campaign_lead_sees_the_monthly_report_and_the_quarterly_meeting(tmp_path):
    import shutil

    from typer.testing import CliRunner

    from safetylist.cli import app
    from conftest import LIVE

    copy = tmp_path / "data"
    shutil.copytree(LIVE, copy, ignore=shutil.ignore_patterns(".safetylist.lock"))
    result = CliRunner().invoke(app, ["due", "--dept", "市能源局", "--format", "ids", "--data", str(copy)])
    assert result.exit_code == 0, result.output
    assert {"0.1.1", "0.2.1"} <= set(result.stdout.split())


def test_city_departments_answer_to_their_official_names(live):
    d = live.directory
    official = {
        "吕梁市应急管理局": "市应急管理局", "吕梁市交通运输局": "市交通局", "市交通运输局": "市交通局",
        "吕梁市发展和改革委员会": "市发改委", "市工业和信息化局": "市工信局",
        "吕梁市住房和城乡建设局": "市住建局", "吕梁市文化和旅游局": "市文旅局",
        "吕梁市卫生健康委员会": "市卫健委", "吕梁市市场监督管理局": "市市场监管局",
        "吕梁市人力资源和社会保障局": "市人社局", "中共吕梁市委宣传部": "市委宣传部",
        "吕梁市邮政管理局": "吕梁邮政管理局", "国家税务总局吕梁市税务局": "市税务局",
        "吕梁市 政管理局": "吕梁邮政管理局",  # the notice's typo, as printed
    }
    assert {k: d.canonical(k) for k in official} == official
    # Without its space the typo reads as a municipal-works bureau: no alias.
    assert d.canonical("吕梁市政管理局") is None
