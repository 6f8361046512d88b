"""Look-back: windows at their edges, what is new since then, milestones and the heatmap."""

from datetime import date, timedelta

import pytest

from smallsteps.domain.lookback import (
    MILESTONES,
    SinceStart,
    Window,
    heatmap,
    look_back,
    milestones_from_counts,
    next_milestone,
    quiet_lately,
    six_months_ago,
    window,
)

T = date(2026, 11, 22)  # a Sunday, the last day of a week that starts on Monday


def ago(days: int) -> date:
    """Return the date ``days`` before T."""
    return T - timedelta(days=days)


WINDOWS = ("last_7_days", "previous_7_days", "now", "six_months_ago")


@pytest.mark.parametrize(
    ("days_ago", "inside"),
    [
        pytest.param(-1, (), id="tomorrow-is-ignored"),
        pytest.param(0, ("last_7_days", "now"), id="T"),
        pytest.param(6, ("last_7_days", "now"), id="T-6-last-7"),
        pytest.param(7, ("previous_7_days", "now"), id="T-7-previous-7"),
        pytest.param(13, ("previous_7_days", "now"), id="T-13-previous-7"),
        pytest.param(14, ("now",), id="T-14-before-previous-7"),
        pytest.param(29, ("now",), id="T-29-now"),
        pytest.param(30, (), id="T-30-before-now"),
        pytest.param(181, (), id="T-181-after-six-months-ago"),
        pytest.param(182, ("six_months_ago",), id="T-182-six-months-ago"),
        pytest.param(211, ("six_months_ago",), id="T-211-six-months-ago"),
        pytest.param(212, (), id="T-212-before-six-months-ago"),
    ],
)
def test_look_back_windows_include_their_edges_and_nothing_more(days_ago, inside):
    result = look_back({ago(days_ago): 3}, T)
    for name in WINDOWS:
        expected = Window(wins=3, days=1) if name in inside else Window(wins=0, days=0)
        assert getattr(result, name) == expected, name


@pytest.mark.parametrize(
    ("counts", "start", "end", "expected"),
    [
        pytest.param({}, ago(6), T, Window(0, 0), id="no-wins"),
        pytest.param({ago(6): 2, T: 1}, ago(6), T, Window(3, 2), id="both-ends-inclusive"),
        pytest.param({ago(1): 0, T: 4}, ago(6), T, Window(4, 1), id="zero-count-is-not-a-day"),
        pytest.param({T: 4}, T, ago(1), Window(0, 0), id="end-before-start-is-empty"),
        pytest.param(
            {ago(i): 1 for i in range(400)}, ago(399), T, Window(400, 400), id="long-window"
        ),
        pytest.param({ago(3): 2}, ago(364), T, Window(2, 1), id="span-longer-than-counts"),
    ],
)
def test_window_sums_wins_and_counts_days(counts, start, end, expected):
    assert window(counts, start, end) == expected


@pytest.mark.parametrize(
    ("step_days", "expected"),
    [
        pytest.param({"breathe": {ago(2)}}, ["breathe"], id="new-this-month"),
        pytest.param({"walk": {ago(2), ago(190)}}, [], id="also-six-months-ago"),
        pytest.param({"walk": {ago(200)}}, [], id="only-six-months-ago"),
        pytest.param({"walk": {ago(2), ago(182)}}, [], id="edge-T-182-was-then"),
        pytest.param({"walk": {ago(2), ago(211)}}, [], id="edge-T-211-was-then"),
        pytest.param({"walk": {ago(29), ago(181)}}, ["walk"], id="T-181-is-not-then"),
        pytest.param({"walk": {ago(29), ago(212)}}, ["walk"], id="T-212-is-not-then"),
        pytest.param({"walk": {ago(30)}}, [], id="T-30-is-not-now"),
        pytest.param({"walk": {ago(-1)}}, [], id="tomorrow-is-not-now"),
        pytest.param({"walk": set()}, [], id="no-wins"),
        pytest.param(
            {"c": {T}, "a": {ago(5)}, "b": {ago(185)}, "d": {ago(1)}},
            ["c", "a", "d"],
            id="order-given",
        ),
    ],
)
def test_new_since_then_is_what_you_do_now_and_did_not_then(step_days, expected):
    assert look_back({}, T, step_days=step_days).new_since_then == expected


def test_look_back_without_steps_finds_nothing_new():
    assert look_back({T: 1}, T).new_since_then == []


def test_since_start_counts_everything_up_to_T_and_nothing_after():
    counts = {ago(100): 2, ago(50): 0, ago(3): 5, ago(-2): 9}
    assert look_back(counts, T).since_start == SinceStart(first_win=ago(100), wins=7, days=2)


