"""The ledger (台账): one row per item, as the office sends it to departments and reads it back.

``build`` makes the ledger's rows from the registry; ``xlsx_bytes`` and ``csv_text`` render
it; ``read`` reads a returned ledger (xlsx, or CSV with or without a byte-order mark) as
plain rows for ``returns`` to check and record.

Each sheet starts with a title row that names the notice and the as-of date, then the
header. 状态, 进展情况, 报告日期 and 报告单位 show the latest report on the item: the
department's own, when the ledger is one department's (``--dept``, or a sheet per
department), else anyone's. Import compares a returned row with the same states.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import UsageError
from ..query import ItemView, all_items, resolve_campaign
from ..errors import display_path
from ..registry import Registry
from ..render import visible
from ..status import is_overdue
from ..typed import STATUS_CN
from .common import ROLE_WORDS, stable_zip

COLUMNS = ("编号", "专项", "任务", "工作措施", "责任单位", "完成时限", "状态", "进展情况", "报告日期", "报告单位")
FILLED = ("状态", "进展情况", "报告日期", "报告单位")  # the cells a department fills in
# Excel column widths (in widths of "0"; a Chinese character takes about two).
WIDTHS = {"编号": 10, "专项": 16, "任务": 7, "工作措施": 60, "责任单位": 26, "完成时限": 16,
          "状态": 9, "进展情况": 40, "报告日期": 12, "报告单位": 18}
WRAPPED = ("专项", "工作措施", "责任单位", "完成时限", "进展情况", "报告单位")
LEDGER_WORD = "台账"
_NOTICE = re.compile(r"[^\s·（(]+〔\d{4}〕\d+号")
_AS_OF = re.compile(r"截至\s*(\d{4}-\d{2}-\d{2})")


class State(NamedTuple):
    """What the ledger shows of an item: a status, the progress note, when and by whom."""

    status: str
    note: str
    date: dt.date | None
    by: str | None


class Row(NamedTuple):
    id: str
    campaign: str
    task: str
    text: str
    departments: str
    deadline: str
    state: State
    overdue: bool

    def cells(self) -> list[Any]:
        s = self.state
        return [self.id, self.campaign, self.task, self.text, self.departments, self.deadline,
                STATUS_CN[s.status], s.note, s.date, s.by or ""]


class Sheet(NamedTuple):
    name: str
    title: str
    rows: list[Row]


class Ledger(NamedTuple):
    notice: str | None
    as_of: dt.date
    department: str | None
    sheets: list[Sheet]


# The states an item shows -----------------------------------------------------------


def notice_of(registry: Registry) -> str | None:
    """The notice the registry holds (its manifest's ``notice``), or None without a manifest."""
    return registry.manifest.notice if registry.manifest is not None else None


def share_state(view: ItemView, dept: str) -> State:
    """The department's own latest report on the item; 未开始 when it has made none."""
    return _state(view, [h for h in view.item.history if h.by == dept], "not_started")


def item_state(view: ItemView) -> State:
    """The item's latest report, whoever made it; its stored status when it has none."""
    return _state(view, view.item.history, view.item.status)


def _state(view: ItemView, entries: list[Any], none: str) -> State:
    """A recurring obligation's row is about the period due as of the ledger's date (its
    完成时限): open, unless every period is met; a period done means work in progress."""
    last = entries[-1] if entries else None
    status = last.status if last is not None else none
    if view.recurring:
        if view.as_of is not None and view.period is None:
            status = "done"
        elif last is not None and last.period is not None:
            status = "in_progress"
    if last is None:
        return State(status, "", None, None)
    return State(status, clean(last.note), last.date, clean(last.by) or None)


def period_shown(view: ItemView, deadline_cell: Any) -> str | None:
    """The period a recurring obligation's row is about: the one whose due date its 完成时限
    cell shows (as exported), else the one due as of the view's date."""
    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", str(deadline_cell or ""))
    if m:
        from ..recurrence import periods

        due = dt.date.fromisoformat(m.group(1))
        start, end = view.bounds
        for p in periods(view.item.recurrence or "", start, due, end):
            if p.due == due:
                return p.label
    return view.period.label if view.period is not None else None


def clean(text: Any) -> str:
    """A text as a cell holds it, and as compared and recorded: line ends as LF, outer blanks
    dropped, control characters shown as ``\\xNN`` (a workbook cannot hold them)."""
    if text is None:
        return ""
    return visible(str(text).replace("\r\n", "\n").replace("\r", "\n").strip())


def departments_cell(view: ItemView) -> str:
    return "、".join(a.name + (f"（{ROLE_WORDS[a.role]}）" if a.role else "")
                    for a in view.assignments) or "（未明确）"


def _deadline(view: ItemView) -> str:
    if view.deadline is None:
        return ""
    shown = view.deadline.isoformat()
    phrase = view.deadline_text if view.deadline_explicit else None
    return f"{shown}（{phrase}）" if phrase else shown


def _row(view: ItemView, state: State, as_of: dt.date) -> Row:
    overdue = is_overdue(state.status, view.deadline, as_of)
    return Row(view.id, clean(view.campaign.title), view.task.id, clean(view.item.text),
               clean(departments_cell(view)), clean(_deadline(view)), state, overdue)


# Building ----------------------------------------------------------------------------


def build(registry: Registry, as_of: dt.date, dept: str | None = None,
          campaigns: list[str] | None = None, by_dept: bool = False) -> Ledger:
    """The ledger: a sheet per campaign, or per department (``by_dept``)."""
    notice = notice_of(registry)
    views = all_items(registry, as_of)
    if campaigns:
        numbers = {resolve_campaign(registry, c) for c in campaigns}
        views = [v for v in views if v.campaign.number in numbers]
    directory = registry.directory
    if dept is not None:
        visible = directory.visible(dept)
        views = [v for v in views if visible.intersection(v.departments)]
    views.sort(key=lambda v: v.sort_key)
    head = f"{notice or '任务清单'} {LEDGER_WORD}"
    when = f"截至 {as_of.isoformat()}"
    sheets: list[Sheet] = []
    if by_dept:
        names = [dept] if dept is not None else [
            n for n, e in directory.entries.items() if e.kind == "department"]
        for name in names:
            visible = directory.visible(name)
            rows = [_row(v, share_state(v, name), as_of)
                    for v in views if visible.intersection(v.departments)]
            if rows:
                sheets.append(Sheet(sheet_name(clean(name)), f"{head} · {clean(name)} · {when}", rows))
    else:
        for c in registry.campaigns:
            rows = [_row(v, share_state(v, dept) if dept else item_state(v), as_of)
                    for v in views if v.campaign.number == c.number]
            if rows:
                scope = clean(f"{c.number} {c.title}" + (f" · {dept}" if dept else ""))
                sheets.append(Sheet(sheet_name(clean(f"{c.number:02d} {c.title}")),
                                    f"{head} · {scope} · {when}", rows))
    if not sheets:
        sheets.append(Sheet(LEDGER_WORD, f"{head} · {clean(dept or '全部')} · {when}", []))
    return Ledger(notice, as_of, dept, sheets)


def sheet_name(text: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "_", text)[:31]


def display_width(text: str) -> int:
    """Columns of text: East Asian wide and fullwidth characters take two."""
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


# Rendering ----------------------------------------------------------------------------


def csv_text(ledger: Ledger) -> str:
    """One table: the title row, the header, the rows (sheets one after another)."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    titles = {s.title for s in ledger.sheets}
    title = ledger.sheets[0].title if len(titles) == 1 else (
        f"{ledger.notice or '任务清单'} {LEDGER_WORD} · {ledger.department or '全部'} · "
        f"截至 {ledger.as_of.isoformat()}")
    writer.writerow([title])
    writer.writerow(COLUMNS)
    for sheet in ledger.sheets:
        for row in sheet.rows:
            writer.writerow(["" if c is None else (c.isoformat() if isinstance(c, dt.date) else c)
                             for c in row.cells()])
    return buf.getvalue()


def xlsx_bytes(ledger: Ledger) -> bytes:
    """The workbook: per sheet a title row, a frozen header, wrapped text, 状态 as a drop-down,
    overdue rows filled red, and every cell but the four a department fills in protected."""
    import io
    from copy import copy

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body_font = Font(name="宋体", size=11)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    red = PatternFill("solid", fgColor="FFC7CE")
    open_cell = Protection(locked=False)
    filled = {COLUMNS.index(c) + 1 for c in FILLED}
    centred = {COLUMNS.index(c) + 1 for c in ("编号", "任务", "状态", "报告日期")}
    words = ",".join(STATUS_CN.values())
    date_col = COLUMNS.index("报告日期") + 1
    styles: dict[tuple[int, bool], Any] = {}  # (column, overdue) -> a styled cell's style array
    for sheet in ledger.sheets:
        ws = wb.create_sheet(sheet.name)
        last = get_column_letter(len(COLUMNS))
        ws.append([sheet.title])
        ws.merge_cells(f"A1:{last}1")
        ws["A1"].font = Font(name="黑体", size=14, bold=True)
        ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 30
        ws.append(list(COLUMNS))
        for n, name in enumerate(COLUMNS, 1):
            cell = ws.cell(row=2, column=n)
            cell.font = Font(name="黑体", size=11, bold=True)
            cell.fill = PatternFill("solid", fgColor="D9D9D9")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
            ws.column_dimensions[get_column_letter(n)].width = WIDTHS[name]
        for r, row in enumerate(sheet.rows, 3):
            ws.append(row.cells())
            for n in range(1, len(COLUMNS) + 1):
                cell = ws.cell(row=r, column=n)
                style = styles.get((n, row.overdue))
                if style is not None:
                    # Setting a style's parts costs a hash of each per cell (most of the time
                    # of a large ledger); copying a styled cell's style array costs nothing.
                    cell._style = copy(style)
                    continue
                cell.font = body_font
                cell.border = border
                cell.alignment = centre if n in centred else wrap
                if n in filled:
                    cell.protection = open_cell
                if row.overdue:
                    cell.fill = red
                if n == date_col:
                    cell.number_format = "yyyy-mm-dd"
                styles[n, row.overdue] = cell._style
            ws.row_dimensions[r].height = _height(row)
        end = max(3, len(sheet.rows) + 2)
        status_col = get_column_letter(COLUMNS.index("状态") + 1)
        dv = DataValidation(type="list", formula1=f'"{words}"', allow_blank=False,
                            showErrorMessage=True, errorTitle="状态",
                            error="请从下拉列表中选择：" + "、".join(STATUS_CN.values()))
        dv.add(f"{status_col}3:{status_col}{end}")
        ws.add_data_validation(dv)
        ws.freeze_panes = "B3"
        ws.auto_filter.ref = f"A2:{last}{end}"
        # Import keys on 编号 and checks 工作措施: those and the notice's other columns are
        # locked (no password: the lock prevents slips, the import's checks do the rest).
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        ws.protection.autoFilter = False
        ws.protection.sort = False
        ws.print_title_rows = "1:2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return stable_zip(out.getvalue(), ledger.as_of)


def _height(row: Row) -> float:
    """Row height in points for the wrapped text (Excel does not fit rows written by a program)."""
    cells = dict(zip(COLUMNS, row.cells()))
    lines = 1
    for name in WRAPPED:
        text = str(cells[name] or "")
        per_line = max(1, WIDTHS[name] - 2)
        lines = max(lines, sum(-(-_width(part) // per_line) or 1 for part in text.split("\n")))
    return min(409.0, 15.0 * lines)


def _width(text: str) -> int:
    """About ``display_width``, fast: a character of three UTF-8 bytes (CJK) counts two."""
    return (len(text) + len(text.encode("utf-8"))) // 2


# Reading a returned ledger ----------------------------------------------------------------


class ReadRow(NamedTuple):
    number: int  # the row's number in its sheet (or line in the CSV file)
    cells: dict[str, Any]  # header name -> value


class ReadSheet(NamedTuple):
    name: str | None  # None for a CSV file
    title: str
    header: dict[str, int]  # header name -> column number, from 1
    header_row: int
    rows: list[ReadRow]

    def where(self, path: Path) -> str:
        shown = display_path(path)
        return f"{shown}[{self.name}]" if self.name is not None else shown


# A sheet's name (None for a CSV file) and its rows of cell values.
Table = tuple[str | None, list[list[Any]]]


def read(path: Path) -> list[ReadSheet]:
    """The ledger sheets of a returned workbook or CSV file (sheets without the header are
    left out: a department may add a sheet of its own)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    tables: list[Table]
    if suffix in (".xlsx", ".xlsm"):
        tables = _xlsx_tables(path)
    elif suffix in (".csv", ".txt"):
        tables = [(None, _csv_rows(path))]
    else:
        raise UsageError(f"{display_path(path)}: import reads a ledger saved as .xlsx or .csv "
                         "(in Excel or WPS: 另存为 Excel 工作簿 or CSV)")
    sheets = [s for s in (_sheet(name, rows) for name, rows in tables) if s is not None]
    if not sheets:
        raise UsageError(f"{display_path(path)}: no sheet holds the ledger's header "
                         f"({' / '.join(COLUMNS)}); import reads ledgers made by "
                         "`safetylist export`")
    return sheets


def _xlsx_tables(path: Path) -> list[Table]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        # XML entity tricks are refused by defusedxml (EntitiesForbidden, under openpyxl's error)
        cause = exc.__cause__ or exc.__context__ or exc
        reason = " ".join(f"{type(cause).__name__}: {cause}".split())[:160]
        raise UsageError(f"{display_path(path)}: not an Excel workbook that can be read "
                         f"({reason}); save it again as .xlsx") from None
    try:
        return [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
                for ws in wb.worksheets]
    finally:
        wb.close()


def _csv_rows(path: Path) -> list[list[Any]]:
    import csv
    import io

    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Chinese Windows is in the local code page (GBK). A wrong
        # guess cannot slip through: every row's 工作措施 must match the registry's text.
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise UsageError(f"{display_path(path)}: neither UTF-8 nor GBK text; save it as "
                             "CSV UTF-8") from None
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _sheet(name: str | None, rows: list[list[Any]]) -> ReadSheet | None:
    for n, values in enumerate(rows[:10]):
        texts = [clean(v) for v in values]
        if "编号" in texts and "工作措施" in texts:
            header = {t: i + 1 for i, t in enumerate(texts) if t}
            title = next((clean(v) for r in rows[:n] for v in r if clean(v)), "")
            body = [ReadRow(n + 2 + k, {h: (values[i - 1] if i - 1 < len(values) else None)
                                        for h, i in header.items()})
                    for k, values in enumerate(rows[n + 1:])]
            return ReadSheet(name, title, header, n + 1, body)
    return None


def title_notice(title: str) -> str | None:
    m = _NOTICE.search(title)
    return m.group(0) if m else None


def title_as_of(title: str) -> dt.date | None:
    """The ledger's date, from its title row."""
    m = _AS_OF.search(title)
    try:
        return dt.date.fromisoformat(m.group(1)) if m else None
    except ValueError:
        return None
