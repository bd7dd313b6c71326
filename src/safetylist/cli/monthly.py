"""The monthly summary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .application import app
from .options import BomOpt, DataOpt, complete_depts, csv_stream, period_year, registry_from, typed_date


OFFICE = ("docx", "xlsx", "html")


@app.command()
def summary(
    month: Annotated[str, typer.Option("--month", "-m", help="The month, YYYY-MM.")],
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="The report date (default: the month's last day).")] = None,
    dept: Annotated[str | None, typer.Option(
        "--dept", "-d", help="Narrow the whole summary to one department and its groups.",
        autocompletion=complete_depts)] = None,
    stale_days: Annotated[int, typer.Option(
        "--stale-days", help="Open items with no report for this many days are stale.")] = 60,
    format: Annotated[str, typer.Option(
        "--format", "-f", help="md, json or csv; docx (a Word report), xlsx (a sheet per "
        "section) or html (a page with charts) with --output.")] = "md",
    section: Annotated[str | None, typer.Option(
        "--section", help="With --format csv: only this section.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to FILE (atomically) instead of stdout.")] = None,
    bom: BomOpt = False,
    lang: Annotated[str, typer.Option(
        "--lang", help="The Markdown's labels: zh (期间、完成率、存在问题…) or en.")] = "zh",
    data: DataOpt = None,
) -> None:
    """The monthly summary: progress per campaign and department, completed work, problems,
    overdue, due next month and stale items.

    Example: safetylist summary --month 2022-06 --output reports/2022-06.md
    """
    from .. import report
    from ..errors import UsageError
    from ..render import json_text
    from ..render import summary as formats

    if format not in ("md", "json", "csv", *OFFICE):
        raise UsageError(f"unknown format '{format}' (use md, json, csv, {', '.join(OFFICE)})")
    if format in ("docx", "xlsx") and output is None:
        raise UsageError(f"--format {format} writes a file: give --output FILE")
    csv_stream(bom, format)  # --bom goes with csv only
    if lang not in formats.LANGS:
        raise UsageError(f"--lang: unknown language '{lang}' (use zh or en)")
    if section is not None and (format != "csv" or section not in report.SECTIONS):
        raise UsageError(f"--section goes with --format csv and takes one of: "
                         f"{', '.join(report.SECTIONS)}")
    registry = registry_from(data)
    result = report.build(registry, month,
                          typed_date(as_of, year=period_year(registry)) if as_of is not None else None,
                          registry.directory.resolve(dept) if dept else None, stale_days)
    text: str | bytes  # bytes: docx and xlsx
    if format == "json":
        text = json_text(result)
    elif format == "csv":
        text = formats.csv_text(result, report.FIELDS, section)
    elif format in OFFICE:
        from ..office import render_summary

        text = render_summary(result, format)
    else:
        text = formats.markdown(result, report.FIELDS, lang)
    if output is None:
        from ..render import is_terminal, visible_lines, write

        assert isinstance(text, str), format  # docx and xlsx were refused without --output

        write(visible_lines(text) if is_terminal(sys.stdout) else text, csv_stream(bom, format))
        return
    from ..registry import is_registry_file
    from ..render import excel_text
    from ..store import atomic_write

    if is_registry_file(registry.root, output):
        raise UsageError(f"--output {output} is a file of the registry; the summary goes "
                         "elsewhere (e.g. reports/2022-06.md)")
    if not output.parent.is_dir():
        raise UsageError(f"--output {output}: the folder {output.parent} does not exist")
    atomic_write(output, excel_text(text) if bom and isinstance(text, str) else text)
    sys.stderr.write(f"wrote {output}\n")


