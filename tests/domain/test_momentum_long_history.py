"""Momentum over years of history equals the day-by-day definition, to the percent."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from smallsteps.domain.momentum import (
    STEP_WINDOW_DAYS,
    as_percentage,
    horizon,
    multiplier,
    overall_momentum,
    step_momentum,
)

checked = settings(database=None, deadline=None, max_examples=60)

TODAY = date(2026, 11, 22)
TEN_YEARS = 3653


def by_the_definition(days: set[date], today: date, target: int | None) -> int | None:
    """Apply ``s = s·m + x·(1 − m)`` once per calendar day from the first win, as written."""
    lived = {day for day in days if day <= today}
    if not lived:
        return None
    m = multiplier(1.0 if target is None else target / 7)
    score, day, in_window = 0.0, min(lived), 0
    while day <= today:
        in_window += day in lived
        in_window -= day - timedelta(days=STEP_WINDOW_DAYS) in lived
        x = (day in lived) if target is None else min(1.0, in_window / (2 * target))
        score = score * m + x * (1 - m)
        day += timedelta(days=1)
    return as_percentage(score)


@st.composite
def long_histories(draw):
    """Draw up to ten years of days, from barely there to nearly every day."""
    share = draw(st.sampled_from([0.02, 0.15, 0.45, 0.85, 1.0]))
    span = draw(st.integers(min_value=1, max_value=TEN_YEARS))
    seed = draw(st.randoms(use_true_random=False))
    return {TODAY - timedelta(days=i) for i in range(span) if seed.random() < share}


@checked
@given(long_histories(), st.integers(min_value=0, max_value=400))
def test_overall_momentum_over_ten_years_is_the_daily_recurrence(days, days_back):
    today = TODAY - timedelta(days=days_back)
    assert overall_momentum(days, today) == by_the_definition(days, today, None)


@checked
@given(long_histories(), st.integers(min_value=0, max_value=400), st.integers(1, 7))
def test_step_momentum_over_ten_years_is_the_daily_recurrence(days, days_back, target):
    today = TODAY - timedelta(days=days_back)
    assert step_momentum(days, today, target) == by_the_definition(days, today, target)


def test_a_perfect_habit_kept_for_ten_years_stays_at_100_then_fades_like_loop():
    every_day = {TODAY - timedelta(days=i) for i in range(TEN_YEARS)}
    assert overall_momentum(every_day, TODAY) == 100
    later = TODAY + timedelta(days=13)
    assert overall_momentum(every_day, later) == by_the_definition(every_day, later, None) == 50


def test_wins_older_than_the_horizon_no_longer_move_the_percentage():
    old_burst = {TODAY - timedelta(days=horizon(1.0) + i) for i in range(1, 400)}
    assert overall_momentum(old_burst, TODAY) == by_the_definition(old_burst, TODAY, None) == 0
