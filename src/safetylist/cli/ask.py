"""Asking the registry: check, due, overdue, unassigned, list, show, campaigns, depts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .application import app
from .options import (AfterOpt, AsOfOpt, BeforeOpt, BomOpt, CampaignOpt, DataOpt, DeptOpt, FormatOpt,
                      GrepOpt, ShowFormatOpt, StatusOpt, WarnOpt, WideOpt, WithinOpt, complete_depts,
                      complete_ids, csv_stream, period_year, registry_from, typed_date)

if TYPE_CHECKING:
    from ..registry import Registry


@app.command()
def check(data: DataOpt = None) -> None:
    """Validate every campaign file and report every problem in one run.

    Prints one line per problem (path:line:col: level: message [rule-id]) on stderr, then
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


# The listings: due, overdue, unassigned, list (and search) --------------------------------------


@dataclass(kw_only=True, repr=False, eq=False)  # built once a run: no repr or eq to generate
class Listing:
    """What a listing was asked for: its filters, the date it is as of, and its output."""

    dept: list[str]
    campaign: list[str]
    status: list[str]
    grep: list[str]
    before: str | None = None
    after: str | None = None
    within: int | None = None
    as_of: str | None = None
    warn: int = 30
    fmt: str = "table"
    wide: bool = False
    bom: bool = False
    data: Path | None = None


def listing_command(name: str) -> Callable[[Callable[[Listing], None]], Callable[..., None]]:
    """Register ``name`` as a listing command: the options below, read into a ``Listing``
    and handed to the decorated function, whose docstring is the command's help. The options
    are written once here, so every listing takes the same ones in the same order."""

    def register(run: Callable[[Listing], None]) -> Callable[..., None]:
        def command(*, dept: DeptOpt = [], campaign: CampaignOpt = [], before: BeforeOpt = None,
                    after: AfterOpt = None, within: WithinOpt = None, status: StatusOpt = [],
                    grep: GrepOpt = [], as_of: AsOfOpt = None, warn: WarnOpt = 30,
                    format: FormatOpt = "table", wide: WideOpt = False, bom: BomOpt = False,
                    data: DataOpt = None) -> None:
            run(Listing(dept=dept, campaign=campaign, before=before, after=after, within=within,
                        status=status, grep=grep, as_of=as_of, warn=warn, fmt=format, wide=wide,
                        bom=bom, data=data))

        # Not functools.wraps: typer would read the signature of the wrapped function.
        command.__name__, command.__qualname__ = run.__name__, run.__qualname__
        command.__doc__ = run.__doc__
        return app.command(name)(command)

    return register


def _listing(kind: str, asked: Listing, label: str | None = None) -> None:
    """The items of ``kind`` (query.select's) that match, as a listing titled ``label``."""
    from .. import query, render

    registry = registry_from(asked.data, asked.dept)
    given = typed_date(asked.as_of, year=period_year(registry)) if asked.as_of is not None else None
    # A date written without its year (6月底) is in the --as-of year, else the registry's.
    year = given.year if given is not None else period_year(registry)
    filters = query.make_filters(
        registry, as_of=given or typed_date(None), depts=asked.dept, campaigns=asked.campaign,
        before=typed_date(asked.before, "--before", year) if asked.before is not None else None,
        after=typed_date(asked.after, "--after", year) if asked.after is not None else None,
        within=asked.within, statuses=asked.status)
    views = query.select(registry, kind, filters)
    grep = asked.grep
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
    _short_name_notes(registry, asked.dept, asked.fmt)
    out = csv_stream(asked.bom, asked.fmt)
    render.write(render.item_listing(views, asked.fmt, filters.as_of, asked.warn, title, query.RECORD_FIELDS,
                                     asked.wide, render.screen(out)), out)


@listing_command("due")
def due(asked: Listing) -> None:
    """Open (not done) items with their deadlines, soonest first.

    Example: safetylist due --dept 市应急管理局 --as-of 2022-06-01
    """
    _listing("due", asked)


@listing_command("overdue")
def overdue(asked: Listing) -> None:
    """Open items whose deadline has passed, oldest first.

    Example: safetylist overdue --as-of 2023-01-01 --campaign 煤矿
    """
    _listing("overdue", asked)


@listing_command("unassigned")
def unassigned(asked: Listing) -> None:
    """Items of tasks that name no responsible department.

    Example: safetylist unassigned --format ids
    """
    _listing("unassigned", asked)


@listing_command("list")
def list_(asked: Listing) -> None:
    """Every item that matches the filters, whatever its status, in id order.

    Example: safetylist list --campaign 4 --format json
    """
    _listing("list", asked)


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
    _listing("list", Listing(dept=dept, campaign=campaign, status=status, grep=words, as_of=as_of,
                             warn=warn, fmt=format, wide=wide, data=data), label="search")


@app.command()
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="A task (4.15) or an item (4.15.2).",
                                         autocompletion=complete_ids)],
    as_of: AsOfOpt = None, format: ShowFormatOpt = "table", data: DataOpt = None,
) -> None:
    """One task or item in full: text, departments and roles, deadline, status, history, notes.

    Example: safetylist show 4.15.2
    """
    from .. import query, render

    registry = registry_from(data)
    campaign, task, item = query.find(registry, ident)
    day = typed_date(as_of, year=period_year(registry))
    info = query.describe(campaign, task, item, day, registry.manifest, registry.directory)
    render.write(render.show(info, day, format))


@app.command()
def campaigns(as_of: AsOfOpt = None, format: FormatOpt = "table", bom: BomOpt = False,
              data: DataOpt = None) -> None:
    """The campaigns (0: the notice's standing requirements; 1-13) with counts and progress.

    Example: safetylist campaigns --as-of 2022-06-30
    """
    from .. import query, render

    registry = registry_from(data)
    day, out = typed_date(as_of, year=period_year(registry)), csv_stream(bom, format)
    render.write(render.campaigns(query.campaign_rows(registry, day), day, format,
                                  render.screen(out)), out)


@app.command()
def depts(
    name: Annotated[str | None, typer.Argument(help="Show how NAME resolves.",
                                              autocompletion=complete_depts)] = None,
    as_of: AsOfOpt = None, format: FormatOpt = "table", bom: BomOpt = False, data: DataOpt = None,
) -> None:
    """The departments and groups with aliases, groups and open items; or how NAME resolves.

    Example: safetylist depts 孝义应急
    """
    from .. import query, render

    registry = registry_from(data)
    resolved = registry.directory.resolve(name) if name is not None else None
    _short_name_notes(registry, [name] if name is not None else [], format)
    rows = query.department_rows(registry, resolved, typed_date(as_of, year=period_year(registry)))
    out = csv_stream(bom, format)
    render.write(render.departments(rows, format, resolved is not None, render.screen(out)), out)


def _short_name_notes(registry: Registry, names: list[str], fmt: str) -> None:
    """The answer's first line says whose bureau a short name (应急局) was read as; scripts'
    formats keep stdout clean and get it on stderr."""
    import sys

    from ..render import visible, write

    notes = [n for n in (registry.directory.short_name_note(d) for d in names) if n]
    write("".join(f"note: {visible(n)}\n" for n in notes), sys.stdout if fmt == "table" else sys.stderr)


