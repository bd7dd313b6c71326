"""The monthly summary as one self-contained web page: the tables, and completion per
campaign and per department as bar charts in inline SVG, overdue in red.

No script, no network, no file beside it: it opens in any browser, offline, and prints on
A4 (each chart kept on one page, table headers repeated on every page).
"""

from __future__ import annotations

from html import escape
from typing import Any, NamedTuple

from ..report import SECTIONS
from .common import (HEADERS, NUMBERS, RATES, cell_text, columns, heading, period_sentence,
                     report_title, section_title, totals_sentence)

# Colours of the bars' segments: (CSS class, fill, legend).
DONE = ("done", "#2e7d32", "已完成")
LATE = ("late", "#9ccc65", "已完成（超期）")
OPEN = ("open", "#cfd8dc", "未完成")
OVERDUE = ("overdue", "#c62828", "逾期未完成")
ROWS_PER_CHART = 30  # a taller chart would not fit on one printed page

STYLE = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC",
       "Source Han Serif SC", serif; font-size: 12pt; color: #000; max-width: 182mm;
       margin: 0 auto; padding: 8mm 0; }
h1 { font-family: "方正小标宋简体", "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", serif;
     font-size: 20pt; font-weight: normal; text-align: center; margin: 0 0 4mm; }
h2 { font-family: "黑体", "SimHei", "Heiti SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
     sans-serif; font-size: 14pt; font-weight: normal; margin: 6mm 0 2mm; break-after: avoid; }
p.meta { font-family: "楷体_GB2312", "KaiTi", "楷体", "STKaiti", serif; text-align: center; }
p { text-indent: 2em; line-height: 1.6; margin: 1mm 0; }
p.none { text-indent: 2em; }
figure { margin: 2mm 0 4mm; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
svg text { font-family: "黑体", "SimHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
           font-size: 11px; fill: #000; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; margin-bottom: 3mm; }
thead { display: table-header-group; }
th { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-weight: normal;
     background: #d9d9d9; }
th, td { border: 1px solid #808080; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
td.red { color: #c62828; font-weight: bold; }
tr { break-inside: avoid; }
"""


class Bar(NamedTuple):
    label: str
    segments: list[tuple[int, tuple[str, str, str]]]  # (count, colour)
    note: str


def render(summary: dict[str, Any]) -> str:
    title = report_title(summary)
    out = ['<!DOCTYPE html>', '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
           f"<title>{escape(title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
           f"<h1>{escape(title)}</h1>", f'<p class="meta">{escape(period_sentence(summary))}</p>',
           f"<h2>{heading(1, '总体情况')}</h2>", f"<p>{escape(totals_sentence(summary))}</p>"]
    for n, section in enumerate(SECTIONS, 2):
        rows = summary[section]
        out.append(f"<h2>{escape(heading(n, section_title(section, summary)))}</h2>")
        if section == "campaigns" and rows:
            out += charts("各专项完成情况", [_campaign_bar(r) for r in rows], [DONE, OPEN, OVERDUE])
        if section == "departments" and rows:
            out += charts("各责任单位完成情况", [_department_bar(r) for r in rows],
                          [DONE, LATE, OPEN, OVERDUE])
        out.append(table(columns(section), rows) if rows else '<p class="none">无。</p>')
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _campaign_bar(r: dict[str, Any]) -> Bar:
    open_ = r["items"] - r["done"] - r["overdue"]
    return Bar(f"{r['campaign']} {r['title']}", [(r["done"], DONE), (open_, OPEN), (r["overdue"], OVERDUE)],
               f"完成率 {r['completion'] * 100:.1f}%" + (f" · 逾期 {r['overdue']}" if r["overdue"] else ""))


def _department_bar(r: dict[str, Any]) -> Bar:
    open_ = r["items"] - r["done"] - r["overdue"]
    return Bar(r["name"], [(r["on_time"], DONE), (r["done"] - r["on_time"], LATE), (open_, OPEN),
                           (r["overdue"], OVERDUE)],
               f"按时 {r['on_time_rate'] * 100:.1f}%" + (f" · 逾期 {r['overdue']}" if r["overdue"] else ""))


def charts(title: str, bars: list[Bar], legend: list[tuple[str, str, str]]) -> list[str]:
    """Horizontal bars, each the whole of one row's items, split by state; a chart per
    ``ROWS_PER_CHART`` rows so that each prints on one page."""
    chunks = [bars[i:i + ROWS_PER_CHART] for i in range(0, len(bars), ROWS_PER_CHART)]
    return [chart(title + (f"（{k + 1}/{len(chunks)}）" if len(chunks) > 1 else ""), chunk, legend)
            for k, chunk in enumerate(chunks)]


def chart(title: str, bars: list[Bar], legend: list[tuple[str, str, str]]) -> str:
    label_w, bar_w, note_w, row_h, top = 250, 300, 130, 20, 44
    width = label_w + bar_w + note_w
    height = top + row_h * len(bars) + 8
    parts = [f'<figure><svg role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
             f'<text x="0" y="14" font-size="13">{escape(title)}</text>']
    x = label_w
    for _css, fill, word in legend:
        parts.append(f'<rect x="{x}" y="22" width="10" height="10" fill="{fill}"/>'
                     f'<text x="{x + 14}" y="31">{escape(word)}</text>')
        x += 14 + 12 * len(word) + 14
    for tick in range(0, 101, 25):
        tx = label_w + bar_w * tick / 100
        parts.append(f'<line x1="{tx:g}" y1="{top - 4}" x2="{tx:g}" y2="{height - 6}" '
                     f'stroke="#b0b0b0" stroke-width="0.5"/>')
    for i, bar in enumerate(bars):
        y = top + i * row_h
        total = sum(n for n, _ in bar.segments)
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">'
                     f'<title>{escape(bar.label)}</title>{escape(_cut(bar.label, label_w - 10))}</text>')
        x0 = float(label_w)
        for count, (css, fill, word) in bar.segments:
            if count <= 0 or total <= 0:
                continue
            w = bar_w * count / total
            parts.append(f'<rect class="{css}" x="{x0:.2f}" y="{y + 3}" width="{w:.2f}" height="13" '
                         f'fill="{fill}"><title>{escape(word)} {count}</title></rect>')
            x0 += w
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 13}">{escape(bar.note)}</text>')
    parts.append("</svg></figure>")
    return "".join(parts)


def _cut(text: str, width: int) -> str:
    """The label cut to the room it has (11 px type: a Chinese character about 11 px)."""
    from .ledger import display_width

    if display_width(text) * 5.6 <= width:
        return text
    out = ""
    for ch in text:
        if (display_width(out + ch) + 2) * 5.6 > width:
            break
        out += ch
    return out + "…"


def table(fields: list[str], rows: list[dict[str, Any]]) -> str:
    head = "".join(f"<th>{escape(HEADERS[f])}</th>" for f in fields)
    body = []
    for r in rows:
        cells = []
        for f in fields:
            value = r.get(f)
            css = "num" if f in NUMBERS or f in RATES else "nowrap" if f in ("id", "date", "deadline", "due") else ""
            if f in ("overdue", "days_overdue") and value:
                css += " red"
            attr = f' class="{css.strip()}"' if css.strip() else ""
            cells.append(f"<td{attr}>{escape(cell_text(f, value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table>"
