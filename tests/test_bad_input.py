"""The bad-input catalogue: every row of docs/bad-input.md is a case here, and every case a row."""

from __future__ import annotations

import os
import re
import time
import tracemalloc

import pytest

from safetylist import fileops
from safetylist.cli import app

from conftest import MINI_CAMPAIGN, MINI_DEPARTMENTS, ROOT

DOC = ROOT / "docs" / "bad-input.md"


def campaign(old: str, new: str, count: int = 1) -> str:
    assert old in MINI_CAMPAIGN
    return MINI_CAMPAIGN.replace(old, new, count)


BILLION_LAUGHS = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},"
    f"*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)}]\n" for n in range(8))

def ledger(cells: dict[str, str] | None = None, csv: str | None = None, raw: bytes | None = None,
           name: str = "ledger.xlsx"):
    """A returned ledger of the mini registry, made in the test's folder: the export with
    ``cells`` changed, or saved as CSV in the encoding ``csv``, or just the bytes ``raw``."""

    def make(data, folder):
        import datetime as dt
        import zipfile

        from openpyxl import load_workbook

        from safetylist.office import ledger as office_ledger
        from safetylist.registry import open_registry

        made = office_ledger.build(open_registry(data), dt.date(2022, 6, 30))
        path = folder / name
        if name == "bomb.xlsx":  # "billion laughs" in the sheet's XML
            path.write_bytes(office_ledger.xlsx_bytes(made))
            laughs = "".join(f'<!ENTITY l{i + 1} "' + f"&l{i};" * 10 + '">' for i in range(9))
            with zipfile.ZipFile(path) as src, zipfile.ZipFile(folder / "ledger.xlsx", "w") as out:
                for info in src.infolist():
                    content = src.read(info.filename)
                    if info.filename == "xl/worksheets/sheet1.xml":
                        content = (f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY l0 "lol">{laughs}]>'
                                   '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                                   '2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
                                   '&l9;</t></is></c></row></sheetData></worksheet>').encode()
                    out.writestr(info.filename, content)
        elif raw is not None:
            path.write_bytes(raw)
        elif csv is not None:
            path.write_bytes(office_ledger.csv_text(made).replace(",未开始,", ",已完成,", 1).encode(csv))
        else:
            path.write_bytes(office_ledger.xlsx_bytes(made))
            wb = load_workbook(path)
            for ref, value in (cells or {}).items():
                wb.active[ref] = value
            wb.save(path)

    return make


IMPORT = ["import", "ledger.xlsx", "--by", "市应急管理局"]

