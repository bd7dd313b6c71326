"""What the office formats share: the Chinese status and role words, the summary's section
titles and column headers, the sentences and headings of an official report, and Office files
made byte-stable. They are the tool's own labels; the registry's text is always printed as it is.
"""

from __future__ import annotations

from typing import Any

from ..render import visible
from ..typed import STATUS_CN, STATUS_WORDS

# The ledger writes the office's status words (``typed.STATUS_CN``) and reads those, the
# command line's (``typed.STATUS_WORDS``), the statuses themselves, and 滞后 (lagging), read
# as 受阻 as ledgers have used it.
READ_STATUS = {**STATUS_WORDS, "滞后": "blocked", **{status: status for status in STATUS_CN}}

ROLE_WORDS = {"lead": "牵头", "support": "配合", "supervise": "督促指导", "implement": "具体落实"}

REPORT_TITLE = "安全生产专项整治三年行动月度汇总"
NUMERALS = "一二三四五六七八九十"

# The summary's sections as an office report names them (the order is report.SECTIONS).
SECTION_TITLES = {
    "campaigns": "各专项整治进展情况",
    "departments": "各责任单位完成情况（按时完成率由高到低）",
    "completed": "本月完成任务",
    "problems": "存在问题（受阻事项及本月记录的情况）",
    "overdue": "逾期未完成事项（按完成时限排序）",
    "due_next_month": "下月到期事项",
    "recurring": "本月到期的周期性任务及完成情况",
    "stale": "长期未报告事项（{stale_days}日以上无报告，可列为挂牌督办候选）",
}
SHEET_NAMES = {"campaigns": "专项", "departments": "责任单位", "completed": "本月完成",
               "problems": "存在问题", "overdue": "逾期", "due_next_month": "下月到期",
               "recurring": "周期性任务", "stale": "长期未报告"}
HEADERS = {
    "campaign": "序号", "campaign_id": "专项标识", "title": "专项", "items": "项数", "done": "已完成",
    "in_progress": "进行中", "not_started": "未开始", "blocked": "受阻", "overdue": "逾期",
    "unassigned": "未明确责任单位", "completion": "完成率", "rank": "排名", "name": "责任单位",
    "on_time": "按时完成", "on_time_rate": "按时完成率", "date": "日期", "id": "编号",
    "by": "报告单位", "note": "情况说明", "text": "工作措施", "kind": "类型", "status": "状态",
    "deadline": "完成时限", "days_overdue": "逾期天数", "departments": "责任单位", "due": "到期日",
    "period": "周期", "met": "是否完成", "rule": "原文表述", "last_entry": "最近报告",
    "days_since": "间隔天数", "reopened": "已重新打开", "share": "所属部门", "shares": "份数",
    "shares_done": "已完成份数",
}
RATES = ("completion", "on_time_rate")
NUMBERS = ("campaign", "items", "done", "in_progress", "not_started", "blocked", "overdue",
           "unassigned", "rank", "on_time", "days_overdue", "days_since", "shares", "shares_done")


def columns(section: str) -> list[str]:
    """The fields of a section's table: the same as the Markdown and CSV summary's."""
    from ..report import FIELDS  # one list of columns for every format of the summary

    return list(FIELDS[section])


def section_title(section: str, summary: dict[str, Any]) -> str:
    return SECTION_TITLES[section].format(stale_days=summary["stale_days"])


def cell_text(field: str, value: Any) -> str:
    """A summary value as an office report prints it."""
    if field == "departments":
        return visible("、".join(value)) if value else "（未明确）"
    if field == "last_entry" and value is None:
        return "从未报告"
    if field in ("met", "reopened"):
        return "是" if value else "否"
    if field == "kind":
        return {"blocked": "受阻", "note": "情况记录"}.get(value, str(value))
    if field == "status":
        return STATUS_CN.get(value, str(value))
    if value is None:
        return ""
    if field in RATES:
        return f"{value * 100:.1f}%"
    return visible(str(value))


def totals_sentence(summary: dict[str, Any]) -> str:
    t = summary["totals"]
    return (f"共{t['campaigns']}个专项、{t['tasks']}条、{t['items']}项任务：已完成{t['done']}项，"
            f"进行中{t['in_progress']}项，未开始{t['not_started']}项，受阻{t['blocked']}项；"
            f"逾期{t['overdue']}项；未明确责任单位{t['unassigned']}项；"
            f"完成率{t['completion'] * 100:.1f}%。")


def period_sentence(summary: dict[str, Any]) -> str:
    p = summary["period"]
    who = visible(summary["department"] or "全部责任单位")
    return f"统计期间：{_cn_date(p['start'])}至{_cn_date(p['end'])}，截至{_cn_date(summary['as_of'])}；范围：{who}。"


def report_title(summary: dict[str, Any]) -> str:
    year, month = summary["period"]["month"].split("-")
    return f"{REPORT_TITLE}（{int(year)}年{int(month)}月）"


def heading(n: int, text: str) -> str:
    """一、… 十、…: the level-1 headings of an official report (the summary has at most nine)."""
    return f"{NUMERALS[n - 1]}、{text}"


def _cn_date(iso: str) -> str:
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{year}年{month}月{day}日"


def stable_zip(data: bytes, when: Any) -> bytes:
    """An Office file (a zip) with its clock readings replaced by the report's date: the
    same registry and arguments give the same bytes, as the text formats do."""
    import io
    import re
    import zipfile

    stamp = f"{when.isoformat()}T00:00:00Z"
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                                 lambda m: m.group(1) + stamp.encode() + m.group(3), content)
            stamped = zipfile.ZipInfo(info.filename, date_time=(when.year, when.month, when.day, 0, 0, 0))
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = 0o644 << 16
            target.writestr(stamped, content)
    return out.getvalue()
