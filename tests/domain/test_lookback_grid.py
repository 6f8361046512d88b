"""The heatmap as a calendar: where each day's square sits, how full it is, what it holds.

What a square says in words, in the reader's language, is tested with the page
(tests/test_lookback_page.py): the domain lays out numbers and dates only.
"""

from datetime import date, timedelta

import pytest

from smallsteps.domain.lookback.grid import (
    RECENT,
    YEAR,
    HeatCell,
    MonthInWords,
    lay_out,
    level,
)

T = date(2026, 11, 22)  # a Sunday; 370 days before it is Monday 17 November 2025
MONDAY, SUNDAY = 0, 6
# The year's margins and a day's square with its gap, in SVG units (pixels).
LEFT, TOP, PITCH = YEAR.label_width, YEAR.label_height, YEAR.pitch


@pytest.mark.parametrize(
    ("week_start", "first_day", "columns", "width"),
    [
        pytest.param(MONDAY, date(2025, 11, 17), 53, LEFT + 53 * PITCH, id="weeks-from-monday"),
        pytest.param(SUNDAY, date(2025, 11, 16), 54, LEFT + 54 * PITCH, id="weeks-from-sunday"),
    ],
)
def test_the_calendar_holds_whole_weeks_ending_today(week_start, first_day, columns, width):
    heat = lay_out({}, T, week_start)
    assert heat.width == width
    assert heat.height == TOP + 7 * PITCH
    assert len(heat.cells) == (T - first_day).days + 1
    assert heat.cells[0] == HeatCell(LEFT, TOP, 0, 0, first_day)
    assert heat.cells[-1].day == T
    assert max(cell.x for cell in heat.cells) == LEFT + (columns - 1) * PITCH


@pytest.mark.parametrize(
    ("day", "x", "y"),
    [
        pytest.param(date(2025, 11, 17), LEFT, TOP, id="first-monday-top-left"),
        pytest.param(date(2025, 11, 23), LEFT, TOP + 6 * PITCH, id="first-sunday-bottom-of-column"),
        pytest.param(date(2025, 11, 24), LEFT + PITCH, TOP, id="next-monday-next-column"),
        pytest.param(
            date(2026, 11, 18), LEFT + 52 * PITCH, TOP + 2 * PITCH, id="a-wednesday-this-week"
        ),
        pytest.param(T, LEFT + 52 * PITCH, TOP + 6 * PITCH, id="today-bottom-right"),
    ],
)
def test_each_day_sits_in_its_weeks_column_and_its_weekdays_row(day, x, y):
    heat = lay_out({}, T, MONDAY)
    cell = heat.cells[(day - date(2025, 11, 17)).days]
    assert (cell.x, cell.y) == (x, y)
    assert cell.day == day


def test_a_days_square_holds_its_date_and_its_wins():
    counts = {T: 1, T - timedelta(days=2): 2, T - timedelta(days=9): 7}
    heat = lay_out(counts, T, MONDAY)
    held = {(cell.day, cell.count): cell.level for cell in heat.cells if cell.level}
    assert held == {
        (date(2026, 11, 22), 1): 1,
        (date(2026, 11, 20), 2): 2,
        (date(2026, 11, 13), 7): 4,
    }
    assert sum(cell.count for cell in heat.cells) == 10
    assert (heat.wins, heat.days) == (10, 3)


@pytest.mark.parametrize(
    ("week_start", "labels"),
    [
        # 0 is Monday: Monday, Wednesday, Friday, Sunday from Monday.
        pytest.param(MONDAY, [(28, 0), (56, 2), (84, 4), (112, 6)], id="from-monday"),
        pytest.param(SUNDAY, [(28, 6), (56, 1), (84, 3), (112, 5)], id="from-sunday"),
    ],
)
def test_every_other_weekday_is_named_in_the_margin(week_start, labels):
    assert lay_out({}, T, week_start).weekday_labels == labels


def test_a_months_name_stands_over_the_column_of_its_first_days():
    heat = lay_out({}, T, MONDAY)
    assert [(x, day.month) for x, day in heat.month_labels[:3]] == [
        (LEFT + 2 * PITCH, 12),
        (LEFT + 7 * PITCH, 1),
        (LEFT + 11 * PITCH, 2),
    ]
    assert all(day.day <= 7 for _, day in heat.month_labels)  # the month's first week
    assert [day for _, day in heat.month_labels][-1].month == 11
    assert len(heat.month_labels) == 12


def test_the_months_in_words_add_up_each_months_wins_and_days():
    counts = {date(2025, 11, 30): 2, date(2025, 12, 1): 1, date(2025, 12, 31): 3, T: 1}
    months = lay_out(counts, T, MONDAY).months
    assert months[0] == MonthInWords(date(2025, 11, 1), 2, 1)
    assert months[1] == MonthInWords(date(2025, 12, 1), 4, 2)
    assert months[-1] == MonthInWords(date(2026, 11, 1), 1, 1)
    assert len(months) == 13


@pytest.mark.parametrize(
    ("count", "expected"),
    [(-1, 0), (0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (6, 3), (7, 4), (40, 4)],
)
def test_a_square_fills_in_five_steps_from_rest_to_a_full_day(count, expected):
    assert level(count) == expected


@pytest.mark.parametrize(
    ("layout", "week_start", "columns", "first_day"),
    [
        pytest.param(RECENT, MONDAY, 17, date(2026, 7, 27), id="phone-from-monday"),
        pytest.param(RECENT, SUNDAY, 17, date(2026, 8, 2), id="phone-from-sunday"),
        pytest.param(YEAR, MONDAY, 53, date(2025, 11, 17), id="wide-from-monday"),
        pytest.param(YEAR, SUNDAY, 54, date(2025, 11, 16), id="wide-from-sunday"),
    ],
)
def test_a_phone_gets_the_last_weeks_and_a_wide_screen_the_year_each_big_enough_to_tap(
    layout, week_start, columns, first_day
):
    heat = lay_out({T - timedelta(days=1): 2}, T, week_start, layout)
    assert heat.cells[0].day == first_day
    assert (heat.cells[-1].day, heat.cells[-1].count) == (T, 0)
    assert (heat.wins, heat.days) == (2, 1)
    assert heat.width == layout.label_width + columns * layout.pitch
    assert heat.square >= 12 and heat.font >= 12  # a fingertip's target, readable text
    assert layout.pitch > heat.square  # a gap between neighbours
    if layout is RECENT:
        assert heat.width <= 320  # fits a 390 px phone's card, drawn one unit to a pixel
    # Month names stay inside the picture; the year in words covers every month.
    assert all(x + 2 * heat.font <= heat.width for x, _ in heat.month_labels)
    assert len(heat.months) >= 4
