"""The bad-input catalogue: every row of docs/bad-input.md is a case here, and every case a row."""

from __future__ import annotations

import os
import re
import time
import tracemalloc

import pytest

from safetylist.cli import app

from conftest import MINI_CAMPAIGN, MINI_DEPARTMENTS, ROOT

DOC = ROOT / "docs" / "bad-input.md"


def campaign(old: str, new: str, count: int = 1) -> str:
    assert old in MINI_CAMPAIGN
    return MINI_CAMPAIGN.replace(old, new, count)


BILLION_LAUGHS = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},"
    f"*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)}]\n" for n in range(8))

# case: (file content or None for the mini campaign, extra CLI args, exit code, message)
CASES = {
    "invalid-yaml": (campaign("title: 煤矿安全专项整治", "title: [煤矿安全专项整治"), ["check"], 1,
                     "YAML syntax: while parsing a flow sequence"),
    "tabs": (campaign("    status: not_started\n", "\tstatus: not_started\n"), ["check"], 1,
             "found a tab character that violates indentation"),
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
    "markup-in-text": (campaign("text: 第一项", 'text: "[bold]粗[/bold] \\e[31m红"'), ["show", "4.1.1"], 0,
                       "[bold]粗[/bold] \\x1b[31m红"),
    "markup-in-note": (campaign("    status: not_started\n",
                                '    status: in_progress\n    history:\n'
                                '    - {date: 2022-01-01, status: in_progress, note: "[red]x[/red]\\e[2J"}\n'),
                       ["log"], 0, "[red]x[/red]\\x1b[2J"),
    "markup-in-department": ("markup-dept", ["depts", "--format", "table"], 0, "[blink]局[/blink]\\x1b[5m"),
    "partial-date": (None, ["due", "--as-of", "June"], 2, "--as-of: 'June' is not a whole date"),
    "empty-date": (None, ["due", "--as-of", ""], 2, "--as-of: empty date"),
    "date-out-of-range": (None, ["due", "--as-of", "9999-12-31"], 2,
                          "outside the dates safetylist works with (2000-01-01 to 2099-12-31)"),
    "huge-within": (None, ["due", "--within", "99999999"], 2, "--within takes a number of days, 0 to 36500"),
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
}


def read_doc_rows() -> dict[str, tuple[int, str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| `([a-z0-9-]+)` \|.*\| (\d) \| (.*) \|$", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), m.group(3))
    return rows


def test_every_doc_row_is_a_case_and_every_case_a_row():
    rows = read_doc_rows()
    assert sorted(rows) == sorted(CASES)
    for name, (_content, _args, code, message) in CASES.items():
        doc_code, doc_message = rows[name]
        assert doc_code == code, name
        if message is not None:
            assert message.replace("\\", "") in doc_message.replace("\\", "").replace("`", ""), name


@pytest.mark.parametrize("name", sorted(CASES))
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
    elif content is None:
        data = make_registry()
    else:
        data = make_registry({"04-coal-mine.yaml": content})
    full = [*args] if "--data" in args else [*args, "--data", str(data)]
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
    if name == "alias-bomb":
        assert elapsed < 2 and peak < 20 * 1024 * 1024
    if name == "python-tag":
        assert not (tmp_path / "PWNED").exists()
    if code == 1 and args[0] == "check":
        lines = [l for l in result.stderr.splitlines() if ": error: " in l]
        assert lines and all(re.match(r"^.+:\d+:\d+: error: ", l) for l in lines)
