"""Finding items by keyword: --grep on the listings and `safetylist search`."""

from __future__ import annotations

import json

import pytest

from safetylist import query, search
from safetylist.cli import app
from safetylist.errors import UsageError
from safetylist.registry import open_registry

from conftest import DATA

GAS = ["4.15.2", "4.16.1", "4.17.2", "4.27.4", "4.29.1", "4.29.3", "4.30.1"]  # items that say 瓦斯


def ids(runner, *args, data=DATA):
    result = runner.invoke(app, [*args, "--format", "ids", "--data", str(data)])
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def test_fold_makes_alike_what_a_clerk_cannot_tell_apart():
    assert search.fold("ＬＮＧ　储罐") == search.fold("lng储罐") == "lng储罐"
    assert search.fold("各县（市、区）") == search.fold("各县(市、区)")
    assert search.fold("瓦斯抽採") == search.fold("瓦斯抽采") == "瓦斯抽采"
    assert search.fold("市應急管理局") == "市应急管理局"


def test_search_finds_every_item_that_says_the_word(runner):
    assert ids(runner, "search", "瓦斯") == GAS
    assert ids(runner, "list", "--grep", "瓦斯") == GAS
    assert ids(runner, "due", "--grep", "瓦斯", "--as-of", "2022-06-01") == GAS  # all due 2022-12-31
    assert ids(runner, "overdue", "--grep", "瓦斯", "--as-of", "2022-06-01") == []


def test_several_words_must_all_match(runner):
    both = ["4.16.1", "4.27.4", "4.29.1", "4.29.3", "4.30.1"]
    assert ids(runner, "search", "瓦斯", "突出") == both
    assert ids(runner, "list", "--grep", "瓦斯", "--grep", "突出") == both
    assert ids(runner, "search", "瓦斯", "火星") == []


def test_traditional_and_full_width_forms_match(runner):
    assert ids(runner, "search", "瓦斯抽採") == ["4.15.2"]
    assert ids(runner, "search", "ＬＮＧ") == ids(runner, "search", "lng") == ["13.2.1"]


def test_the_department_cell_and_the_campaign_title_are_searched(runner):
    enforcement = ids(runner, "list", "--dept", "国家矿山安全监察局山西局执法五处")
    assert len(enforcement) == 64
    assert ids(runner, "list", "--grep", "执法五处") == enforcement
    assert ids(runner, "search", "冶金制造安全专项整治") == ids(runner, "list", "--campaign", "13")


def test_notes_are_searched(runner, shipped_copy):
    result = runner.invoke(app, ["note", "9.15.1", "资金未到位，待市财政局拨付", "--date", "2022-06-01",
                                 "--data", str(shipped_copy)])
    assert result.exit_code == 0, result.output
    assert ids(runner, "search", "拨付", data=shipped_copy) == ["9.15.1"]


def test_search_title_and_filters(runner):
    result = runner.invoke(app, ["search", "瓦斯", "突出", "--campaign", "4", "--status", "未开始",
                                 "--as-of", "2022-06-01", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "search: 5 item(s) matching '瓦斯' and '突出' as of 2022-06-01 (0 overdue)")
    as_json = runner.invoke(app, ["search", "瓦斯", "--format", "json", "--data", str(DATA)])
    assert [r["id"] for r in json.loads(as_json.stdout)] == GAS


def test_an_empty_word_is_refused(runner):
    result = runner.invoke(app, ["list", "--grep", " ", "--data", str(DATA)])
    assert result.exit_code == 2
    assert result.stderr == "safetylist: error: --grep: empty text; give a word to look for, e.g. --grep 瓦斯\n"


def test_core_api():
    registry = open_registry(DATA)
    views = query.all_items(registry)
    assert [v.id for v in search.select(views, ["瓦斯"])] == GAS
    assert search.select(views, []) == views
    with pytest.raises(UsageError):
        search.select(views, [""])