# case: (file content or None for the mini campaign, extra CLI args, exit code, message)
CASES = {
    "invalid-yaml": (campaign("title: 煤矿安全专项整治", "title: [煤矿安全专项整治"), ["check"], 1,
                     "YAML syntax: while parsing a flow sequence"),
    "tabs": (campaign("    status: not_started\n", "\tstatus: not_started\n"), ["check"], 1,
             "found a tab character that violates indentation"),
    "conflict-markers": (campaign("title: 煤矿安全专项整治\n", "<<<<<<< ours\ntitle: 煤矿安全专项整治\n=======\n"
                                  "title: 煤矿安全专项整治（修订）\n>>>>>>> theirs\n"), ["check"], 1,
                         "unresolved merge conflict (lines 3-7): git's markers"),
    "duplicate-key": (campaign("title: 煤矿安全专项整治\n", "title: 煤矿安全专项整治\ntitle: 另一个\n"), ["check"], 1,
                      "duplicate key 'title' (first at line 3)"),
    "wrong-type": (campaign("number: 4", "number: four"), ["check"], 1,
                   "number: Input should be a valid integer"),
    "unknown-key": (campaign("    status: not_started\n", "    statuss: not_started\n"), ["check"], 1,
                    "unknown key 'statuss'; did you mean 'status'?"),
    "unknown-status": (campaign("    status: not_started\n", "    status: finished\n"), ["check"], 1,
                       "status: Input should be 'not_started', 'in_progress', 'done' or 'blocked'"),
    "unknown-department": (campaign("  - 市应急管理局\n", "  - 市应急管理\n"), ["check"], 1,
                           "unknown department '市应急管理'; did you mean 市应急管理局"),
    "impossible-date": (campaign("2022-06-30", "2022-02-30"), ["check"], 1,
                        "Input should be a valid date or datetime, day value is outside expected range"),
    "unknown-id": (None, ["show", "4.9.9"], 2, "no task 4.9 in campaign 4"),
    "empty-file": ("", ["check"], 1, "a campaign file must be a mapping"),
    "utf8-bom": ("\ufeff" + MINI_CAMPAIGN, ["check"], 0, None),
    "crlf": (MINI_CAMPAIGN.replace("\n", "\r\n"), ["check"], 0, None),
    "crlf-fmt": (MINI_CAMPAIGN.replace("\n", "\r\n"), ["fmt", "--check"], 1, "would reformat"),
    "not-utf8": (MINI_CAMPAIGN.encode("gbk"), ["check"], 1, "not UTF-8 (byte 0xbf); save the file as UTF-8"),
    "control-character": (campaign("text: 第一项", "text: 第一\x00项"), ["check"], 1,
                          "unacceptable character #x0000: control characters are not allowed"),
    "very-large-file": ("big", ["check"], 1, "over the 20971520 byte limit"),
    "deep-nesting": ("a: " + "[" * 70 + "]" * 70 + "\n", ["check"], 1, "nested more than 64 levels deep"),
    "alias-bomb": (BILLION_LAUGHS, ["check"], 1, "anchors and aliases are not allowed in registry files"),
    "python-tag": (campaign("title: 煤矿安全专项整治", "title: !!python/object/apply:os.system [\"touch PWNED\"]"),
                   ["check"], 1, "unsupported tag tag:yaml.org,2002:python/object/apply:os.system"),
    "campaign-outside": (None, ["list", "--campaign", "../../etc/passwd"], 2, "unknown campaign '../../etc/passwd'"),
    "data-outside": (None, ["check", "--data", "/nonexistent/../../etc"], 2, "no tasks/ folder there"),
    "fmt-outside": (None, ["fmt", "/etc/hosts"], 2, "is not a campaign file of the registry"),
    "symlink-outside": ("symlink", ["check"], 1, "leads outside the registry's tasks/ folder"),
    "lock-timeout-invalid": ("lock-timeout", ["done", "4.1.1", "--all"], 2,
                             "SAFETYLIST_LOCK_TIMEOUT='abc' is not a number of seconds"),
    "file-held-open": ("held-open", ["done", "4.1.1", "--all"], 3, "another program has it open"),
    "markup-in-text": (campaign("text: 第一项", 'text: "[bold]粗[/bold] \\e[31m红"'), ["show", "4.1.1"], 0,
                       "[bold]粗[/bold] \\x1b[31m红"),
    "markup-in-note": (campaign("    status: not_started\n",
                                '    status: in_progress\n    history:\n'
                                '    - {date: 2022-01-01, status: in_progress, note: "[red]x[/red]\\e[2J"}\n'),
                       ["log"], 0, "[red]x[/red]\\x1b[2J"),
    "markup-in-department": ("markup-dept", ["depts", "--format", "table"], 0, "[blink]局[/blink]\\x1b[5m"),
    "missing-campaign-file": (lambda d, _tmp: (d / "tasks" / "04-coal-mine.yaml").unlink(), ["check"], 1,
                              "04-coal-mine.yaml is listed but missing"),
    "renamed-campaign-file": (lambda d, _tmp: (d / "tasks" / "04-coal-mine.yaml").rename(
        d / "tasks" / "04-coal-mine.YAML"), ["check"], 1, "looks like it, renamed: give it its listed name back"),
    "unlisted-file": (lambda d, _tmp: (d / "tasks" / "05-x.yaml").write_text("x", encoding="utf-8"), ["check"], 1,
                      "not listed in registry.yaml"),
    "removed-item": (lambda d, _tmp: _rewrite(d, "  - id: 4.1.2\n    text: 第二项\n    status: not_started\n"
                                           "    deadline: {date: 2022-06-30, text: 2022年6月底前}\n", ""),
                     ["check"], 1, "item 4.1.2 is gone from task 4.1; restore it, or record its removal"),
    "end-of-line-comment": (campaign("text: 第一项", "text: 第一项 # 注"), ["check"], 0,
                            "end-of-line comment '# 注': YAML ends the value before it"),
    "mixed-line-endings": (MINI_CAMPAIGN.replace("\n", "\r\n", 3), ["done", "4.1.1", "--all"], 3,
                           "mixes CRLF and LF line endings; nothing was written"),
    "not-utf8-argument": (None, ["note", "4.1.1", "\udcd6\udcd0"], 2, "is not UTF-8 text (the terminal sent other bytes"),
    "days-out-of-range": (None, ["due", "--within", "99999999999999"], 2,
                          "--within takes a number of days from 0 to 36500"),
    "month-out-of-range": (None, ["summary", "--month", "9999-12"], 2,
                           "--month: '9999-12' is outside the years safetylist works with"),
    "unsupported-format": (None, ["show", "4.1.1", "--format", "csv"], 2,
                           "unknown format 'csv' for this command (use one of: table, json)"),
    "summary-over-registry": ("summary-over", ["summary", "--month", "2022-06"], 2,
                              "is a file of the registry; the summary goes elsewhere"),
    "commit-without-repository": (None, ["done", "4.1.1", "--all", "--commit"], 5,
                                  "is written but not committed"),
    "import-unknown-id": (ledger({"A3": "4.9.9", "G3": "已完成"}), IMPORT, 2,
                          "unknown id '4.9.9': no such item in this registry"),
    "import-edited-text": (ledger({"D3": "第一项（已修改）"}), IMPORT, 2,
                           "4.1.1: 工作措施 is not the registry's text of this item"),
    "import-unknown-status": (ledger({"G3": "已办结"}), IMPORT, 2, "4.1.1: unknown 状态 '已办结'"),
    "import-bad-date": (ledger({"G3": "已完成", "I3": "6月15日"}), IMPORT, 2,
                        "4.1.1: 报告日期 '6月15日' is not a date"),
    "import-no-share": (ledger({"G3": "已完成"}), ["import", "ledger.xlsx", "--by", "市能源局"], 2,
                        "4.1.1: 市能源局 holds no share of this item"),
    "import-other-registry": (ledger({"A1": "吕安办发〔2023〕5号 台账 · 截至 2023-06-30"}), IMPORT, 2,
                              "a ledger of another registry"),
    "import-not-a-ledger": (ledger(raw=b"a,b\n1,2\n", name="ledger.csv"),
                            ["import", "ledger.csv", "--by", "市应急管理局"], 2,
                            "no sheet holds the ledger's header"),
    "import-not-xlsx": (ledger(raw=b"PK? not really"), IMPORT, 2, "not an Excel workbook that can be read"),
    "import-unknown-format": (ledger(raw=b"%PDF-1.4", name="ledger.pdf"),
                              ["import", "ledger.pdf", "--by", "市应急管理局"], 2,
                              "import reads a ledger saved as .xlsx or .csv"),
    "import-csv-bom": (ledger(csv="utf-8-sig", name="ledger.csv"),
                       ["import", "ledger.csv", "--by", "市应急管理局", "--dry-run"], 0,
                       "4.1.1 done (市应急管理局)"),
    "import-csv-gbk": (ledger(csv="gbk", name="ledger.csv"),
                       ["import", "ledger.csv", "--by", "市应急管理局", "--dry-run"], 0,
                       "4.1.1 done (市应急管理局)"),
    "import-xml-bomb": (ledger(cells={}, name="bomb.xlsx"), ["import", "ledger.xlsx", "--by", "市应急管理局"], 2,
                        "EntitiesForbidden"),
    "export-xlsx-to-stdout": (None, ["export", "--format", "xlsx"], 2,
                              "--format xlsx writes a file: give --output FILE"),
    "bom-not-csv": (None, ["list", "--format", "json", "--bom"], 2, "--bom goes with --format csv (not json)"),
    "partial-date": (None, ["due", "--as-of", "June"], 2, "--as-of: 'June' is not a whole date"),
    "empty-date": (None, ["due", "--as-of", ""], 2, "--as-of: empty date"),
    "date-out-of-range": (None, ["due", "--as-of", "9999-12-31"], 2,
                          "outside the dates safetylist works with (2000-01-01 to 2099-12-31)"),
    "empty-note": (None, ["note", "4.1.1", " "], 2, "--note: the note is empty"),
    "empty-grep": (None, ["list", "--grep", " "], 2, "--grep: empty text"),
    "unknown-role": (None, ["assign", "4.1", "--dept", "市能源局", "--role", "boss"], 2,
                     "unknown role 'boss'"),
    "undo-nothing": (None, ["undo", "4.1.1", "--yes"], 2, "4.1.1 has no history: nothing to take back"),
    "undo-no-answer": (campaign("    status: not_started\n",
                                "    status: done\n    history:\n    - {date: 2022-01-01, status: done}\n"),
                       ["undo", "4.1.1"], 2, "undo asks before it writes and got no answer"),
    "undo-bad-entry": (campaign("    status: not_started\n",
                                "    status: not_started\n    history:\n"
                                "    - {date: 2022-01-01, status: not_started, undoes: 9}\n"),
                       ["check"], 1, "takes back entry 9, which is not an earlier entry"),
    "unknown-language": (None, ["summary", "--month", "2022-06", "--lang", "fr"], 2,
                         "--lang: unknown language 'fr'"),
    "note-like-an-option": (None, ["note", "4.1.1", "--dryrun"], 2,
                            "'--dryrun' looks like a mistyped option, not a note"),
    "import-unknown-department": (lambda d, _tmp: _notice(d, "list.txt", "一、测试专项（1条1项）\n1. 开展检查。"
                                                    "（责任单位：县应急局；完成时限：2022年底前）\n"),
                                  ["import-notice", "list.txt"], 3,
                                  "list.txt:2:1: error: line 2: unknown department '县应急局'"),
    "import-campaign-taken": (lambda d, _tmp: _notice(d, "list.txt", "四、煤矿安全（1条1项）\n1. 开展检查。"
                                                "（责任单位：市应急管理局）\n"),
                              ["import-notice", "list.txt"], 3, "campaign 4 is already in the registry"),
    "import-no-task": (lambda d, _tmp: _notice(d, "list.txt", "通知\n请认真落实。\n"), ["import-notice", "list.txt"],
                       3, "no task found"),
    "import-old-format": (lambda d, _tmp: _notice(d, "list.doc", "\ufffd"), ["import-notice", "list.doc"], 2,
                          "list.doc is the old Word format: open it in Word or WPS and save it as .docx"),
    "import-not-a-package": (lambda d, _tmp: _notice(d, "list.docx", "<html>"), ["import-notice", "list.docx"], 2,
                             "list.docx is not a Word document (.docx): such a file is a zip package"),
    "import-bad-columns": (lambda d, _tmp: _notice(d, "list.csv", "a,b\n"),
                           ["import-notice", "list.csv", "--columns", "items"], 2,
                           "--columns: 'items' is not ROLE=COLUMN"),
    "init-not-empty": (lambda d, _tmp: None, ["init", "reg", "--notice", "N", "--title", "T", "--issued-by", "O",
                                        "--period", "2023"], 3, "reg exists and is not an empty folder"),
    "init-bad-period": (None, ["init", "new", "--notice", "N", "--title", "T", "--issued-by", "O",
                               "--period", "2023-12-31:2023-01-01"], 2,
                        "--period: the end 2023-01-01 is before the start 2023-12-31"),
}


