"""The monthly summary as a Word report, in the layout of official documents (GB/T 9704).

A4 with the standard margins; the title in 方正小标宋简体 (二号), the body in 仿宋_GB2312
(三号), level-1 headings 一、二、… in 黑体; tables with a header row that repeats on every
page; page numbers "— 1 —" at the foot. Each font is named with the fallback Word uses
where it is missing (the font table's altName: 仿宋_GB2312 → 仿宋, and so on).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..report import SECTIONS
from .common import (HEADERS, NUMBERS, cell_text, columns, heading, period_sentence, report_title,
                     section_title, stable_zip, totals_sentence)

TITLE_FONT, BODY_FONT, HEADING_FONT, SUBTITLE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei", SUBTITLE_FONT: "楷体"}
LATIN_FONT = "Times New Roman"
WIDE = ("title", "name", "text", "note", "departments", "rule", "by")  # columns given more room


def render(summary: dict[str, Any]) -> bytes:
    import io

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = Document()
    page = doc.sections[0]
    page.page_width, page.page_height = Cm(21.0), Cm(29.7)
    page.top_margin, page.bottom_margin = Cm(3.7), Cm(3.5)
    page.left_margin, page.right_margin = Cm(2.8), Cm(2.6)
    _styles(doc)
    _font_fallbacks(doc)
    doc.add_paragraph(report_title(summary), style="报告标题")
    doc.add_paragraph(period_sentence(summary), style="报告副题")
    doc.add_paragraph(heading(1, "总体情况"), style="Heading 1")
    doc.add_paragraph(totals_sentence(summary))
    for n, section in enumerate(SECTIONS, 2):
        rows = summary[section]
        doc.add_paragraph(heading(n, section_title(section, summary)), style="Heading 1")
        if not rows:
            doc.add_paragraph("无。")
            continue
        _table(doc, columns(section), rows, page.page_width - page.left_margin - page.right_margin)
    _page_numbers(page.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER)
    _properties(doc, summary)
    out = io.BytesIO()
    doc.save(out)
    return stable_zip(out.getvalue(), dt.date.fromisoformat(summary["as_of"]))


def _properties(doc: Any, summary: dict[str, Any]) -> None:
    """The document's own properties, and no thumbnail of python-docx's empty template."""
    when = dt.datetime.fromisoformat(summary["as_of"])
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = report_title(summary), "safetylist", "safetylist"
    props.created = props.modified = when
    props.revision, props.comments = 1, ""
    package = doc.part.package
    for key, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[key]


def _set_fonts(font: Any, east_asian: str, size: float, bold: bool = False) -> None:
    """A run's or style's fonts: ``east_asian`` for Chinese, Times New Roman for digits and Latin."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font.name = LATIN_FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    fonts = font.element.get_or_add_rPr().get_or_add_rFonts()  # the run's or style's element
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the names


def _styles(doc: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    _set_fonts(normal.font, BODY_FONT, 16)  # 三号
    fmt = normal.paragraph_format
    fmt.first_line_indent = Pt(32)  # two characters
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    h1 = doc.styles["Heading 1"]
    _set_fonts(h1.font, HEADING_FONT, 16)
    h1.font.italic = False
    fmt = h1.paragraph_format
    fmt.first_line_indent = Pt(32)
    fmt.space_before, fmt.space_after = Pt(6), Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)
    fmt.keep_with_next = True

    for name, font, size, space in (("报告标题", TITLE_FONT, 22, 12), ("报告副题", SUBTITLE_FONT, 16, 12)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _set_fonts(style.font, font, size)
        fmt = style.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.space_after = Pt(space)

    for name, font, bold in (("表格", BODY_FONT, False), ("表头", HEADING_FONT, False)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _set_fonts(style.font, font, 10.5, bold)  # 五号
        fmt = style.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT if name == "表格" else WD_ALIGN_PARAGRAPH.CENTER


def _font_fallbacks(doc: Any) -> None:
    """Name each font's fallback in the font table (``w:altName``): Word uses it where the
    font is missing. python-docx has no API for the font table; it is edited as XML."""
    from lxml import etree

    from docx.oxml.ns import qn

    part = doc.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable")
    root = etree.fromstring(part.blob)
    for name, alt in FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alt)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "auto")
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _table(doc: Any, fields: list[str], rows: list[dict[str, Any]], width: int) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = doc.add_table(rows=1, cols=len(fields))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    weights = [4.0 if f in WIDE else 1.6 if f in ("date", "deadline", "due", "last_entry", "id")
               else 1.2 for f in fields]
    widths = [int(width * w / sum(weights)) for w in weights]
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeats on every page
    for column, w in zip(table.columns, widths):
        column.width = w  # the grid, which LibreOffice and WPS follow
    for cell, field, w in zip(header.cells, fields, widths):
        cell.width = w
        cell.paragraphs[0].text = HEADERS[field]
        cell.paragraphs[0].style = doc.styles["表头"]
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:fill"), "D9D9D9")
        cell._tc.get_or_add_tcPr().append(shade)
    body = doc.styles["表格"]
    for r in rows:
        cells = table.add_row().cells
        for cell, field, w in zip(cells, fields, widths):
            cell.width = w
            p = cell.paragraphs[0]
            p.text = cell_text(field, r.get(field))
            p.style = body
            if field in NUMBERS or field in ("completion", "on_time_rate", "met", "reopened"):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_numbers(paragraph: Any, align: Any) -> None:
    """"— 1 —": a PAGE field between dashes, in 宋体 四号."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = 0

    def run(text: str | None = None, field: str | None = None, instr: str | None = None) -> None:
        r = paragraph.add_run(text or "")
        _set_fonts(r.font, "宋体", 14)
        if field is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), field)
            r._r.append(el)
        if instr is not None:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
            r._r.append(el)

    run("— ")
    run(field="begin")
    run(instr=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(" —")
