"""init and import-notice through the CLI, on notices the tests build (tests/notices.py)."""

from __future__ import annotations

import textwrap

import pytest

from safetylist.cli import app
from safetylist.importer import plan
from safetylist.importer.folder import EMPTY_DEPARTMENTS
from safetylist.registry import load

from conftest import FIXTURE
from notices import COUNTY_DEPARTMENTS, COUNTY_TEXT, LEDGER_CSV, make_docx, make_xlsx

DEPARTMENTS_2022 = FIXTURE / "departments.yaml"
NOTICE = "吕安办发〔2023〕5号"
TITLE = "关于印发2023年安全生产重点任务清单的通知"
OFFICE = "吕梁市人民政府安全生产委员会办公室"


@pytest.fixture
def new_registry(runner, tmp_path, monkeypatch):
    """init a registry folder ``reg`` in tmp_path (the working directory), return its path."""
    monkeypatch.chdir(tmp_path)

    def make(departments=DEPARTMENTS_2022, period="2023"):
        args = ["init", "reg", "--notice", NOTICE, "--title", TITLE, "--issued-by", OFFICE,
                "--period", period]
        if departments is not None:
            args += ["--departments", str(departments)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        return tmp_path / "reg"

    return make


def snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".safetylist.lock"}


def run(runner, *args):
    return runner.invoke(app, [*args])


