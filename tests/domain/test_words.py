"""Numbers and dates in words: plurals, ordinals and dates, with the year only when needed."""

from datetime import date

import pytest

from smallsteps.domain.words import long_date, nth, plural, weekday_date


@pytest.mark.parametrize(
    ("count", "word", "said"),
    [
        (0, "win", "0 wins"),
        (1, "win", "1 win"),
        (2, "day", "2 days"),
        (1, "rest day", "1 rest day"),
    ],
)
def test_plural_adds_an_s_unless_there_is_one(count, word, said):
    assert plural(count, word) == said


@pytest.mark.parametrize(
    ("count", "said"),
    [
        (1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (10, "10th"), (11, "11th"),
        (12, "12th"), (13, "13th"), (21, "21st"), (25, "25th"), (102, "102nd"),
        (111, "111th"), (1000, "1000th"),
    ],
)  # fmt: skip
def test_nth_says_the_ordinal_including_the_teens(count, said):
    assert nth(count) == said


@pytest.mark.parametrize(
    ("day", "today", "said"),
    [
        pytest.param(date(2026, 3, 3), date(2026, 11, 22), "3 March", id="this-year"),
        pytest.param(date(2025, 12, 31), date(2026, 1, 2), "31 December 2025", id="last-year"),
        pytest.param(date(2026, 3, 3), None, "3 March 2026", id="no-today"),
    ],
)
def test_long_date_names_the_year_only_when_it_is_not_this_one(day, today, said):
    assert long_date(day, today) == said


def test_weekday_date_names_the_weekday_day_month_and_year():
    assert weekday_date(date(2026, 1, 3)) == "Saturday 3 January 2026"
