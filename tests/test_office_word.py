"""The monthly summary as a Word report: A4, official layout, fonts with fallbacks, page numbers."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from safetylist.cli import app

from test_report import DEPARTMENTS, HISTORY_CAMPAIGN

HEADINGS = ["一、总体情况", "二、各专项整治进展情况", "三、各责任单位完成情况（按时完成率由高到低）",
            "四、本月完成任务", "五、存在问题（受阻事项及本月记录的情况）", "六、逾期未完成事项（按完成时限排序）",
            "七、下月到期事项", "八、本月到期的周期性任务及完成情况",
            "九、长期未报告事项（60日以上无报告，可列为挂牌督办候选）"]


@pytest.fixture
def report(runner, make_registry, tmp_path):
    data = make_registry({"04-coal-mine.yaml": HISTORY_CAMPAIGN}, departments=DEPARTMENTS)
    out = tmp_path / "2022-06.docx"
    result = runner.invoke(app, ["summary", "--month", "2022-06", "--format", "docx", "--output",
                                 str(out), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}\n"
    return out


def east_asian(font) -> str:
    return font.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_a4_with_the_official_margins(report):
    section = Document(report).sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin]
    assert [round(s.cm, 2) for s in sizes] == [21.0, 29.7, 3.7, 3.5, 2.8, 2.6]


def test_title_headings_and_body_in_their_fonts(report):
    doc = Document(report)
    paragraphs = doc.paragraphs
    assert paragraphs[0].text == "安全生产专项整治三年行动月度汇总（2022年6月）"
    assert paragraphs[0].style.name == "报告标题"
    assert paragraphs[1].text == "统计期间：2022年6月1日至2022年6月30日，截至2022年6月30日；范围：全部责任单位。"
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == HEADINGS
    assert paragraphs[3].text == ("共1个专项、3条、6项任务：已完成1项，进行中2项，未开始2项，受阻1项；逾期1项；"
                                  "未明确责任单位1项；完成率16.7%。")
    styles = doc.styles
    assert (east_asian(styles["报告标题"].font), styles["报告标题"].font.size) == ("方正小标宋简体", Pt(22))
    assert (east_asian(styles["Normal"].font), styles["Normal"].font.size) == ("仿宋_GB2312", Pt(16))
    assert (east_asian(styles["Heading 1"].font), styles["Heading 1"].font.size) == ("黑体", Pt(16))
    assert styles["Heading 1"].font.element.rPr.rFonts.get(qn("w:asciiTheme")) is None
    assert east_asian(styles["表头"].font) == "黑体" and east_asian(styles["表格"].font) == "仿宋_GB2312"


def test_each_font_names_its_fallback(report):
    table = zipfile.ZipFile(report).read("word/fontTable.xml").decode()
    for font, alt in [("方正小标宋简体", "宋体"), ("仿宋_GB2312", "仿宋"), ("黑体", "SimHei"), ("楷体_GB2312", "楷体")]:
        assert f'<w:font w:name="{font}"><w:altName w:val="{alt}"/>' in table


def test_tables_have_header_rows_that_repeat(report):
    doc = Document(report)
    # Sections with rows get a table; an empty one says 无。 (June has no recurring obligation)
    assert len(doc.tables) == 7
    assert [p.text for p in doc.paragraphs].count("无。") == 1
    campaigns, departments = doc.tables[0], doc.tables[1]
    assert [c.text for c in campaigns.rows[0].cells] == [
        "序号", "专项", "项数", "已完成", "进行中", "未开始", "受阻", "逾期", "未明确责任单位", "完成率",
        "份数", "已完成份数"]
    assert [c.text for c in campaigns.rows[1].cells] == [
        "4", "煤矿安全专项整治", "6", "1", "2", "2", "1", "1", "1", "16.7%", "15", "2"]
    assert [[c.text for c in r.cells] for r in departments.rows[1:]] == [  # each on its own shares
        ["1", "孝义市应急管理局", "3", "1", "1", "0", "33.3%"],
        ["2", "市应急管理局", "5", "1", "1", "1", "20.0%"],
        ["3", "市能源局", "3", "0", "0", "0", "0.0%"],
        ["4", "离石区应急管理局", "3", "0", "0", "0", "0.0%"]]
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    problems = doc.tables[3]
    assert [c.text for c in problems.rows[1].cells] == [
        "受阻", "2022-06-20", "4.2.1", "受阻", "市能源局", "资金未到位", "受阻的一项 | 含竖线"]


def test_page_numbers_at_the_foot(report):
    footer = zipfile.ZipFile(report).read("word/footer1.xml").decode()
    assert '<w:t xml:space="preserve">— </w:t>' in footer and '<w:t xml:space="preserve"> —</w:t>' in footer
    assert '<w:instrText xml:space="preserve"> PAGE </w:instrText>' in footer
    assert footer.count('w:fldCharType="begin"') == 1 and 'w:fldCharType="end"' in footer


def test_a_quiet_month_says_none_and_two_runs_give_the_same_bytes(runner, make_registry, tmp_path):
    data = make_registry({"04-coal-mine.yaml": HISTORY_CAMPAIGN}, departments=DEPARTMENTS)
    outs = [tmp_path / "a.docx", tmp_path / "b.docx"]
    for out in outs:
        result = runner.invoke(app, ["summary", "--month", "2021-01", "--format", "docx", "--output",
                                     str(out), "--data", str(data)])
        assert result.exit_code == 0, result.output
    assert outs[0].read_bytes() == outs[1].read_bytes()
    doc = Document(outs[0])
    assert [p.text for p in doc.paragraphs].count("无。") == 5
    assert doc.core_properties.title == "安全生产专项整治三年行动月度汇总（2021年1月）"
    assert "docProps/thumbnail.jpeg" not in zipfile.ZipFile(outs[0]).namelist()


def test_word_and_excel_need_an_output_file(runner, make_registry):
    for fmt in ("docx", "xlsx"):
        result = runner.invoke(app, ["summary", "--month", "2022-06", "--format", fmt,
                                     "--data", str(make_registry())])
        assert result.exit_code == 2, result.output
        assert result.stderr == f"safetylist: error: --format {fmt} writes a file: give --output FILE\n"