def checks_clean(runner, data, warnings=0):
    result = run(runner, "check", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"0 error(s), {warnings} warning(s)"


# init ------------------------------------------------------------------------------------


def test_init_makes_a_registry_that_checks(runner, new_registry, tmp_path):
    result = runner.invoke(app, ["init", "reg", "--notice", NOTICE, "--title", TITLE,
                                 "--issued-by", OFFICE, "--period", "2023-01-01:2023-12-31"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"created reg/registry.yaml: {NOTICE} {TITLE}, 2023-01-01 to 2023-12-31\n"
        "created reg/departments.yaml: empty (no department yet)\n"
        "created reg/tasks/ (empty: `safetylist import-notice FILE --data reg` fills it)\n")
    data = tmp_path / "reg"
    assert sorted(snapshot(data)) == ["departments.yaml", "registry.yaml"]
    assert (data / "tasks").is_dir()
    assert (data / "registry.yaml").read_text(encoding="utf-8").split("\n")[5:] == [
        f"notice: {NOTICE}", f"title: {TITLE}", f"issued_by: {OFFICE}",
        "period: {start: 2023-01-01, end: 2023-12-31}", "campaigns: []", ""]
    assert (data / "departments.yaml").read_text(encoding="utf-8") == EMPTY_DEPARTMENTS.format(notice=NOTICE)
    checks_clean(runner, data)
    assert not list(tmp_path.glob(".reg.*"))  # the staging folder is gone


def test_init_copies_a_departments_file(runner, new_registry):
    data = new_registry()
    assert (data / "departments.yaml").read_bytes() == DEPARTMENTS_2022.read_bytes()


def test_init_refuses_a_folder_that_holds_files(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reg").mkdir()
    (tmp_path / "reg" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run(runner, "init", "reg", "--notice", NOTICE, "--title", TITLE, "--issued-by",
                 OFFICE, "--period", "2023")
    assert result.exit_code == 3, result.output
    assert result.stderr == ("safetylist: error: reg exists and is not an empty folder; init makes "
                             "a registry in a new or empty folder (nothing was written)\n")
    assert snapshot(tmp_path / "reg") == {"notes.txt": b"mine"}


@pytest.mark.parametrize("period, message", [
    ("2023-12-31:2023-01-01", "--period: the end 2023-01-01 is before the start 2023-12-31"),
    ("2023-01-01", "--period: '2023-01-01' is not START:END (2023-01-01:2023-12-31) or a year"),
    ("2023-02-30:2023-12-31", "--period start: '2023-02-30' is not a real date (use YYYY-MM-DD, e.g. 2022-06-30)"),
])
def test_init_bad_period(runner, tmp_path, monkeypatch, period, message):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "init", "reg", "--notice", NOTICE, "--title", TITLE, "--issued-by",
                 OFFICE, "--period", period)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"safetylist: error: {message}\n"
    assert not (tmp_path / "reg").exists()


def test_init_refuses_a_broken_departments_file(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.yaml").write_text("counties: []\ndepartments:\n- nam: 市应急管理局\n", encoding="utf-8")
    result = run(runner, "init", "reg", "--notice", NOTICE, "--title", TITLE, "--issued-by",
                 OFFICE, "--period", "2023", "--departments", "d.yaml")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        "d.yaml:3:3: error: departments[0].name: Field required [schema]",
        "d.yaml:3:3: error: departments[0]: unknown key 'nam'; did you mean 'name'? [schema]",
        "safetylist: error: --departments d.yaml has 2 error(s); fix them, or start from an "
        "empty list (leave --departments out)"]
    assert not (tmp_path / "reg").exists()


# import-notice: Word ----------------------------------------------------------------------


def test_word_table_with_a_department_cell_merged_over_three_rows(runner, new_registry, tmp_path):
    data = new_registry()
    make_docx(tmp_path / "list.docx")
    result = run(runner, "import-notice", "list.docx", "--data", "reg")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "wrote reg/tasks/01-hazardous-chemicals.yaml: campaign 1 危险化学品安全专项整治, 3 tasks, 5 items",
        "wrote reg/tasks/02-fire.yaml: campaign 2 消防安全专项整治, 1 tasks, 1 items",
        "wrote reg/tasks/03-road-transport.yaml: campaign 3 道路运输安全专项整治, 1 tasks, 1 items",
        "wrote reg/registry.yaml: 3 campaign file(s) listed"]
    assert result.stderr == ""
    checks_clean(runner, data)
    registry, _ = load(data)
    c1, c2, c3 = registry.campaigns
    merged = "市应急管理局牵头，市工信局、市、县应急管理局配合"
    for task in c1.tasks:  # the merged cell applies to every row it spans: a fact, not an inference
        assert task.departments_text == merged and not task.departments_inferred
        assert [(a.name, a.role) for a in task.departments] == [
            ("市应急管理局", "lead"), ("市工信局", "support"), ("市、县应急管理局", "support")]
    assert [(t.deadline.date.isoformat(), t.deadline.text, t.deadline.ambiguous) for t in c1.tasks] == [
        ("2023-12-31", "2023年底前", False), ("2023-12-31", "2023年底前", False),
        ("2023-08-31", "2023年9月份前", True)]
    assert [t.source for t in c1.tasks] == [f"list.docx, table 1, row {n}" for n in (2, 3, 4)]
    assert c1.source == f"{NOTICE}, list.docx, table 1"
    assert c1.tasks[2].items[1].deadline.text == "2023年6月底前"
    # A heading row merged across table 2 starts campaign 3; a cell merged across the 牵头 and
    # 配合 columns names its department for both, so with no role.
    assert (c3.number, c3.heading) == (3, "三、道路运输安全专项整治（1条1项）")
    assert [(a.name, a.role) for a in c3.tasks[0].departments] == [("市交通局", None)]
    assert [(a.name, a.role) for a in c2.tasks[0].departments] == [
        ("市消防救援支队", "lead"), ("市住建局", "support")]
    assert c2.tasks[0].items[0].recurrence == "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
    text = (data / "tasks" / "01-hazardous-chemicals.yaml").read_text(encoding="utf-8")
    assert textwrap.dedent("""\
        - id: "1.2"
          departments:
          - {name: 市应急管理局, role: lead}
          - {name: 市工信局, role: support}
          - {name: 市、县应急管理局, role: support}
          departments_text: 市应急管理局牵头，市工信局、市、县应急管理局配合
          deadline: {date: 2023-12-31, text: 2023年底前}
          source: list.docx, table 1, row 3
          items:
          - id: 1.2.1
            text: 完善危险化学品全链条安全监管机制。
            status: not_started
        """) in text


def test_importing_again_gives_byte_identical_files(runner, new_registry, tmp_path):
    data = new_registry()
    make_docx(tmp_path / "list.docx")
    assert run(runner, "import-notice", "list.docx", "--data", "reg").exit_code == 0
    before = snapshot(data)
    result = run(runner, "import-notice", "list.docx", "--data", "reg")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ("wrote reg/tasks/01-hazardous-chemicals.yaml: campaign 1 "
                                             "危险化学品安全专项整治, 3 tasks, 5 items (unchanged)")
    assert snapshot(data) == before


def test_dry_run_says_what_it_would_write_and_writes_nothing(runner, new_registry, tmp_path):
    data = new_registry()
    make_docx(tmp_path / "list.docx")
    before = snapshot(data)
    result = run(runner, "import-notice", "list.docx", "--data", "reg", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "would write reg/tasks/01-hazardous-chemicals.yaml: campaign 1 危险化学品安全专项整治, 3 tasks, 5 items",
        "would write reg/tasks/02-fire.yaml: campaign 2 消防安全专项整治, 1 tasks, 1 items",
        "would write reg/tasks/03-road-transport.yaml: campaign 3 道路运输安全专项整治, 1 tasks, 1 items",
        "would write reg/registry.yaml: 3 campaign file(s) listed"]
    assert snapshot(data) == before


def test_an_unknown_department_is_located_and_nothing_is_written(runner, new_registry, tmp_path):
    data = new_registry()
    make_docx(tmp_path / "list.docx", transport="市交通运输局")  # an alias the 2022 fixture lacks
    before = snapshot(data)
    for extra in ([], ["--dry-run"]):
        result = run(runner, "import-notice", "list.docx", "--data", "reg", *extra)
        assert result.exit_code == 3, result.output
        assert result.stderr.splitlines() == [
            "list.docx:4:3: error: table 2, row 4, column C (牵头单位): unknown department "
            "'市交通运输局'; nearest known: 市交通局、市、县交通局、汾阳市交通局; add it to "
            "departments.yaml (or as an alias of the name it means), or import with --add-departments",
            "safetylist: error: nothing was written: 1 error(s) reading list.docx (listed above)"]
        assert result.stdout == ""
        assert snapshot(data) == before


def test_a_registry_is_never_half_written(runner, new_registry, tmp_path, monkeypatch):
    """A problem found only once the registry is staged as it would be stops every write."""
    from safetylist.errors import Problem

    data = new_registry()
    make_docx(tmp_path / "list.docx")
    before = snapshot(data)
    monkeypatch.setattr(plan, "_staged_problems", lambda root, writes: [
        Problem("reg/tasks/03-road-transport.yaml", 1, 1, "error", "staged")])
    result = run(runner, "import-notice", "list.docx", "--data", "reg")
    assert result.exit_code == 3, result.output
    assert result.stderr.splitlines() == [
        "reg/tasks/03-road-transport.yaml:1:1: error: staged",
        "safetylist: error: nothing was written: 1 error(s) checking the registry as it would be "
        "(listed above)"]
    assert snapshot(data) == before


# import-notice: Excel, CSV, text ------------------------------------------------------------


XLSX_CAMPAIGN = """\
id: campaign-1
number: 1
title: 2023年安全生产重点任务台账
heading: 2023年安全生产重点任务台账
declared: {tasks: 3, items: 4}
source: 吕安办发〔2023〕5号, ledger.xlsx, sheet 任务清单
default_deadline: 2023-12-31
tasks:
- id: "1.1"
  title: 强化企业主体责任
  departments:
  - {name: 市应急管理局, role: lead}
  - {name: 市工信局, role: support}
  - {name: 市住建局, role: support}
  departments_text: 牵头单位：市应急管理局；配合单位：市工信局、市住建局
  deadline: {date: 2023-06-30, text: 2023年6月底前}
  source: ledger.xlsx, sheet 任务清单, row 3
  items:
  - id: 1.1.1
    text: 督促企业建立全员安全生产责任制。
    status: not_started
  - id: 1.1.2
    text: 开展企业主要负责人安全培训。
    status: not_started
- id: "1.2"
  title: 强化企业主体责任
  departments:
  - {name: 市应急管理局, role: lead}
  - {name: 各县（市、区）政府, role: support}
  departments_text: 牵头单位：市应急管理局；配合单位：各县（市、区）政府
  deadline: {date: 2023-09-30, text: "2023-09-30"}
  source: ledger.xlsx, sheet 任务清单, row 4
  items:
  - id: 1.2.1
    text: 推进企业安全生产标准化建设。
    status: not_started
- id: "1.3"
  title: 提升本质安全水平
  departments:
  - {name: 市工信局, role: lead}
  - {name: 市应急管理局, role: support}
  departments_text: 牵头单位：市工信局；配合单位：市应急管理局
  source: ledger.xlsx, sheet 任务清单, row 5
  source_note: "完成时限 is printed as 长期坚持 (ongoing): no single deadline; the list's end date applies."
  items:
  - id: 1.3.1
    text: 实施危险化学品企业自动化改造。
    status: not_started
"""


def test_excel_ledger_with_lead_and_support_columns(runner, new_registry, tmp_path):
    """牵头单位 and 配合单位 give roles; the title row names the campaign; the 重点任务 cell
    merged over two rows is both tasks' title; a date cell is its date; 进展情况 is left alone."""
    data = new_registry()
    make_xlsx(tmp_path / "ledger.xlsx")
    result = run(runner, "import-notice", "ledger.xlsx", "--data", "reg")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "wrote reg/tasks/01-campaign-1.yaml: campaign 1 2023年安全生产重点任务台账, 3 tasks, 4 items",
        "wrote reg/registry.yaml: 1 campaign file(s) listed"]
    assert (data / "tasks" / "01-campaign-1.yaml").read_text(encoding="utf-8") == XLSX_CAMPAIGN
    checks_clean(runner, data)


def test_county_plan_as_numbered_text(runner, new_registry, tmp_path):
    (tmp_path / "county.yaml").write_text(COUNTY_DEPARTMENTS, encoding="utf-8")
    data = new_registry(departments=tmp_path / "county.yaml")
    (tmp_path / "plan.txt").write_text(COUNTY_TEXT, encoding="utf-8")
    result = run(runner, "import-notice", "plan.txt", "--data", "reg")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "wrote reg/tasks/02-responsibility.yaml: campaign 2 强化安全生产责任落实, 2 tasks, 4 items",
        "wrote reg/tasks/03-campaign-3.yaml: campaign 3 深化重点行业领域专项整治, 2 tasks, 2 items",
        "wrote reg/registry.yaml: 2 campaign file(s) listed"]
    assert result.stderr == (
        "plan.txt:29:1: warning: line 29: '四、保障措施' names no department or deadline for any of "
        "its 2 numbered paragraph(s): read as the notice's own text, not a campaign; not imported\n")
    checks_clean(runner, data)
    registry, _ = load(data)
    c2, c3 = registry.campaigns
    t1, t2 = c2.tasks
    # （一） is the task, its 1. 2. lines the items, each with the departments printed under it.
    assert (t1.id, t1.title, t1.source) == ("2.1", "压实党政领导责任。", "plan.txt, lines 12-19")
    assert [[(a.name, a.role) for a in i.departments] for i in t1.items] == [
        [("县委办", None), ("县政府办", None)],
        [("县应急管理局", "lead"), ("县安委会各成员单位", "support")]]
    assert t1.items[0].recurrence_text == "县委常委会、县政府常务会议每季度至少研究一次安全生产工作"
    assert t1.items[0].deadline is None and "长期坚持 (ongoing)" in t1.source_note
    assert (t1.items[1].deadline.date.isoformat(), t1.items[1].deadline.text) == ("2023-06-30", "2023年6月底前")
    # (1) (2) in a task's line are its items; the parenthesis closing the line names departments.
    assert [i.text for i in t2.items] == ["督促企业主要负责人履行第一责任人职责；", "推动企业全员安全生产责任制落实。"]
    assert t2.departments_text == "县应急管理局、县市场监管局"
    assert t2.deadline.text == "2023年底前"
    # The heading's 牵头单位 applies to the campaign's tasks that name none; 每月 is a period.
    assert [(a.name, a.role) for a in c3.tasks[0].departments] == [("县应急管理局", "lead")]
    assert c3.tasks[0].deadline.date.isoformat() == "2023-12-31"
    assert [a.name for a in c3.tasks[1].departments] == ["县住建局", "各乡镇"]
    assert c3.tasks[1].items[0].recurrence == "FREQ=MONTHLY;BYMONTHDAY=-1"


