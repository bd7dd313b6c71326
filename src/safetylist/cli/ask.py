"""Asking the registry: check, due, overdue, unassigned, list, show, campaigns, depts."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from . import (AfterOpt, AsOfOpt, BeforeOpt, BomOpt, CampaignOpt, DataOpt, DeptOpt, FormatOpt,
               GrepOpt, ShowFormatOpt, StatusOpt, WarnOpt, WideOpt, WithinOpt, _as_of,
               _complete_depts, _complete_ids, _csv_stream, _period_year, _registry, app)


@app.command()
def check(data: DataOpt = None) -> None:
    """Validate every campaign file and report every problem in one run.

    Prints one line per problem (path:line:col: level: message) on stderr, then
    a table of declared vs present tasks and items. Exit 0 when clean, 1 on errors.

    Example: safetylist check --data data
    """
    from .. import render
    from ..registry import check_registry, find_data_dir

    report = check_registry(find_data_dir(data))
    render.problems(report.problems)
    rows = [[str(r.number), r.id, r.title, str(r.declared_tasks), str(r.present_tasks),
             str(r.declared_items), str(r.present_items), r.mark] for r in report.rows]
    cols = [render.Column("No.", "right"), render.Column("campaign", shrink=True, low=8, cap=16),
            render.Column("title", truncate=True, low=12),
            render.Column("条\ndeclared", "right"), render.Column("条\npresent", "right"),
            render.Column("项\ndeclared", "right"), render.Column("项\npresent", "right"),
            render.Column("")]
    render.write(render.table(f"{len(report.rows)} campaigns: declared vs present", cols, rows,
                              render.screen(), caption=f"{report.errors} error(s), {report.warnings} warning(s)"))
    if report.errors:
        raise typer.Exit(1)



def _listing(kind: str, data, dept, campaign, before, after, within, status, as_of, warn,
             fmt, wide, grep=(), bom=False, label: str | None = None) -> None:
    from .. import query, render

    registry = _registry(data)
    given = _as_of(as_of, year=_period_year(registry)) if as_of is not None else None
    # A date written without its year (6月底) is in the --as-of year, else the registry's.
    year = given.year if given is not None else _period_year(registry)
    filters = query.make_filters(
        registry, as_of=given or _as_of(None), depts=dept, campaigns=campaign,
        before=_as_of(before, "--before", year) if before is not None else None,
        after=_as_of(after, "--after", year) if after is not None else None,
        within=within, statuses=status)
    views = query.select(registry, kind, filters)
    if grep:
        from .. import search

        views = search.select(views, grep)
    who = f" for {'、'.join(filters.departments)}" if filters.departments else ""
    what = f" matching {' and '.join(repr(g.strip()) for g in grep)}" if grep else ""
    red = sum(v.overdue(filters.as_of) for v in views)
    inferred = sum(v.departments_inferred for v in views) if kind == "unassigned" else 0
    title = (f"{label or kind}: {len(views)} item(s){who}{what} as of {filters.as_of.isoformat()}"
             f" ({red} overdue" + (f"; {inferred} with departments inferred from a merged cell, "
                                   "to confirm)" if inferred else ")"))
    _short_name_notes(registry, dept, fmt)
    out = _csv_stream(bom, fmt)
    render.write(render.item_listing(views, fmt, filters.as_of, warn, title, query.RECORD_FIELDS,
                                     wide, render.screen(out)), out)


@app.command()
def due(dept: DeptOpt = [], campaign: CampaignOpt = [], before: BeforeOpt = None,
        after: AfterOpt = None, within: WithinOpt = None, status: StatusOpt = [],
        grep: GrepOpt = [], as_of: AsOfOpt = None, warn: WarnOpt = 30,
        format: FormatOpt = "table", wide: WideOpt = False, bom: BomOpt = False,
        data: DataOpt = None) -> None:
    """Open (not done) items with their deadlines, soonest first.

    Example: safetylist due --dept 市应急管理局 --as-of 2022-06-01
    """
    _listing("due", data, dept, campaign, before, after, within, status, as_of, warn, format,
             wide, grep, bom)


@app.command()
def overdue(dept: DeptOpt = [], campaign: CampaignOpt = [], before: BeforeOpt = None,
            after: AfterOpt = None, within: WithinOpt = None, status: StatusOpt = [],
            grep: GrepOpt = [], as_of: AsOfOpt = None, warn: WarnOpt = 30,
            format: FormatOpt = "table", wide: WideOpt = False, bom: BomOpt = False,
            data: DataOpt = None) -> None:
    """Open items whose deadline has passed, oldest first.

    Example: safetylist overdue --as-of 2023-01-01 --campaign 煤矿
    """
    _listing("overdue", data, dept, campaign, before, after, within, status, as_of, warn, format,
             wide, grep, bom)


@app.command()
def unassigned(dept: DeptOpt = [], campaign: CampaignOpt = [], before: BeforeOpt = None,
               after: AfterOpt = None, within: WithinOpt = None, status: StatusOpt = [],
               grep: GrepOpt = [], as_of: AsOfOpt = None, warn: WarnOpt = 30,
               format: FormatOpt = "table", wide: WideOpt = False, bom: BomOpt = False,
               data: DataOpt = None) -> None:
    """Items of tasks that name no responsible department.

    Example: safetylist unassigned --format ids
    """
    _listing("unassigned", data, dept, campaign, before, after, within, status, as_of, warn,
             format, wide, grep, bom)


@app.command("list")
def list_(dept: DeptOpt = [], campaign: CampaignOpt = [], before: BeforeOpt = None,
          after: AfterOpt = None, within: WithinOpt = None, status: StatusOpt = [],
          grep: GrepOpt = [], as_of: AsOfOpt = None, warn: WarnOpt = 30,
          format: FormatOpt = "table", wide: WideOpt = False, bom: BomOpt = False,
          data: DataOpt = None) -> None:
    """Every item that matches the filters, whatever its status, in id order.

    Example: safetylist list --campaign 4 --format json
    """
    _listing("list", data, dept, campaign, before, after, within, status, as_of, warn, format,
             wide, grep, bom)


@app.command()
def search(words: Annotated[list[str], typer.Argument(
               metavar="TEXT...", help="What to look for; several words must all match.")],
           dept: DeptOpt = [], campaign: CampaignOpt = [], status: StatusOpt = [],
           as_of: AsOfOpt = None, warn: WarnOpt = 30, format: FormatOpt = "table",
           wide: WideOpt = False, data: DataOpt = None) -> None:
    """Every item whose text, campaign title, departments or notes hold TEXT, in id order.

    Full-width and half-width forms, traditional and simplified characters, case and spaces
    are alike: ＬＮＧ finds LNG, and 瓦斯抽採 finds 瓦斯抽采. Same as list --grep TEXT.

    Example: safetylist search 瓦斯 抽采
    """
    _listing("list", data, dept, campaign, None, None, None, status, as_of, warn, format,
             wide, words, label="search")


@app.command()
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="A task (4.15) or an item (4.15.2).",
                                         autocompletion=_complete_ids)],
    as_of: AsOfOpt = None, format: ShowFormatOpt = "table", data: DataOpt = None,
) -> None:
    """One task or item in full: text, departments and roles, deadline, status, history, notes.

    Example: safetylist show 4.15.2
    """
    from .. import query, render

    registry = _registry(data)
    campaign, task, item = query.find(registry, ident)
    day = _as_of(as_of, year=_period_year(registry))
    info = query.describe(campaign, task, item, day, registry.manifest, registry.directory)
    render.write(render.show(info, day, format))


@app.command()
def campaigns(as_of: AsOfOpt = None, format: FormatOpt = "table", bom: BomOpt = False,
              data: DataOpt = None) -> None:
    """The campaigns (0: the notice's standing requirements; 1-13) with counts and progress.

    Example: safetylist campaigns --as-of 2022-06-30
    """
    from .. import query, render

    registry = _registry(data)
    day, out = _as_of(as_of, year=_period_year(registry)), _csv_stream(bom, format)
    render.write(render.campaigns(query.campaign_rows(registry, day), day, format,
                                  render.screen(out)), out)


@app.command()
def depts(
    name: Annotated[Optional[str], typer.Argument(help="Show how NAME resolves.",
                                                  autocompletion=_complete_depts)] = None,
    as_of: AsOfOpt = None, format: FormatOpt = "table", bom: BomOpt = False, data: DataOpt = None,
) -> None:
    """The departments and groups with aliases, groups and open items; or how NAME resolves.

    Example: safetylist depts 孝义应急
    """
    from .. import query, render

    registry = _registry(data)
    resolved = registry.directory.resolve(name) if name is not None else None
    _short_name_notes(registry, [name] if name is not None else [], format)
    rows = query.department_rows(registry, resolved, _as_of(as_of, year=_period_year(registry)))
    out = _csv_stream(bom, format)
    render.write(render.departments(rows, format, resolved is not None, render.screen(out)), out)


def _short_name_notes(registry, names: list[str], fmt: str) -> None:
    """The answer's first line says whose bureau a short name (应急局) was read as; scripts'
    formats keep stdout clean and get it on stderr."""
    import sys

    from ..render import visible, write

    notes = [n for n in (registry.directory.short_name_note(d) for d in names) if n]
    write("".join(f"note: {visible(n)}\n" for n in notes), sys.stdout if fmt == "table" else sys.stderr)


