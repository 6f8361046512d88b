"""Gentle streaks, days shown up, and the weekly rhythm of a step."""

from datetime import date, timedelta

import pytest

from smallsteps.domain.streaks import (
    Streak,
    days_shown_up,
    gentle_streak,
    week_start_of,
    weekly_streak,
)

# Week of Monday 2 March 2026.
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 3, 2) + timedelta(days=i) for i in range(7))
NEXT_MON, NEXT_TUE, NEXT_WED = (MON + timedelta(days=7 + i) for i in range(3))


def span(first: date, last: date) -> list[date]:
    """Return every day from ``first`` to ``last``."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.mark.parametrize(
    ("days", "today", "grace", "current", "longest"),
    [
        pytest.param([MON, TUE, THU], FRI, 1, 3, 3, id="design-example-friday"),
        pytest.param([MON, TUE, THU], SAT, 1, 3, 3, id="design-example-saturday"),
        pytest.param([MON, TUE, THU], SUN, 1, 0, 3, id="design-example-sunday"),
        pytest.param([MON, TUE, THU], THU, 0, 1, 2, id="grace-0-gap-breaks-the-run"),
        pytest.param([MON, TUE, THU], FRI, 0, 1, 2, id="grace-0-yesterday-still-counts"),
        pytest.param([MON, TUE, THU], SAT, 0, 0, 2, id="grace-0-one-missed-day-ends-it"),
        pytest.param([MON, THU], SUN, 2, 2, 2, id="grace-2-two-gaps-forgiven"),
        pytest.param([MON, THU], NEXT_MON, 2, 0, 2, id="grace-2-three-missed-days-end-it"),
        pytest.param([MON, FRI], NEXT_TUE, 3, 2, 2, id="grace-3-three-gaps-forgiven"),
        pytest.param([MON, FRI], NEXT_WED, 3, 0, 2, id="grace-3-four-missed-days-end-it"),
        pytest.param([MON, WED, FRI], FRI, 1, 3, 3, id="forgiven-days-are-not-counted"),
        pytest.param(span(MON, FRI), FRI, 1, 5, 5, id="today-counts-once-shown-up"),
        pytest.param([THU, MON, TUE, MON, THU, THU], FRI, 1, 3, 3, id="unsorted-with-duplicates"),
        pytest.param([], FRI, 1, 0, 0, id="no-wins-yet"),
        pytest.param([NEXT_MON, NEXT_TUE], FRI, 1, 0, 0, id="only-later-days"),
        pytest.param(span(MON, SUN), WED, 1, 3, 3, id="as-of-in-the-past-ignores-later-days"),
        pytest.param(
            span(date(2026, 1, 5), date(2026, 1, 11)) + [THU, FRI],
            SAT,
            1,
            2,
            7,
            id="longest-run-was-earlier",
        ),
    ],
)
def test_gentle_streak(days, today, grace, current, longest):
    assert gentle_streak(days, today, grace) == Streak(current, longest, grace)


def test_a_missed_day_within_grace_keeps_the_streak():
    assert gentle_streak([MON, WED], WED, 1).current == 2


def test_a_missed_day_beyond_grace_starts_a_new_run():
    assert gentle_streak([MON, WED, THU], THU, 0) == Streak(current=2, longest=2, grace=0)


def test_today_is_never_a_missed_day():
    assert gentle_streak([MON, TUE], WED, 0).current == 2


def test_a_negative_grace_is_refused():
    with pytest.raises(ValueError, match="grace"):
        gentle_streak([MON], MON, -1)


@pytest.mark.parametrize(
    ("days", "today", "window", "expected"),
    [
        pytest.param(
            span(MON, NEXT_MON) + [NEXT_MON], NEXT_MON, 14, 8, id="8-of-14-duplicates-once"
        ),
        pytest.param(span(MON - timedelta(days=6), NEXT_MON), NEXT_MON, 14, 14, id="every-day"),
        pytest.param([MON - timedelta(days=7)], NEXT_MON, 14, 0, id="day-before-window"),
        pytest.param([MON - timedelta(days=6)], NEXT_MON, 14, 1, id="first-day-of-window"),
        pytest.param([NEXT_TUE], NEXT_MON, 14, 0, id="later-days-ignored"),
        pytest.param([NEXT_MON], NEXT_MON, 1, 1, id="window-of-one-is-today"),
        pytest.param([], NEXT_MON, 14, 0, id="no-wins"),
    ],
)
def test_days_shown_up_counts_distinct_days_in_the_window(days, today, window, expected):
    assert days_shown_up(days, today, window) == expected


def test_days_shown_up_needs_a_window_of_at_least_one_day():
    with pytest.raises(ValueError, match="window"):
        days_shown_up([MON], MON, 0)


@pytest.mark.parametrize(
    ("day", "week_start", "expected"),
    [
        pytest.param(MON, 0, MON, id="monday-weeks-monday"),
        pytest.param(SUN, 0, MON, id="monday-weeks-sunday"),
        pytest.param(SUN, 6, SUN, id="sunday-weeks-sunday"),
        pytest.param(SAT, 6, MON - timedelta(days=1), id="sunday-weeks-saturday"),
        pytest.param(WED, 2, WED, id="wednesday-weeks-wednesday"),
        pytest.param(TUE, 2, WED - timedelta(days=7), id="wednesday-weeks-tuesday"),
        pytest.param(date(2026, 1, 1), 0, date(2025, 12, 29), id="across-new-year"),
    ],
)
def test_week_start_of_finds_the_first_day_of_the_week(day, week_start, expected):
    assert week_start_of(day, week_start) == expected


@pytest.mark.parametrize("week_start", [-1, 7])
def test_an_unknown_week_start_is_refused(week_start):
    with pytest.raises(ValueError, match="week_start"):
        week_start_of(MON, week_start)


# Monday weeks: 2, 9, 16 and 23 March 2026; "today" is Wednesday 25 March.
W1, W2, W3, W4 = (date(2026, 3, 2) + timedelta(weeks=i) for i in range(4))
TODAY = W4 + timedelta(days=2)


def days_of(week: date, *offsets: int) -> list[date]:
    """Return the days ``offsets`` after the start of ``week``."""
    return [week + timedelta(days=offset) for offset in offsets]


@pytest.mark.parametrize(
    ("days", "today", "target", "week_start", "expected"),
    [
        pytest.param(
            days_of(W1, 0, 3) + days_of(W2, 1, 5) + days_of(W3, 2, 6),
            TODAY,
            2,
            0,
            3,
            id="current-week-not-met-yet-breaks-nothing",
        ),
        pytest.param(
            days_of(W1, 0, 3) + days_of(W2, 1, 5) + days_of(W3, 2, 6) + days_of(W4, 0, 1),
            TODAY,
            2,
            0,
            4,
            id="current-week-counts-once-met",
        ),
        pytest.param(
            days_of(W1, 0, 3) + days_of(W2, 1, 5) + days_of(W3, 2) + days_of(W4, 0, 1),
            TODAY,
            2,
            0,
            1,
            id="unmet-last-week-breaks-the-rhythm",
        ),
        pytest.param(
            days_of(W1, 0, 3) + days_of(W3, 2, 6), TODAY, 2, 0, 1, id="gap-week-ends-older-run"
        ),
        pytest.param(
            days_of(W3, 2, 2, 2) + days_of(W2, 4, 4), TODAY, 2, 0, 0, id="one-day-counts-once"
        ),
        pytest.param(
            days_of(W3, 6) + days_of(W3, 0) + days_of(W2, 3, 1), TODAY, 2, 0, 2, id="unsorted-days"
        ),
        pytest.param(days_of(W3, 0, 6), TODAY, 2, 0, 1, id="monday-weeks-mon-and-sun-together"),
        pytest.param(days_of(W3, -1, 5), TODAY, 2, 0, 0, id="monday-weeks-sun-and-sat-apart"),
        pytest.param(days_of(W3, -1, 5), TODAY, 2, 6, 1, id="sunday-weeks-sun-and-sat-together"),
        pytest.param(days_of(W3, 0, 6), TODAY, 2, 6, 0, id="sunday-weeks-mon-and-sun-apart"),
        pytest.param(days_of(W3, 2, 8), TODAY, 2, 2, 1, id="wednesday-weeks-wed-to-tue-met"),
        pytest.param(days_of(W3, 2, 8), TODAY, 2, 0, 0, id="monday-weeks-same-days-split"),
        pytest.param(
            days_of(W3, 2, 8) + days_of(W4, 2, 3),
            TODAY,
            2,
            2,
            1,
            id="wednesday-weeks-later-days-ignored",
        ),
        pytest.param(
            days_of(W3, 0, 2) + days_of(W4, 0, 4, 5),
            TODAY,
            2,
            0,
            1,
            id="as-of-in-the-past-ignores-later-days",
        ),
        pytest.param(
            [d for w in (W1, W2, W3) for d in days_of(w, *range(7))],
            TODAY,
            7,
            0,
            3,
            id="target-7-needs-every-day",
        ),
        pytest.param(
            days_of(W1, *range(7)) + days_of(W2, *range(6)), TODAY, 7, 0, 0, id="target-7-missed"
        ),
        pytest.param([], TODAY, 1, 0, 0, id="no-wins"),
    ],
)
def test_weekly_streak(days, today, target, week_start, expected):
    assert weekly_streak(days, today, target, week_start) == expected


@pytest.mark.parametrize("target", [0, 8])
def test_a_weekly_target_outside_1_to_7_is_refused(target):
    with pytest.raises(ValueError, match="weekly target"):
        weekly_streak([MON], MON, target, 0)