def test_csv_rows_below_a_lost_merged_cell_are_inferred(runner, new_registry, tmp_path):
    data = new_registry()
    (tmp_path / "ledger.csv").write_text(LEDGER_CSV, encoding="gbk")
    result = run(runner, "import-notice", "ledger.csv", "--data", "reg")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "ledger.csv:1:1: warning: not UTF-8: read as GB18030 (GBK), as Excel and Notepad on "
        "Chinese Windows write it",
        "reg/tasks/01-campaign-1.yaml:27:25: warning: task 1.2: departments inferred from a merged "
        "cell, to confirm (`safetylist assign` a department confirms them) [departments-inferred]"]
    registry, _ = load(data)
    t1, t2, t3 = registry.campaigns[0].tasks
    assert (t2.title, t2.departments, t2.deadline, t2.departments_inferred) == (
        t1.title, t1.departments, t1.deadline, True)
    assert "inferred, to confirm" in t2.source_note
    # A row with no 序号 below a numbered one continues it; its cell's (3) is the third item.
    assert ([i.text for i in t3.items], t3.source) == (
        ["实施自动化改造；", "推进智能化建设。", "开展安全评估。"], "ledger.csv, lines 4-6")
    assert run(runner, "unassigned", "--data", "reg", "--format", "ids").stdout == "1.2.1\n"


