"""The monthly summary (``report.build``'s data) as Markdown or CSV.

Pure functions: the summary and each section's fields (``report.FIELDS``) in, text out; the
same data gives the same bytes. Word, Excel and HTML are in ``office``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import UsageError
from . import delimited_text, visible

LANGS = ("zh", "en")

# Each section's title and its fields' column headers, in English (--lang en) and in Chinese
# (--lang zh, the default: the report goes to 市政府安委办, and offices write it in Chinese).
# The CSV's headers are the field names.
_TITLES = {
    "campaigns": "Campaigns",
    "departments": "Departments, ranked by on-time completion",
    "completed": "Completed this month (完成任务)",
    "problems": "Problems (存在问题): blocked items and notes of the month",
    "overdue": "Overdue, oldest first",
    "due_next_month": "Due next month",
    "recurring": "Recurring obligations of the month, and whether each was met",
    "stale": "Stale: open, no report for {stale_days} days (candidates for 挂牌督办)",
}
_TITLES_ZH = {
    "campaigns": "各专项进展",
    "departments": "各部门按期完成率排名",
    "completed": "本月完成任务",
    "problems": "存在问题：受阻事项和本月反映问题的备注",
    "overdue": "逾期事项，按时限先后",
    "due_next_month": "下月到期事项",
    "recurring": "本月定期任务完成情况",
    "stale": "{stale_days}天以上未报送进展的事项，挂牌督办候选",
}
_HEADERS: dict[str, dict[str, str]] = {
    "campaigns": {"campaign": "No.", "title": "campaign", "items": "items", "done": "done",
                  "in_progress": "in progress", "not_started": "not started", "blocked": "blocked",
                  "overdue": "overdue", "unassigned": "unassigned", "completion": "completion",
                  "shares": "shares", "shares_done": "shares done"},
    "departments": {"rank": "rank", "name": "department", "items": "items", "done": "done",
                    "on_time": "on time", "overdue": "overdue", "on_time_rate": "on-time rate"},
    "completed": {"date": "date", "id": "ID", "share": "share of", "by": "reported by",
                  "note": "note", "reopened": "reopened", "text": "item"},
    "problems": {"kind": "kind", "date": "date", "id": "ID", "status": "status",
                 "by": "reported by", "note": "note", "text": "item"},
    "overdue": {"deadline": "deadline", "days_overdue": "days over", "id": "ID",
                "status": "status", "departments": "departments", "text": "item"},
    "due_next_month": {"deadline": "deadline", "id": "ID", "status": "status",
                       "departments": "departments", "text": "item"},
    "recurring": {"due": "due", "period": "period", "id": "ID", "met": "met",
                  "date": "done on", "by": "reported by", "rule": "as the notice says"},
    "stale": {"last_entry": "last report", "days_since": "days since", "id": "ID",
              "status": "status", "departments": "departments", "text": "item"},
}
_HEADERS_ZH: dict[str, dict[str, str]] = {
    "campaigns": {"campaign": "序号", "title": "专项", "items": "项数", "done": "已完成",
                  "in_progress": "进行中", "not_started": "未开始", "blocked": "受阻",
                  "overdue": "逾期", "unassigned": "未明确责任部门", "completion": "完成率",
                  "shares": "份数", "shares_done": "已完成份数"},
    "departments": {"rank": "排名", "name": "部门", "items": "项数", "done": "已完成",
                    "on_time": "按期完成", "overdue": "逾期", "on_time_rate": "按期完成率"},
    "completed": {"date": "完成日期", "id": "编号", "share": "所属部门", "by": "报送单位",
                  "note": "备注", "reopened": "已重新打开", "text": "事项"},
    "problems": {"kind": "类别", "date": "日期", "id": "编号", "status": "状态",
                 "by": "报送单位", "note": "备注", "text": "事项"},
    "overdue": {"deadline": "完成时限", "days_overdue": "逾期天数", "id": "编号",
                "status": "状态", "departments": "责任部门", "text": "事项"},
    "due_next_month": {"deadline": "完成时限", "id": "编号", "status": "状态",
                       "departments": "责任部门", "text": "事项"},
    "recurring": {"due": "到期日", "period": "周期", "id": "编号", "met": "是否完成",
                  "date": "完成日期", "by": "报送单位", "rule": "通知原文"},
    "stale": {"last_entry": "最近报送", "days_since": "间隔天数", "id": "编号",
              "status": "状态", "departments": "责任部门", "text": "事项"},
}
_NUMERIC = {"campaign", "items", "done", "in_progress", "not_started", "blocked", "overdue",
            "unassigned", "completion", "rank", "on_time", "on_time_rate", "days_overdue",
            "days_since", "shares", "shares_done"}

Fields = Mapping[str, Sequence[str]]  # section: its fields, in the order they are shown


def _cell(field: str, value: Any, lang: str = "en") -> str:
    zh = lang == "zh"
    if field == "departments" and not value:
        return "（未明确）" if zh else "(unassigned)"
    if field == "last_entry" and value is None:
        return "从未报送" if zh else "never"
    if field in ("met", "reopened"):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if value is None:
        return ""
    if zh and field == "status":
        from ..typed import STATUS_CN

        return STATUS_CN.get(value, value)
    if zh and field == "kind":
        return {"blocked": "受阻", "note": "备注"}.get(value, value)
    if field in ("completion", "on_time_rate"):
        return f"{value * 100:.1f}%"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _md_cell(text: str) -> str:
    return visible(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _front(summary: dict[str, Any], lang: str) -> list[str]:
    t, p = summary["totals"], summary["period"]
    dept = _md_cell(summary["department"]) if summary["department"] else None
    rate = f"{t['completion'] * 100:.1f}%"
    if lang == "zh":
        return [f"- 期间：{p['start']} 至 {p['end']}；截至 {summary['as_of']}",
                f"- 部门：{dept or '全部'}",
                f"- 总体：{t['campaigns']} 个专项，{t['tasks']} 条任务，{t['items']} 项；"
                f"已完成 {t['done']}，进行中 {t['in_progress']}，未开始 {t['not_started']}，"
                f"受阻 {t['blocked']}；逾期 {t['overdue']}；未明确责任部门 {t['unassigned']}；"
                f"完成率 {rate}"]
    return [f"- Period: {p['start']} to {p['end']}; as of {summary['as_of']}",
            f"- Department: {dept or 'all'}",
            f"- Registry: {t['campaigns']} campaigns, {t['tasks']} tasks, {t['items']} items; "
            f"done {t['done']}, in progress {t['in_progress']}, not started {t['not_started']}, "
            f"blocked {t['blocked']}; overdue {t['overdue']}; unassigned {t['unassigned']}; "
            f"completion {rate}"]


def markdown(summary: dict[str, Any], fields: Fields, lang: str = "zh") -> str:
    """The summary as Markdown, a table per section of ``fields`` (in their order): labels in
    Chinese (``zh``, the default) or English (``en``)."""
    if lang not in LANGS:
        raise UsageError(f"--lang: unknown language '{lang}' (use zh or en)")
    zh = lang == "zh"
    out = [f"# 安全生产专项整治三年行动 月度汇总 {summary['period']['month']}", "",
           *_front(summary, lang)]
    for section, shown in fields.items():
        rows = summary[section]
        title = (_TITLES_ZH if zh else _TITLES)[section].format(stale_days=summary["stale_days"])
        out += ["", f"## {title}（{len(rows)}）" if zh else f"## {title} ({len(rows)})", ""]
        if not rows:
            out.append("无。" if zh else "None.")
            continue
        headers = (_HEADERS_ZH if zh else _HEADERS)[section]
        out.append("| " + " | ".join(headers[f] for f in shown) + " |")
        out.append("|" + "|".join("---:" if f in _NUMERIC else "---" for f in shown) + "|")
        for r in rows:
            out.append("| " + " | ".join(_md_cell(_cell(f, r.get(f), lang)) for f in shown) + " |")
    return "\n".join(out) + "\n"


def csv_text(summary: dict[str, Any], fields: Fields, section: str | None = None) -> str:
    """One CSV table per section of ``fields`` (each after a ``# section`` line), or just
    ``section``."""
    chosen = [section] if section else list(fields)
    parts = []
    for name in chosen:
        table = delimited_text(summary[name], fields[name])
        parts.append(table if section else f"# {name}\n{table}")
    return "\n".join(parts)
