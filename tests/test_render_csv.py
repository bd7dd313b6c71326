"""Output formats: CSV for Excel (--format csv --bom)."""

from __future__ import annotations

import io

import pytest

from safetylist.cli import app
from safetylist.render import ExcelStream, excel_text

BOM = b"\xef\xbb\xbf"


def test_excel_text_has_a_mark_and_crlf_line_ends():
    assert excel_text("a,b\n1,\"x\r\ny\"\n") == "\ufeffa,b\r\n1,\"x\r\ny\"\r\n"


def test_excel_stream_writes_the_mark_once():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")  # the mark is UTF-8 whatever the stream's
    out = ExcelStream(stream)
    out.write("编号\n")
    out.write("4.1.1\n")
    stream.flush()
    assert raw.getvalue() == BOM + "编号\r\n4.1.1\r\n".encode()


@pytest.mark.parametrize("args, first", [
    (["list", "--campaign", "4"], b"id,campaign,campaign_id"),
    (["due", "--as-of", "2022-06-01"], b"id,campaign,campaign_id"),
    (["campaigns", "--as-of", "2022-06-01"], b"campaign,campaign_id,title"),
    (["depts"], b"name,kind,level"),
    (["log"], b"date,id,status,by,note,period"),
    (["summary", "--month", "2022-06"], b"# campaigns\r\ncampaign,title,items"),
])
def test_csv_with_bom_for_every_csv_command(runner, make_registry, args, first):
    data = make_registry()
    plain = runner.invoke(app, [*args, "--format", "csv", "--data", str(data)])
    result = runner.invoke(app, [*args, "--format", "csv", "--bom", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(BOM + first)
    assert result.stdout_bytes == BOM + plain.stdout_bytes.replace(b"\n", b"\r\n")


def test_summary_csv_with_bom_to_a_file(runner, make_registry, tmp_path):
    out = tmp_path / "s.csv"
    result = runner.invoke(app, ["summary", "--month", "2022-06", "--format", "csv", "--bom",
                                 "--output", str(out), "--data", str(make_registry())])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(BOM + b"# campaigns\r\n") and b"\n" not in raw.replace(b"\r\n", b"")


@pytest.mark.parametrize("args", [["list"], ["list", "--format", "json"], ["summary", "--month", "2022-06"],
                                  ["export", "--format", "xlsx", "--output", "x.xlsx"]])
def test_bom_goes_with_csv_only(runner, make_registry, args):
    result = runner.invoke(app, [*args, "--bom", "--data", str(make_registry())])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("safetylist: error: --bom goes with --format csv (not ")