def test_add_departments_adds_the_names_as_printed(runner, new_registry, tmp_path):
    data = new_registry(departments=None)
    (tmp_path / "plan.txt").write_text(COUNTY_TEXT, encoding="utf-8")
    refused = run(runner, "import-notice", "plan.txt", "--data", "reg")
    assert refused.exit_code == 3
    assert refused.stderr.splitlines()[1] == (
        "plan.txt:14:1: error: line 14: unknown department '县委办'; add it to departments.yaml "
        "(or as an alias of the name it means), or import with --add-departments")
    result = run(runner, "import-notice", "plan.txt", "--data", "reg", "--add-departments")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == (
        "wrote reg/departments.yaml: added 6 department(s) (县委办、县政府办、县应急管理局、"
        "县安委会各成员单位、县市场监管局、县住建局) and 1 group(s) (各乡镇)")
    text = (data / "departments.yaml").read_text(encoding="utf-8")
    assert text.startswith(EMPTY_DEPARTMENTS.format(notice=NOTICE).split("departments: []")[0])
    assert ("- name: 县委办\n  level: other\n  note: \"added by import-notice: printed so in "
            "plan.txt, line 14; set its level and aliases\"\n") in text
    assert text.endswith("groups:\n- name: 各乡镇\n  description: \"added by import-notice: printed so "
                         "in plan.txt, line 26; list its members\"\n")
    checks_clean(runner, data)
    before = snapshot(data)
    again = run(runner, "import-notice", "plan.txt", "--data", "reg", "--add-departments")
    assert again.exit_code == 0, again.output
    assert snapshot(data) == before  # nothing more to add, the same files