def test_since_start_before_the_first_win_is_empty():
    assert look_back({ago(-1): 1}, T).since_start == SinceStart(first_win=None, wins=0, days=0)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        pytest.param({}, [], id="no-wins"),
        pytest.param({ago(9): 1}, [(1, ago(9))], id="first-win"),
        pytest.param({ago(9 - i): 1 for i in range(9)}, [(1, ago(9))], id="nine-wins"),
        pytest.param(
            {ago(9 - i): 1 for i in range(10)}, [(1, ago(9)), (10, T)], id="exactly-10-wins"
        ),
        pytest.param(
            {ago(20): 3, ago(10): 6, ago(5): 1, ago(1): 1},
            [(1, ago(20)), (10, ago(5))],
            id="10th-win-on-the-day-it-is-reached",
        ),
        pytest.param(
            {ago(2): 30, T: 20},
            [(1, ago(2)), (10, ago(2)), (25, ago(2)), (50, T)],
            id="several-milestones-in-one-day",
        ),
        pytest.param({T: 9, ago(-1): 5}, [(1, T)], id="wins-after-T-ignored"),
        pytest.param(
            {ago(1): 10_000, T: 5},
            [(n, ago(1)) for n in MILESTONES],
            id="every-milestone",
        ),
    ],
)
def test_milestones_mark_the_day_of_the_nth_win(counts, expected):
    assert milestones_from_counts(counts, T) == expected
    assert look_back(counts, T).milestones == expected


def test_milestone_dates_computed_elsewhere_replace_the_counted_ones():
    given = [(10, ago(5)), (1, ago(30)), (25, ago(-1))]
    result = look_back({ago(1): 40}, T, milestone_dates=given)
    assert result.milestones == [(1, ago(30)), (10, ago(5))]


def test_the_heatmap_covers_the_371_days_ending_T():
    counts = {ago(371): 8, ago(370): 1, ago(200): 2, T: 3, ago(-1): 7}
    result = look_back(counts, T)
    assert result.heatmap_start == date(2025, 11, 17)
    assert len(result.heatmap_counts) == 371
    assert result.heatmap_counts[0] == 1
    assert result.heatmap_counts[170] == 2
    assert result.heatmap_counts[-1] == 3
    assert sum(result.heatmap_counts) == 6


@pytest.mark.parametrize(
    ("today", "week_start", "start", "length"),
    [
        pytest.param(T, None, date(2025, 11, 17), 371, id="sunday-unaligned"),
        pytest.param(T, 0, date(2025, 11, 17), 371, id="sunday-in-monday-weeks"),
        pytest.param(T, 6, date(2025, 11, 16), 372, id="sunday-in-sunday-weeks"),
        pytest.param(T + timedelta(3), None, date(2025, 11, 20), 371, id="wednesday-unaligned"),
        pytest.param(T + timedelta(3), 0, date(2025, 11, 17), 374, id="wednesday-monday-weeks"),
        pytest.param(T + timedelta(3), 2, date(2025, 11, 19), 372, id="wednesday-wed-weeks"),
        pytest.param(T + timedelta(3), 3, date(2025, 11, 20), 371, id="wednesday-thu-weeks"),
        pytest.param(T - timedelta(1), 6, date(2025, 11, 16), 371, id="saturday-sunday-weeks"),
        pytest.param(T - timedelta(1), 0, date(2025, 11, 10), 377, id="saturday-monday-weeks"),
    ],
)
def test_a_week_aligned_heatmap_starts_on_the_week_start(today, week_start, start, length):
    counts = {today - timedelta(days=i): i % 4 for i in range(400)}
    first, cells = heatmap(counts, today, week_start)
    assert (first, len(cells)) == (start, length)
    if week_start is not None:
        assert first.weekday() == week_start
    assert cells[-371:] == heatmap(counts, today)[1]
    assert look_back(counts, today, week_start=week_start).heatmap_counts == cells


def test_six_months_ago_is_the_month_from_211_to_182_days_back():
    assert six_months_ago(T) == (ago(211), ago(182))
    assert six_months_ago(T) == (date(2026, 4, 25), date(2026, 5, 24))


@pytest.mark.parametrize(
    ("wins", "expected"),
    [(0, (1, 1)), (1, (10, 9)), (9, (10, 1)), (10, (25, 15)), (9999, (10000, 1)), (10000, None)],
)
def test_the_next_milestone_says_how_many_wins_are_left_until_the_last(wins, expected):
    assert next_milestone(wins) == expected


@pytest.mark.parametrize(
    ("lately", "before", "quiet"),
    [
        pytest.param({0: 1}, {14: 2}, True, id="fewer-than-the-fortnight-before"),
        pytest.param({}, {27: 1}, True, id="nothing-lately"),
        pytest.param({13: 2}, {14: 2}, False, id="as-many"),
        pytest.param({0: 3}, {20: 1}, False, id="more"),
        pytest.param({}, {28: 5}, False, id="older-wins-are-not-the-fortnight-before"),
        pytest.param({}, {}, False, id="nothing-at-all"),
    ],
)
def test_quiet_lately_compares_the_last_14_days_with_the_14_before(lately, before, quiet):
    counts = {T - timedelta(days=n): c for n, c in (lately | before).items()}
    assert quiet_lately(counts, T) is quiet
