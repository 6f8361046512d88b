"""Settled history: folding the days before S, then adding the days from S, changes nothing."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smallsteps.domain.lookback import look_back, milestone_bands
from smallsteps.domain.lookback.settled import advance, settle, settle_start, settled_before
from smallsteps.domain.momentum import overall_momentum, step_momentum
from smallsteps.domain.streaks import gentle_streak, weekly_streak

checked = settings(database=None, deadline=None, max_examples=300)

EARLIEST, LATEST = date(2023, 1, 1), date(2026, 12, 31)
dates = st.dates(min_value=EARLIEST, max_value=LATEST)
counts_per_day = st.dictionaries(dates, st.integers(min_value=1, max_value=4), max_size=300)
step_days = st.lists(dates, max_size=200)
graces = st.integers(min_value=0, max_value=3)
targets = st.one_of(st.none(), st.integers(min_value=1, max_value=7))
week_starts = st.integers(min_value=0, max_value=6)


def folded(counts, days, target, start, grace, week_start):
    """Return the history before ``start``, folded from every day."""
    last = start - timedelta(days=1)
    # The Nth win's day in local-date order stands for the one by occurred_at here.
    settled_bands = [band for band in milestone_bands(counts, last) if band.settled_before(start)]
    return settle(counts, {"step": days}, {"step": target}, start, grace=grace,
                  week_start=week_start, milestones=map(nth_day, settled_bands))  # fmt: skip


def moved_on(counts, days, target, start, grace, week_start, weeks):
    """Return the history before ``start``, folded ``weeks`` earlier and then moved on."""
    earlier = folded(counts, days, target, start - timedelta(weeks=weeks), grace, week_start)
    between = {day: n for day, n in counts.items() if earlier.start <= day < start}
    kept = earlier.counts | between
    settled_counts = {n for n, _ in earlier.milestones}
    bands = milestone_bands(kept, start - timedelta(days=1), earlier.before.wins)
    newly = [
        nth_day(band)
        for band in bands
        if band.settled_before(start) and band.count not in settled_counts
    ]
    return advance(earlier, between, {"step": days}, {"step": target}, start, grace=grace,
                   week_start=week_start, milestones=newly)  # fmt: skip


def resumed(counts, days, target, today, grace, week_start, fold=folded):
    """Return what a summary as of ``today`` shows, from settled history plus the rest."""
    start = settle_start(today, week_start)
    settled = fold(counts, days, target, start, grace, week_start)
    recent = {day: n for day, n in counts.items() if day >= start}
    recent_days = [day for day in days if day >= start]
    step = settled.steps["step"]
    kept = settled.counts | recent
    bands = milestone_bands(kept, today, settled.before.wins)
    settled_counts = {n for n, _ in settled.milestones}
    found = [nth_day(band) for band in bands if band.count not in settled_counts]
    look = look_back(
        kept,
        today,
        {"step": step.days | set(recent_days)},
        milestone_dates=[*settled.milestones, *found],
        before=settled.before,
    )
    return {
        "streak": gentle_streak(recent, today, grace, settled.run),
        "momentum": overall_momentum(recent, today, settled.momentum),
        "step momentum": step_momentum(recent_days, today, target, step.progress),
        "weekly": None
        if target is None
        else weekly_streak(recent_days, today, target, week_start, start, step.weekly_run),
        "look": look,
    }


def nth_day(band) -> tuple[int, date]:
    """Return (N, the day of the Nth win in local-date order) from its band."""
    return band.count, band.first + timedelta(days=4)


def whole(counts, days, target, today, grace, week_start):
    """Return the same from the whole history at once."""
    look = look_back(counts, today, {"step": set(days)})
    return {
        "streak": gentle_streak(counts, today, grace),
        "momentum": overall_momentum(counts, today),
        "step momentum": step_momentum(days, today, target),
        "weekly": None if target is None else weekly_streak(days, today, target, week_start),
        "look": look,
    }


@checked
@given(counts_per_day, step_days, targets, dates, graces, week_starts)
def test_a_summary_from_settled_history_is_the_summary_from_every_day(
    counts, days, target, today, grace, week_start
):
    got = resumed(counts, days, target, today, grace, week_start)
    expected = whole(counts, days, target, today, grace, week_start)
    assert got["streak"] == expected["streak"]
    assert got["momentum"] == expected["momentum"]
    assert got["step momentum"] == expected["step momentum"]
    assert got["weekly"] == expected["weekly"]
    assert got["look"] == expected["look"]


@checked
@given(counts_per_day, step_days, targets, dates, graces, week_starts, st.integers(0, 60))
def test_settled_history_moved_on_week_by_week_is_the_same_as_folded_anew(
    counts, days, target, today, grace, week_start, weeks
):
    def fold(*args):
        return moved_on(*args, weeks)

    got = resumed(counts, days, target, today, grace, week_start, fold)
    assert got == whole(counts, days, target, today, grace, week_start)


def test_a_daily_habit_of_three_years_settles_to_the_same_numbers():
    today = date(2026, 11, 22)
    counts = {today - timedelta(days=offset): 1 + offset % 3 for offset in range(3 * 365)}
    days = [day for day in counts if day.toordinal() % 2]
    got = resumed(counts, days, 3, today, 1, 0)
    expected = whole(counts, days, 3, today, 1, 0)
    assert got == expected
    assert got["streak"].current == 3 * 365
    assert got["look"].since_start.wins == sum(counts.values())


@pytest.mark.parametrize("weeks", [1, 5, 60])
def test_three_years_moved_on_week_by_week_keep_every_run(weeks):
    today = date(2026, 11, 22)
    counts = {today - timedelta(days=offset): 1 + offset % 3 for offset in range(3 * 365)}
    days = [day for day in counts if day.toordinal() % 7 < 4]

    def fold(*args):
        return moved_on(*args, weeks)

    got = resumed(counts, days, 3, today, 1, 0, fold)
    assert got == whole(counts, days, 3, today, 1, 0)
    assert got["weekly"] > 100  # four days a week, every week: the run spans the moves


def test_only_wins_lived_weeks_ago_reach_settled_history():
    today = date(2026, 11, 22)
    assert settled_before(today) == date(2026, 10, 25)
    # Every start day handed out up to two days ahead lies before it.
    for ahead in (0, 1, 2):
        for week_start in range(7):
            assert settle_start(today + timedelta(days=ahead), week_start) < settled_before(today)