def test_columns_mapped_by_hand(runner, new_registry, tmp_path):
    data = new_registry()
    (tmp_path / "odd.csv").write_text("编次,工作事项,负责单位,截止日期\n1,开展隐患排查。,市应急管理局,2023年6月底前\n",
                                      encoding="utf-8")
    refused = run(runner, "import-notice", "odd.csv", "--data", "reg")
    assert refused.exit_code == 3, refused.output
    assert refused.stderr.splitlines()[0] == (
        "odd.csv:1:1: error: line 1: no header row naming 任务 or 具体措施 and 责任单位/牵头单位/完成时限 "
        "in the file's first 15 rows; map its columns by hand, e.g. --columns "
        "number=A,items=B,departments=C,deadline=D")
    result = run(runner, "import-notice", "odd.csv", "--data", "reg",
                 "--columns", "number=A,items=工作事项", "--columns", "责任单位=C,deadline=4")
    assert result.exit_code == 0, result.output
    registry, _ = load(data)
    (task,) = registry.campaigns[0].tasks
    assert ([i.text for i in task.items], [a.name for a in task.departments], task.deadline.text) == (
        ["开展隐患排查。"], ["市应急管理局"], "2023年6月底前")


def test_bad_columns_is_a_usage_error(runner, new_registry, tmp_path):
    new_registry()
    (tmp_path / "odd.csv").write_text("a,b\n", encoding="utf-8")
    result = run(runner, "import-notice", "odd.csv", "--data", "reg", "--columns", "items")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "safetylist: error: --columns: 'items' is not ROLE=COLUMN; roles: number, items, task, "
        "lead, support, departments, deadline (or a header word such as 具体措施), columns: a letter "
        "(C), a number (3) or the header as printed\n")


