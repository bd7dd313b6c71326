"""Ids, statuses, roles and notes as clerks type them."""

from __future__ import annotations

import shutil

import pytest

from safetylist.errors import UsageError
from safetylist.registry import open_registry
from safetylist.typed import item_id, note, registry_year, role, status

from conftest import DATA


@pytest.mark.parametrize("typed", ["4.15.2", "４．１５．２", "4。15。2", "４。１５。２", " 4.15.2 ", "4. 15. 2"])
def test_ids(typed):
    assert item_id(typed) == "4.15.2"


@pytest.mark.parametrize("typed, canonical", [
    ("done", "done"), ("DONE", "done"), ("in-progress", "in_progress"), ("not started", "not_started"),
    ("完成", "done"), ("已完成", "done"), ("进行中", "in_progress"), ("推进中", "in_progress"),
    ("未开始", "not_started"), ("未启动", "not_started"), ("受阻", "blocked"), (" 已完成 ", "done")])
def test_statuses(typed, canonical):
    assert status(typed) == canonical


@pytest.mark.parametrize("typed, canonical", [
    ("lead", "lead"), ("牵头", "lead"), ("配合", "support"), ("督促指导", "supervise"),
    ("具体落实", "implement"), ("Support", "support")])
def test_roles(typed, canonical):
    assert role(typed) == canonical


def test_unknown_words_list_what_is_known():
    with pytest.raises(UsageError, match=r"unknown status '滞后' \(use one of: not_started, in_progress, "
                                         r"done, blocked; or 完成、已完成、进行中"):
        status("滞后")  # lagging is overdue, not blocked: left out on purpose
    with pytest.raises(UsageError, match=r"unknown role 'boss' \(use one of: lead \(牵头\), support \(配合\)"):
        role("boss")


def test_notes():
    assert note(" -5%的企业未完成 ") == "-5%的企业未完成"
    for empty in ("", "  ", "\u3000"):
        with pytest.raises(UsageError, match="--note: the note is empty"):
            note(empty)


def test_registry_year_from_the_manifest_else_the_campaigns(tmp_path, make_registry):
    assert (DATA / "registry.yaml").is_file()
    assert registry_year(open_registry(DATA)) == 2022
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    text = (copy / "registry.yaml").read_text(encoding="utf-8")
    (copy / "registry.yaml").write_text(
        text.replace("period: {start: 2022-01-01, end: 2022-12-31}", "period: {start: 2023-01-01, end: 2023-12-31}"),
        encoding="utf-8")
    assert registry_year(open_registry(copy)) == 2023
    mini = make_registry(manifest=False)
    assert not (mini / "registry.yaml").exists()
    assert registry_year(open_registry(mini)) == 2022  # its campaign's default deadline is in 2022
