"""A new list: init (a new registry folder) and import-notice (its campaigns from a notice)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .application import app
from .options import DataOpt


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="The new registry folder (new or empty).")],
    notice: Annotated[str, typer.Option("--notice", help="The notice's number, as printed: 吕安办发〔2023〕5号.")],
    title: Annotated[str, typer.Option("--title", help="The notice's title, as printed.")],
    issued_by: Annotated[str, typer.Option("--issued-by", help="The issuing office, as printed.")],
    period: Annotated[str, typer.Option(
        "--period", help="The period the list covers, START:END (2023-01-01:2023-12-31) or a year "
        "(2023); its end is the default deadline, its start the first recurring period's.")],
    departments: Annotated[Path | None, typer.Option(
        "--departments", help="Copy this departments.yaml (e.g. last year's); default: an empty one.")] = None,
) -> None:
    """Make a new registry folder for a notice's list: registry.yaml, departments.yaml, tasks/.

    Example: safetylist init data-2023 --notice 吕安办发〔2023〕5号
    --title 关于印发2023年安全生产重点任务清单的通知 --issued-by 吕梁市人民政府安全生产委员会办公室
    --period 2023 --departments data/departments.yaml
    """
    from ..importer.folder import create_registry, parse_period

    for line in create_registry(folder, notice, title, issued_by, parse_period(period), departments):
        sys.stdout.write(line + "\n")


@app.command("import-notice")
def import_notice(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The notice's list: .docx, .xlsx, .csv or .txt.")],
    columns: Annotated[list[str], typer.Option(
        "--columns", help="Map columns by hand, ROLE=COLUMN (repeatable, or comma-separated): roles "
        "number, task, items, lead, support, departments, deadline (or a header word such as "
        "具体措施); columns a letter (C), a number (3) or the header as printed.")] = [],  # noqa: B006
    add_departments: Annotated[bool, typer.Option(
        "--add-departments", help="Add every department name departments.yaml does not know, "
        "as printed (groups for 市、县…, 各…); without it an unknown name stops the import.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be written; write nothing.")] = False,
    data: DataOpt = None,
) -> None:
    """Build campaign files from a notice's task list (Word or Excel tables, CSV, numbered text).

    Reads campaign headings (一、…), task rows or lines, items ((1) (2) …), departments and
    deadlines; validates the whole registry as it would be, then writes it, or nothing.

    Example: safetylist import-notice 2023-task-list.docx --data data-2023 --dry-run
    """
    from .. import render
    from ..importer.plan import import_notice as run
    from ..registry import find_data_dir

    outcome = run(find_data_dir(data), file, columns, add_departments, dry_run)
    render.problems(outcome.problems)
    for line in outcome.lines:
        sys.stdout.write(render.visible(line) + "\n")