def test_import_again_after_progress_is_refused(runner, new_registry, tmp_path):
    data = new_registry()
    make_docx(tmp_path / "list.docx")
    assert run(runner, "import-notice", "list.docx", "--data", "reg").exit_code == 0
    assert run(runner, "done", "1.1.1", "--all", "--data", "reg", "--date", "2023-03-01").exit_code == 0
    before = snapshot(data)
    result = run(runner, "import-notice", "list.docx", "--data", "reg")
    assert result.exit_code == 3, result.output
    assert result.stderr.splitlines()[0] == (
        "list.docx:2:1: error: table 1, row 2: campaign 1 (reg/tasks/01-hazardous-chemicals.yaml) "
        "has recorded progress; importing it again would reset it")
    assert snapshot(data) == before


def test_a_campaign_another_file_made_is_refused(runner, shipped_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_docx(tmp_path / "list.docx")
    before = snapshot(shipped_copy)
    result = run(runner, "import-notice", "list.docx", "--data", "data")
    assert result.exit_code == 3, result.output
    assert result.stderr.splitlines()[0] == (
        "list.docx:2:1: error: table 1, row 2: campaign 1 is already in the registry "
        "(data/tasks/01-study-publicity.yaml, from 吕安办发〔2022〕19号 附件, line 41 of "
        "data/source/lvliang-2022-task-list.txt); import this list into a registry of its own "
        "(`safetylist init`)")
    assert snapshot(shipped_copy) == before


def test_a_word_document_without_tables_is_read_as_numbered_text(runner, new_registry, tmp_path):
    import docx

    (tmp_path / "county.yaml").write_text(COUNTY_DEPARTMENTS, encoding="utf-8")
    new_registry(departments=tmp_path / "county.yaml")
    document = docx.Document()
    for line in COUNTY_TEXT.splitlines():
        document.add_paragraph(line)
    document.save(str(tmp_path / "plan.docx"))
    result = run(runner, "import-notice", "plan.docx", "--data", "reg")
    assert result.exit_code == 0, result.output
    registry, _ = load(tmp_path / "reg")
    assert [t.source for c in registry.campaigns for t in c.tasks] == [
        "plan.docx, paragraphs 12-19", "plan.docx, paragraph 20", "plan.docx, paragraphs 23-24",
        "plan.docx, paragraphs 25-27"]


@pytest.mark.parametrize("name, content, message", [
    ("list.doc", b"\xd0\xcf\x11\xe0", "list.doc is the old Word format: open it in Word or WPS and "
     "save it as .docx"),
    ("list.docx", b"not a zip", "list.docx is not a Word document (.docx): such a file is a zip "
     "package, and this one is not (an old .doc/.xls renamed?); save it again from Word or WPS as .docx"),
    ("list.xlsx", b"not a zip", "list.xlsx is not an Excel workbook (.xlsx): such a file is a zip "
     "package, and this one is not (an old .doc/.xls renamed?); save it again from Excel or WPS as .xlsx"),
    ("list.pages", b"", "list.pages: not a kind of file import-notice reads; give a .docx, .xlsx, "
     ".csv or .txt file"),
    ("missing.docx", None, "missing.docx: cannot read it: No such file or directory"),
])
def test_files_it_cannot_read(runner, new_registry, tmp_path, name, content, message):
    data = new_registry()
    if content is not None:
        (tmp_path / name).write_bytes(content)
    result = run(runner, "import-notice", name, "--data", "reg")
    assert result.exit_code == 2, result.output
    assert result.stderr == f"safetylist: error: {message}\n"
    assert "Traceback" not in result.output
    assert sorted(snapshot(data)) == ["departments.yaml", "registry.yaml"]


def test_import_needs_a_manifest(runner, make_registry, tmp_path, monkeypatch):
    data = make_registry(manifest=False)
    monkeypatch.chdir(tmp_path)
    make_docx(tmp_path / "list.docx")
    result = run(runner, "import-notice", "list.docx", "--data", str(data))
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == (
        "safetylist: error: reg has no registry.yaml, which names the notice and its period: make "
        "the registry with `safetylist init`")


def test_a_second_header_row_under_a_merged_header_cell(runner, new_registry, tmp_path):
    """责任单位 merged over 牵头 | 配合; a column of leaders is left alone, an unknown one warned."""
    import openpyxl

    data = new_registry()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "重点任务", "责任单位", None, "完成时限", "责任领导", "任务来源"])
    ws.append([None, None, "牵头", "配合", None, None, None])
    for cols in ("A1:A2", "B1:B2", "C1:D1", "E1:E2", "F1:F2", "G1:G2"):
        ws.merge_cells(cols)
    ws.append([1, "开展安全生产大检查。", "市应急管理局", "市能源局", "2023年底前", "张三", "省清单"])
    wb.save(str(tmp_path / "ledger.xlsx"))
    result = run(runner, "import-notice", "ledger.xlsx", "--data", "reg")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("ledger.xlsx:1:7: warning: sheet Sheet, row 1, column G (任务来源): column "
                             "not read (its header names no role; map it with --columns if it holds "
                             "task text, departments or deadlines)\n")
    registry, _ = load(data)
    (task,) = registry.campaigns[0].tasks
    assert ([(a.name, a.role) for a in task.departments], task.departments_text, task.title) == (
        [("市应急管理局", "lead"), ("市能源局", "support")], "牵头：市应急管理局；配合：市能源局", None)
    assert [i.text for i in task.items] == ["开展安全生产大检查。"]