def _notice(data, name, text):
    (data.parent / name).write_text(text, encoding="utf-8")


def _rewrite(data, old, new):
    path = data / "tasks" / "04-coal-mine.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def held_open(src, dst):
    exc = PermissionError(13, "The process cannot access the file because it is being used by "
                              "another process")
    exc.winerror = 32  # ERROR_SHARING_VIOLATION; CPython sets it on Windows only
    raise exc


def read_doc_rows() -> dict[str, tuple[int, str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| `([a-z0-9-]+)` \|.*\| (\d) \| (.*) \|$", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), m.group(3))
    return rows


def doc_rule(name: str) -> str | None:
    """The rule a row of docs/bad-input.md names (a problem in a registry file), if any."""
    m = re.search(r"; rule \[`([a-z0-9-]+)`\]\(rules\.md#\1\)$", read_doc_rows()[name][1])
    return m.group(1) if m else None


def test_every_doc_row_is_a_case_and_every_case_a_row():
    rows = read_doc_rows()
    assert sorted(rows) == sorted(CASES)
    for name, (_content, _args, code, message) in CASES.items():
        doc_code, doc_message = rows[name]
        assert doc_code == code, name
        if message is not None:
            assert message.replace("\\", "") in doc_message.replace("\\", "").replace("`", ""), name


SLOW_CASES = {"very-large-file"}  # reads a 21 MiB file


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW_CASES else n
                                  for n in sorted(CASES)])
