"""Fitting columns to a terminal's width."""

from __future__ import annotations

from safetylist.tables import TEXT_MIN, Spec, fit


def test_a_table_that_fits_keeps_natural_widths():
    assert fit([Spec(6), Spec(10), Spec(30, text=True)], 80) == [6, 10, 30]


def test_the_text_gets_what_is_left_and_capped_columns_get_room_back_last():
    specs = [Spec(6), Spec(32, shrink=True, low=10, cap=20), Spec(400, text=True)]
    assert fit(specs, 80) == [6, 20, 50]  # 6 + 20 + 50 + 2 gaps of 2
    assert fit([Spec(6), Spec(32, shrink=True, low=10, cap=20), Spec(40, text=True)], 120) == [6, 32, 40]


def test_shrinking_columns_are_cut_before_the_text_goes_below_its_least():
    specs = [Spec(40), Spec(32, shrink=True, low=10, cap=20), Spec(400, text=True)]
    assert fit(specs, 80) == [40, 12, TEXT_MIN]


def test_a_droppable_column_is_left_out_when_cutting_is_not_enough():
    specs = [Spec(50), Spec(25, shrink=True, low=8, cap=12, drop=True), Spec(60, text=True, low=12)]
    assert fit(specs, 70) == [50, None, 18]  # cut to 8 it would still leave the text 8
    assert fit(specs, 100) == [50, 12, 34]


def test_too_narrow_a_terminal_gives_every_column_its_least():
    assert fit([Spec(40), Spec(30, shrink=True, low=10), Spec(100, text=True)], 20) == [40, 10, 24]