def test_a_word_table_continued_without_its_header(runner, new_registry, tmp_path):
    import docx

    data = new_registry()
    d = docx.Document()
    d.add_paragraph("一、危险化学品安全专项整治（2条2项）")
    for rows in ([HEADER_ROW, ["1", "开展专项检查。", "市应急管理局", "2023年底前"]],
                 [["2", "推进园区整治。", "市工信局", "2023年6月底前"]]):
        t = d.add_table(rows=len(rows), cols=4)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
        d.add_paragraph("")
    d.save(str(tmp_path / "list.docx"))
    result = run(runner, "import-notice", "list.docx", "--data", "reg")
    assert result.exit_code == 0, result.output
    registry, _ = load(data)
    assert [(t.id, t.source, t.departments[0].name) for t in registry.campaigns[0].tasks] == [
        ("1.1", "list.docx, table 1, row 2", "市应急管理局"), ("1.2", "list.docx, table 2, row 1", "市工信局")]
    assert registry.campaigns[0].source == f"{NOTICE}, list.docx, table 1, table 2"


HEADER_ROW = ["序号", "任务", "责任单位", "完成时限"]


def test_init_with_a_missing_departments_file(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "init", "reg", "--notice", NOTICE, "--title", TITLE, "--issued-by", OFFICE,
                 "--period", "2023", "--departments", "nowhere.yaml")
    assert result.exit_code == 2, result.output
    assert result.stderr == ("safetylist: error: --departments nowhere.yaml: cannot read: No such "
                             "file or directory\n")
    assert not (tmp_path / "reg").exists()


