"""Milestones in the order wins happened, found from a few days around each one."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smallsteps.domain.days import local_date
from smallsteps.domain.lookback import MilestoneBand, milestone_bands

checked = settings(database=None, deadline=None, max_examples=150)
START = datetime(2026, 3, 1, tzinfo=UTC)


def picked(bands, wins):
    """Pick each band's win the way the database does: the rank-th by time in its days."""
    in_time_order = sorted(wins)
    found = []
    for band in bands:
        inside = [day for _, _, day in in_time_order if band.first <= day <= band.last]
        found.append((band.count, inside[band.rank - 1]))
    return found


wins_drawn = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=12 * 24 * 60),  # minutes after START
        st.integers(min_value=-1439, max_value=1439),  # the device's UTC offset, in minutes
    ),
    min_size=1,
    max_size=120,
)


@checked
@given(wins_drawn, st.integers(min_value=0, max_value=4))
def test_the_band_holds_the_nth_win_by_time_even_for_travellers(drawn, day_start):
    wins = []
    for index, (minutes, offset) in enumerate(drawn):
        instant = START + timedelta(minutes=minutes)
        seen_as = instant.astimezone(timezone(timedelta(minutes=offset)))
        wins.append((instant, index, local_date(seen_as, day_start)))
    today = max(day for _, _, day in wins)
    counts = Counter(day for _, _, day in wins)
    by_time = sorted(wins)
    expected = [(n, by_time[n - 1][2]) for n in (1, 10, 25, 50, 100) if n <= len(wins)]
    assert picked(milestone_bands(counts, today), wins) == expected


def test_a_band_spans_four_days_either_side_and_counts_the_wins_before_it():
    counts = {date(2026, 3, day): 3 for day in range(1, 11)}
    bands = milestone_bands(counts, date(2026, 3, 10))
    assert bands == [
        MilestoneBand(count=1, first=date(2026, 2, 25), last=date(2026, 3, 5), rank=1),
        MilestoneBand(count=10, first=date(2026, 2, 28), last=date(2026, 3, 8), rank=10),
        MilestoneBand(count=25, first=date(2026, 3, 5), last=date(2026, 3, 10), rank=13),
    ]


@pytest.mark.parametrize("today", [date(2026, 2, 28), date(2026, 3, 1)])
def test_wins_after_today_reach_no_milestone(today):
    bands = milestone_bands({date(2026, 3, 2): 50, date(2026, 3, 1): 1}, today)
    assert [band.count for band in bands] == ([1] if today.day == 1 else [])