def test_case(runner, make_registry, tmp_path, monkeypatch, name):
    content, args, code, message = CASES[name]
    monkeypatch.chdir(tmp_path)
    if content == "big":
        data = make_registry({"04-coal-mine.yaml": MINI_CAMPAIGN + "#" * (21 * 1024 * 1024) + "\n"})
    elif content == "symlink":
        data = make_registry()
        outside = tmp_path / "elsewhere.yaml"
        outside.write_text(MINI_CAMPAIGN.replace("number: 4", "number: 5").replace("coal-mine", "x"),
                           encoding="utf-8")
        os.symlink(outside, data / "tasks" / "05-x.yaml")
    elif content == "markup-dept":
        data = make_registry(departments=MINI_DEPARTMENTS.replace(
            "- name: 市能源局\n", '- name: 市能源局\n- name: "[blink]局[/blink]\\e[5m"\n'))
    elif content in (None, "lock-timeout", "held-open"):
        data = make_registry()
        if content == "lock-timeout":
            monkeypatch.setenv("SAFETYLIST_LOCK_TIMEOUT", "abc")
        if content == "held-open":  # os.replace as on Windows while an editor has the file open
            monkeypatch.setattr(fileops, "PATIENCE", 0.1)
            monkeypatch.setattr(fileops.os, "replace", held_open)
    elif callable(content):
        data = make_registry()
        content(data, tmp_path)
    elif content == "summary-over":
        data = make_registry()
        args = [*args, "--output", str(data / "tasks" / "04-coal-mine.yaml")]
    else:
        data = make_registry({"04-coal-mine.yaml": content})
    before = {p: p.read_bytes() for p in (data / "tasks").iterdir() if p.is_file()}
    full = [*args] if "--data" in args or args[0] == "init" else [*args, "--data", str(data)]
    tracemalloc.start()
    started = time.monotonic()
    result = runner.invoke(app, full)
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, result.output
    out = result.stdout + result.stderr
    if message is not None:
        assert message in out
    assert "Traceback" not in out
    if code in (2, 3):  # a refused command changes no file
        assert {p: p.read_bytes() for p in (data / "tasks").iterdir() if p.is_file()} == before
    if name == "alias-bomb":
        assert elapsed < 2 and peak < 20 * 1024 * 1024
    if name == "python-tag":
        assert not (tmp_path / "PWNED").exists()
    if code == 1 and args[0] == "check":
        lines = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert lines and all(re.match(r"^.+:\d+:\d+: error: .* \[[a-z0-9-]+\]$", line) for line in lines)
    rule = doc_rule(name)
    if rule is not None:  # the row names the rule that reports it
        from safetylist.rules import BY_ID

        assert rule in BY_ID and message is not None
        assert any(message in line and line.endswith(f" [{rule}]") for line in out.splitlines()), rule
    else:
        assert not (args[0] == "check" and code == 1), f"{name}: the row names no rule"