def test_import_waits_for_the_registry_lock_and_writes_nothing(new_registry, tmp_path):
    """A real process holds the lock; the import gives up after SAFETYLIST_LOCK_TIMEOUT."""
    import os
    import subprocess
    import sys

    data = new_registry()
    make_docx(tmp_path / "list.docx")
    before = snapshot(data)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
         "from safetylist.lock import registry_lock\n"
         "with registry_lock(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(30)",
         str(data)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        env = dict(os.environ, SAFETYLIST_LOCK_TIMEOUT="0.2")
        result = subprocess.run([sys.executable, "-m", "safetylist", "import-notice", "list.docx",
                                 "--data", "reg"], cwd=tmp_path, env=env, capture_output=True, text=True)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 4, result.stderr
    assert result.stderr == ("safetylist: error: another safetylist process holds reg/.safetylist.lock "
                             "(waited 0.2 s); try again, or raise SAFETYLIST_LOCK_TIMEOUT\n")
    assert snapshot(data) == before


def test_queries_import_neither_openpyxl_nor_python_docx():
    """Start-up stays lean: the Office readers load only for import-notice."""
    import subprocess
    import sys

    code = ("import atexit, sys\n"
            "atexit.register(lambda: sys.stderr.write(repr(sorted(m for m in ('docx', 'openpyxl', "
            "'safetylist.importer') if m in sys.modules))))\n"
            f"sys.argv = ['safetylist', 'due', '--data', {str(FIXTURE)!r}]\n"
            "from safetylist.cli import main\nmain()\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("due: ")
    assert result.stderr == "[]"


def test_added_group_phrases_become_groups(runner, new_registry, tmp_path):
    (tmp_path / "d.yaml").write_text("counties: [离石区]\ncounty_kinds: [应急管理局]\ndepartments:\n"
                                     "- name: 市住建局\n", encoding="utf-8")
    data = new_registry(departments=tmp_path / "d.yaml")
    (tmp_path / "list.txt").write_text(
        "一、城市建设（1条1项）\n1. 开展燃气管网排查。\n责任单位：市、县住建局，各县（市、区）应急管理局\n",
        encoding="utf-8")
    result = run(runner, "import-notice", "list.txt", "--data", "reg", "--add-departments")
    assert result.exit_code == 0, result.output
    assert (data / "departments.yaml").read_text(encoding="utf-8").split("groups:\n")[1] == (
        "- name: 市、县住建局\n  aliases: [市县住建局]\n  members: [市住建局]\n"
        "  description: \"added by import-notice: printed so in list.txt, line 3; list its members\"\n"
        "- name: 各县（市、区）应急管理局\n  aliases: [各县市区应急管理局]\n  county_kind: 应急管理局\n"
        "  description: \"added by import-notice: printed so in list.txt, line 3; list its members\"\n")
    checks_clean(runner, data)
    result = run(runner, "depts", "离石区应急管理局", "--data", "reg")
    assert result.exit_code == 0, result.output
    assert "各县（市、区）应急管理局" in result.stdout
