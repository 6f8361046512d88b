"""Properties every history must keep, checked on generated histories."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from smallsteps.domain.lookback import heatmap, look_back, window
from smallsteps.domain.momentum import (
    STEP_WINDOW_DAYS,
    as_percentage,
    multiplier,
    overall_momentum,
    step_momentum,
)
from smallsteps.domain.streaks import gentle_streak, week_start_of, weekly_streak

# No example database: these properties keep no state between runs.
checked = settings(database=None, deadline=None, max_examples=200)

EARLIEST, LATEST = date(2025, 1, 1), date(2026, 12, 31)
dates = st.dates(min_value=EARLIEST, max_value=LATEST)
histories = st.lists(dates, max_size=80)
graces = st.integers(min_value=0, max_value=3)
targets = st.integers(min_value=1, max_value=7)
week_starts = st.integers(min_value=0, max_value=6)
counts_per_day = st.dictionaries(dates, st.integers(min_value=0, max_value=20), max_size=80)


@checked
@given(histories, dates, graces)
def test_the_current_streak_never_exceeds_the_longest(days, today, grace):
    streak = gentle_streak(days, today, grace)
    assert 0 <= streak.current <= streak.longest


@checked
@given(histories, dates, dates, graces)
def test_adding_a_day_never_lowers_the_longest_streak(days, extra, today, grace):
    before = gentle_streak(days, today, grace)
    after = gentle_streak([*days, extra], today, grace)
    assert after.longest >= before.longest


@checked
@given(histories, dates, graces, graces)
def test_a_larger_grace_never_lowers_a_streak(days, today, grace, other):
    smaller, larger = sorted((grace, other))
    lower, higher = gentle_streak(days, today, smaller), gentle_streak(days, today, larger)
    assert higher.longest >= lower.longest
    assert higher.current >= lower.current


@checked
@given(histories, dates)
def test_grace_zero_is_the_classic_streak(days, today):
    shown_up = set(days)
    cursor = today if today in shown_up else today - timedelta(days=1)
    classic = 0
    while cursor in shown_up:
        classic += 1
        cursor -= timedelta(days=1)
    assert gentle_streak(days, today, 0).current == classic


@checked
@given(histories, dates, targets, week_starts, dates)
def test_a_win_this_week_never_lowers_the_weekly_streak(days, today, target, week_start, extra):
    this_week = week_start_of(today, week_start)
    extra = min(max(extra, this_week), today)
    before = weekly_streak(days, today, target, week_start)
    assert weekly_streak([*days, extra], today, target, week_start) >= before


@checked
@given(histories, dates, targets, week_starts)
def test_the_weekly_streak_never_exceeds_the_weeks_with_enough_days(
    days, today, target, week_start
):
    weeks = {week_start_of(day, week_start) for day in days if day <= today}
    assert weekly_streak(days, today, target, week_start) <= len(weeks)


@checked
@given(histories, dates, st.none() | targets)
def test_momentum_stays_between_0_and_100(days, today, target):
    for score in (overall_momentum(days, today), step_momentum(days, today, target)):
        assert score is None or 0 <= score <= 100


@checked
@given(st.lists(dates, min_size=1, max_size=80), st.data())
def test_momentum_does_not_fall_on_a_showed_up_day(days, data):
    today = data.draw(st.sampled_from(days))
    yesterday = overall_momentum(days, today - timedelta(days=1))
    assert yesterday is None or overall_momentum(days, today) >= yesterday


@checked
@given(dates, st.integers(min_value=1, max_value=400))
def test_a_perfect_daily_habit_follows_loops_curve_from_any_start(first, length):
    days = [first + timedelta(days=i) for i in range(length)]
    today = days[-1]
    expected = as_percentage(1 - multiplier(1.0) ** length)
    assert abs(overall_momentum(days, today) - expected) <= 1
    if length in (30, 60):
        assert overall_momentum(days, today) == {30: 80, 60: 96}[length]


@checked
@given(histories, dates, targets)
def test_step_momentum_matches_a_day_by_day_recount(days, today, target):
    assert step_momentum(days, today, target) == _recounted_step_momentum(days, today, target)


@checked
@given(histories, dates)
def test_a_step_without_a_weekly_target_has_no_momentum(days, today):
    assert step_momentum(days, today, None) is None


@checked
@given(counts_per_day, dates, st.none() | week_starts)
def test_the_heatmap_adds_up_to_its_window(counts, today, week_start):
    start, cells = heatmap(counts, today, week_start)
    assert 371 <= len(cells) <= 377
    assert start + timedelta(days=len(cells) - 1) == today
    assert sum(cells) == window(counts, start, today).wins
    assert cells[-371:] == heatmap(counts, today)[1]


@checked
@given(counts_per_day, dates)
def test_the_two_weeks_add_up_to_the_last_fourteen_days(counts, today):
    result = look_back(counts, today)
    fortnight = window(counts, today - timedelta(days=13), today)
    assert result.last_7_days.wins + result.previous_7_days.wins == fortnight.wins
    assert result.last_7_days.days + result.previous_7_days.days == fortnight.days
    assert result.now.wins <= result.since_start.wins


@checked
@given(counts_per_day, dates)
def test_milestones_are_in_order_and_reached(counts, today):
    milestones = look_back(counts, today).milestones
    assert milestones == sorted(milestones)
    total = look_back(counts, today).since_start.wins
    assert all(n <= total for n, _ in milestones)


def _recounted_step_momentum(days: list[date], today: date, target: int) -> int | None:
    """Recompute a step's momentum the slow way, recounting each 14-day window."""
    shown_up = {day for day in days if day <= today}
    if not shown_up:
        return None
    m = multiplier(target / 7)
    score, day = 0.0, min(shown_up)
    while day <= today:
        recent = {d for d in shown_up if day - timedelta(days=STEP_WINDOW_DAYS) < d <= day}
        score = score * m + min(1.0, len(recent) / (2 * target)) * (1 - m)
        day += timedelta(days=1)
    return as_percentage(score)
