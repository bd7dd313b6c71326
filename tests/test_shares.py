"""Shares (shares.py) through the core API, and the listing paths built on them (query.py)."""

import datetime as dt

import pytest

from conftest import FIXTURE
from safetylist import query
from safetylist.models import HistoryEntry, Item
from safetylist.registry import open_registry
from safetylist.shares import combine, expand, statuses
from safetylist.status import status_on

COUNTY_BUREAUS = "市、县应急管理局"


@pytest.fixture(scope="module")
def registry():
    return open_registry(FIXTURE)


def test_a_group_expands_to_its_members_in_the_directory_order_each_once(registry):
    d = registry.directory
    shares = expand(d, [COUNTY_BUREAUS, "市应急管理局"])
    assert len(shares) == 14
    assert shares[0] == "市应急管理局" and shares[1].startswith("离石区")
    assert expand(d, ["市应急管理局", COUNTY_BUREAUS]) == shares  # named first, still once
    assert expand(d, ["各负有安全监管职责的部门"]) == ["各负有安全监管职责的部门"]  # no members: one share


def test_an_expansion_is_remembered_but_never_shared_with_its_caller(registry):
    d = registry.directory
    first = expand(d, [COUNTY_BUREAUS])
    first.append("changed by the caller")
    assert expand(d, [COUNTY_BUREAUS]) == first[:-1]
    assert expand(None, ["a", "b", "a"]) == ["a", "b"]


def entry(day, status, by=None, **kw):
    return HistoryEntry(date=dt.date.fromisoformat(day), status=status, by=by, **kw)


def test_statuses_in_one_pass_agree_with_each_share_on_its_own():
    holders = ["甲", "乙", "丙"]
    item = Item(id="1.1.1", text="x", history=[
        entry("2022-03-01", "in_progress", "甲"), entry("2022-04-01", "done", "乙"),
        entry("2022-05-01", "blocked", "甲"), entry("2022-06-01", "done", None, whole=True)])
    for day in (None, dt.date(2022, 2, 1), dt.date(2022, 4, 15), dt.date(2022, 5, 15), dt.date(2022, 6, 1)):
        got = statuses(item, holders, day)
        assert got == {h: status_on(item, day, only=h) for h in holders}, day
    assert statuses(item, holders, dt.date(2022, 5, 15)) == {"甲": "blocked", "乙": "done", "丙": "not_started"}
    assert set(statuses(item, holders, None).values()) == {"done"}


@pytest.mark.parametrize(("shares", "item"), [
    ([], "not_started"), (["done", "done"], "done"), (["done", "blocked"], "blocked"),
    (["in_progress", "blocked"], "blocked"), (["done", "not_started"], "in_progress"),
    (["not_started", "not_started"], "not_started")])
def test_an_items_status_combines_its_shares(shares, item):
    assert combine(shares) == item


def test_a_departments_listing_is_the_full_listing_filtered_to_its_own_shares(registry):
    """The fast path (views of the department's items only, its own shares' statuses) gives
    what filtering every view would."""
    as_of = dt.date(2022, 6, 1)
    for dept in ("市应急管理局", "孝义市应急管理局", "市教育局"):
        f = query.Filters(as_of=as_of, departments=[registry.directory.resolve(dept)], campaigns=[],
                          before=None, after=None, within=None, statuses=[])
        fast = query.select(registry, "list", f)
        visible = registry.directory.visible(f.departments[0])
        slow = [v for v in query.all_items(registry, as_of) if visible.intersection(v.departments)]
        assert [v.id for v in fast] == [v.id for v in slow]
        for v in fast:
            assert v.focus == (query.focus_of(registry.directory, v, f.departments) or None)
            assert v.share_status == (combine([status_on(v.item, as_of, only=h) for h in v.focus])
                                      if v.focus else None)


def test_a_views_share_status_follows_a_change_of_focus(registry):
    view = next(v for v in query.all_items(registry, dt.date(2022, 6, 1)) if len(v.holders) == 14)
    assert view.share_status is None
    view.focus = ["孝义市应急管理局"]
    assert view.share_status == status_on(view.item, view.as_of, only="孝义市应急管理局")
    view.focus = None
    assert view.share_status is None
