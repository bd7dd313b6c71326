"""The ledger (台账) out and back in: export, import."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .application import app
from .options import AsOfOpt, BomOpt, CampaignOpt, DataOpt, complete_depts, csv_stream, registry_from, typed_date


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="xlsx or csv.")] = "xlsx",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="The file to write (atomically); csv may go to stdout.")] = None,
    dept: Annotated[str | None, typer.Option(
        "--dept", "-d", help="One department's ledger: its items and its own reports.",
        autocompletion=complete_depts)] = None,
    campaign: CampaignOpt = [],
    as_of: AsOfOpt = None,
    by_dept: Annotated[bool, typer.Option(
        "--by-dept", help="A sheet per department (each with its own reports), not per campaign.")] = False,
    bom: BomOpt = False,
    data: DataOpt = None,
) -> None:
    """The ledger (台账) to send to departments: one row per item, a sheet per campaign.

    Departments fill in 状态, 进展情况, 报告日期 and 报告单位 and send it back for `import`.

    Example: safetylist export --format xlsx --output 台账.xlsx --dept 市应急管理局 --as-of 2022-06-30
    """
    from ..errors import UsageError
    from ..office import ledger

    if format not in ("xlsx", "csv"):
        raise UsageError(f"unknown format '{format}' (use xlsx or csv)")
    if format == "xlsx" and output is None:
        raise UsageError("--format xlsx writes a file: give --output FILE")
    if by_dept and format == "csv":
        raise UsageError("--by-dept makes a sheet per department: use --format xlsx")
    stream = csv_stream(bom, format)
    if output is not None and not output.parent.is_dir():
        raise UsageError(f"--output {output}: the folder {output.parent} does not exist")
    registry = registry_from(data)
    made = ledger.build(registry, typed_date(as_of), registry.directory.resolve(dept) if dept else None,
                        campaign, by_dept)
    if format == "csv":
        text = ledger.csv_text(made)
        if output is None:
            (stream or sys.stdout).write(text)
            return
        from ..render import excel_text

        content: str | bytes = excel_text(text) if bom else text
    else:
        content = ledger.xlsx_bytes(made)
    assert output is not None  # xlsx was refused without --output, csv went to stdout
    from ..store import atomic_write

    atomic_write(output, content)
    rows = sum(len(s.rows) for s in made.sheets)
    sys.stderr.write(f"wrote {output}: {rows} item(s) on {len(made.sheets)} sheet(s)\n")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The returned ledger (.xlsx or .csv).")],
    by: Annotated[str, typer.Option(
        "--by", help="The department that returned it (its reports are recorded).",
        autocompletion=complete_depts)],
    date: Annotated[str | None, typer.Option(
        "--date", help="Date of the reports (default: each row's 报告日期, else today).")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print what would be recorded; write nothing.")] = False,
    data: DataOpt = None,
) -> None:
    """Record a department's returned ledger: a history entry for each row whose 状态 or
    进展情况 changed. Every row is checked first; any problem refuses the whole file.

    Example: safetylist import 台账-市应急管理局.xlsx --by 市应急管理局 --dry-run
    """
    import datetime as dt

    from .. import render
    from ..errors import UsageError
    from ..office import returns
    from ..registry import display_path

    registry = registry_from(data)
    dept = registry.directory.resolve(by)
    outcome = returns.import_ledger(registry, file, dept, typed_date(date, "--date") if date else None,
                                    dt.date.today(), dry_run)
    shown = display_path(file)
    if dry_run or not outcome.problems:
        verb = "would record" if dry_run else "recorded"
        sys.stdout.write("".join(f"{verb} {render.visible(line)}\n" for line in outcome.lines))
    if outcome.problems:
        raise UsageError(f"import refused: {len(outcome.problems)} problem(s) in {shown}; "
                         "nothing was recorded", outcome.problems)
    n = len(outcome.lines)
    if not n:
        sys.stdout.write(f"nothing to record: every row of {shown} matches what is recorded "
                         f"({outcome.unchanged} row(s))\n")
    elif dry_run:
        sys.stdout.write(f"dry run: {n} report(s) by {dept} in {outcome.files} file(s); "
                         "nothing was written\n")
    else:
        sys.stdout.write(f"{n} report(s) by {dept} recorded in {outcome.files} file(s)\n")
