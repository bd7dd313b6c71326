"""Notices the import tests build themselves in tmp_path: a Word table whose department cell
is merged over several rows, an Excel ledger with 牵头/配合 columns, a county's 责任分解方案 as
numbered text, and the same ledger as CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

HEADER = ["序号", "任务", "责任单位", "完成时限"]


def make_docx(path: Path, transport: str = "市交通局", fire_support: str = "市住建局") -> Path:
    """Campaign 1: one department cell merged over rows 1-3, one deadline cell over rows 1-2.
    Table 2: campaign 2, then a heading row merged across the table (campaign 3), and a cell
    merged across the 牵头 and 配合 columns."""
    import docx

    d = docx.Document()
    d.add_paragraph("吕梁市2023年安全生产重点任务清单")
    d.add_paragraph("一、危险化学品安全专项整治（3条5项）")
    t = d.add_table(rows=4, cols=4)
    for c, h in enumerate(HEADER):
        t.cell(0, c).text = h
    rows = ["(1) 开展危险化学品重大危险源企业专项检查。(2) 推进化工园区安全整治提升。",
            "(1) 完善危险化学品全链条安全监管机制。",
            "(1) 推动硝化、氯化等危险化工工艺企业自动化改造。(2) 2023年6月底前完成老旧装置排查。"]
    for r, text in enumerate(rows, 1):
        t.cell(r, 0).text = str(r)
        t.cell(r, 1).text = text
    t.cell(1, 2).merge(t.cell(3, 2)).text = "市应急管理局牵头，市工信局、市、县应急管理局配合"
    t.cell(1, 3).merge(t.cell(2, 3)).text = "2023年底前"
    t.cell(3, 3).text = "2023年9月份前"
    d.add_paragraph("二、消防安全专项整治（1条1项）")
    t2 = d.add_table(rows=4, cols=5)
    for c, h in enumerate(["序号", "任务", "牵头单位", "配合单位", "完成时限"]):
        t2.cell(0, c).text = h
    t2.cell(1, 0).text = "1"
    t2.cell(1, 1).text = "每季度开展一次高层建筑消防安全检查。"
    t2.cell(1, 2).text = "市消防救援支队"
    t2.cell(1, 3).text = fire_support
    t2.cell(1, 4).text = "每季度"
    t2.cell(2, 0).merge(t2.cell(2, 4)).text = "三、道路运输安全专项整治（1条1项）"
    t2.cell(3, 0).text = "1"
    t2.cell(3, 1).text = "2023年底前完成农村公路危险路段整治。"
    t2.cell(3, 2).merge(t2.cell(3, 3)).text = transport
    t2.cell(3, 4).text = "2023年底前"
    d.save(str(path))
    return path


def make_xlsx(path: Path) -> Path:
    """A ledger: a title row, 牵头单位 and 配合单位 columns, a 重点任务 cell merged over two
    rows, a real date cell, an ongoing deadline, and a column the importer leaves alone."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务清单"
    ws.append(["2023年安全生产重点任务台账"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限", "进展情况"])
    ws.append([1, "强化企业主体责任", "(1) 督促企业建立全员安全生产责任制。(2) 开展企业主要负责人安全培训。",
               "市应急管理局", "市工信局、市住建局", "2023年6月底前", "已部署"])
    ws.append([2, None, "推进企业安全生产标准化建设。", "市应急管理局", "各县（市、区）政府",
               dt.datetime(2023, 9, 30), None])
    ws.merge_cells("B3:B4")
    ws.append([3, "提升本质安全水平", "实施危险化学品企业自动化改造。", "市工信局", "市应急管理局",
               "长期坚持", None])
    wb.save(str(path))
    return path


COUNTY_TEXT = """\
交口县安全生产委员会办公室
关于印发《交口县2023年安全生产重点工作责任分解方案》的通知
各乡镇人民政府，县直各有关单位：
现将《交口县2023年安全生产重点工作责任分解方案》印发给你们，请认真抓好落实。

交口县2023年安全生产重点工作责任分解方案

一、总体要求
以习近平新时代中国特色社会主义思想为指导，坚持人民至上、生命至上。

二、强化安全生产责任落实（2条4项）
（一）压实党政领导责任。
1. 严格落实《地方党政领导干部安全生产责任制规定》，县委常委会、县政府常务会议每季度至少研究一次安全生产工作。
责任单位：县委办、县政府办
完成时限：长期坚持
2. 健全县安委会工作机制，修订安委会成员单位安全生产工作职责。
牵头单位：县应急管理局
配合单位：县安委会各成员单位
完成时限：2023年6月底前
（二）压实企业主体责任。(1) 督促企业主要负责人履行第一责任人职责；(2) 推动企业全员安全生产责任制落实。（责任单位：县应急管理局、县市场监管局；完成时限：2023年底前）

三、深化重点行业领域专项整治（牵头单位：县应急管理局）
（一）开展危险化学品安全专项整治，完成重大危险源企业评估。
完成时限：2023年12月31日
（二）开展燃气安全排查整治。
责任单位：县住建局、各乡镇
完成时限：每月

四、保障措施
（一）加强组织领导。
（二）强化督导检查。
"""

# The county's departments, as its departments.yaml would list them.
COUNTY_DEPARTMENTS = """\
counties: []
county_kinds: []
departments:
- name: 县委办
- name: 县政府办
- name: 县应急管理局
  aliases: [县应急局]
- name: 县市场监管局
- name: 县住建局
groups:
- name: 县安委会各成员单位
- name: 各乡镇
"""

LEDGER_CSV = """\
序号,重点任务,具体措施,牵头单位,配合单位,完成时限
1,强化企业主体责任,督促企业建立全员安全生产责任制。,市应急管理局,市工信局,2023年6月底前
2,,开展企业主要负责人安全培训。,,,
3,提升本质安全水平,"(1) 实施自动化改造；
(2) 推进智能化建设。",市工信局,,2023年底前
,,(3) 开展安全评估。,,,
"""
