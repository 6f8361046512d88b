"""Look-back: how far someone has come, as of a date T (default today).

The input is already aggregated: ``counts`` maps a local date to its number of live
wins, and ``step_days`` maps a step id to the dates with a win of that step or of any
smaller step under it. Wins after T are ignored everywhere. Every window is inclusive:

- ``last_7_days`` is [T−6, T] and ``previous_7_days`` is [T−13, T−7];
- ``now`` is [T−29, T] and ``six_months_ago`` is [T−211, T−182], the 30 days half a
  year before ``now`` (``SIX_MONTHS_AGO``);
- ``new_since_then`` lists the steps with a win in ``now`` and none in ``six_months_ago``.

The heatmap covers "the 53 weeks ending T" as the 371 days (53 × 7) ending T:
``heatmap_start`` is T − 370 and ``heatmap_counts`` holds one count per day, oldest
first. Given a ``week_start``, the start moves back to the first day of its week so a
calendar grid gets whole columns; the list then holds 371 to 377 counts, and its last
371 are the same as without it.

Beside this module, ``grid`` lays the heatmap out as that calendar, and ``settled``
folds the history before a start day so a look costs the same after ten years as
after one.
"""

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from ..streaks import week_start_of

MILESTONES = (1, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
HEATMAP_DAYS = 53 * 7
# "Six months ago" is a month half a year back: its first and last day, in days before T.
SIX_MONTHS_AGO = (211, 182)


@dataclass(frozen=True)
class Window:
    """Wins and showed-up days in a span of days."""

    wins: int
    days: int


@dataclass(frozen=True)
class SinceStart:
    """Everything since the first win: its date, total wins and total showed-up days."""

    first_win: date | None
    wins: int
    days: int


@dataclass(frozen=True)
class LookBack:
    """The look-back as of one day: windows to compare, what is new, milestones, heatmap."""

    last_7_days: Window
    previous_7_days: Window
    now: Window
    six_months_ago: Window
    new_since_then: list[str]
    since_start: SinceStart
    milestones: list[tuple[int, date]]
    heatmap_start: date
    heatmap_counts: list[int]


def window(counts: Mapping[date, int], start: date, end: date) -> Window:
    """Sum the wins and count the showed-up days from ``start`` to ``end``, both included."""
    span = (end - start).days + 1
    if span <= 0:
        return Window(wins=0, days=0)
    if span <= len(counts):
        in_span = (counts.get(start + timedelta(days=offset), 0) for offset in range(span))
    else:
        in_span = (count for day, count in counts.items() if start <= day <= end)
    wins = days = 0
    for count in in_span:
        if count > 0:
            wins += count
            days += 1
    return Window(wins=wins, days=days)


def since_start(
    counts: Mapping[date, int], today: date, before: SinceStart | None = None
) -> SinceStart:
    """Return the first win's date, total wins and total showed-up days up to ``today``.

    ``before`` holds the same for the days before the earliest in ``counts``, if any.
    """
    lived = _lived(counts, today)
    first_win = min(lived, default=None)
    wins, days = sum(lived.values()), len(lived)
    if before is not None:
        first_win = before.first_win or first_win
        wins, days = wins + before.wins, days + before.days
    return SinceStart(first_win=first_win, wins=wins, days=days)


def milestones_from_counts(counts: Mapping[date, int], today: date) -> list[tuple[int, date]]:
    """Return (N, date of the Nth win) for every milestone reached by ``today``.

    The Nth win is found from cumulative counts per local date. A milestone counts wins
    in the order they happened (``occurred_at``), which can differ from local-date order
    when someone travels; the database layer finds the exact dates with
    ``milestone_bands`` and hands them to ``look_back`` as ``milestone_dates``.
    """
    lived = _lived(counts, today)
    reached: list[tuple[int, date]] = []
    pending = iter(MILESTONES)
    milestone: int | None = next(pending)
    total = 0
    for day in sorted(lived):
        total += lived[day]
        while milestone is not None and total >= milestone:
            reached.append((milestone, day))
            milestone = next(pending, None)
        if milestone is None:
            break
    return reached


# Two wins whose local dates are this many days apart or more are in the same order by
# ``occurred_at``: a local date is the wall date shifted by one day-start hour, and two
# UTC offsets differ by less than 48 hours.
ORDER_SAFE_GAP_DAYS = 3
_BAND_REACH = ORDER_SAFE_GAP_DAYS + 1


@dataclass(frozen=True)
class MilestoneBand:
    """Where the Nth win by ``occurred_at`` lies: the ``rank``-th win lived from first to last."""

    count: int
    first: date
    last: date
    rank: int

    def settled_before(self, day: date) -> bool:
        """Tell whether no win lived on ``day`` or later can change this milestone's date."""
        return self.first + timedelta(days=2 * _BAND_REACH) < day


def milestone_bands(
    counts: Mapping[date, int], today: date, wins_before: int = 0
) -> list[MilestoneBand]:
    """Return, for each milestone reached by ``today``, a few days that hold its win.

    The Nth win in local-date order is lived on some day D. The Nth win by ``occurred_at``
    is lived within two days of D, and every win lived at least three days before it
    comes before it, so it is the ``N − (wins before D − 4)``-th win, by ``occurred_at``,
    of those lived from D − 4 to D + 4. Only those few days need their wins ordered.
    With ``wins_before`` wins lived before the earliest day in ``counts``, the milestones
    among those are left out.
    """
    lived = _lived(counts, today)
    days = sorted(lived)
    running = list(accumulate((lived[day] for day in days), initial=wins_before))
    bands = []
    for count in MILESTONES:
        if count <= wins_before:
            continue
        if count > running[-1]:
            break
        day = days[bisect_left(running, count) - 1]
        first = day - timedelta(days=_BAND_REACH)
        before = running[bisect_left(days, first)]
        last = min(day + timedelta(days=_BAND_REACH), today)
        bands.append(MilestoneBand(count=count, first=first, last=last, rank=count - before))
    return bands


def six_months_ago(today: date) -> tuple[date, date]:
    """Return the first and last day of the "six months ago" window as of ``today``."""
    first, last = SIX_MONTHS_AGO
    return _days_ago(today, first), _days_ago(today, last)


def next_milestone(wins: int) -> tuple[int, int] | None:
    """Return the next milestone after ``wins`` and how many wins are left to it, or None."""
    upcoming = [count for count in MILESTONES if count > wins]
    return (upcoming[0], upcoming[0] - wins) if upcoming else None


def quiet_lately(counts: Mapping[date, int], today: date) -> bool:
    """Tell whether the last 14 days had fewer wins than the 14 days before them."""
    lately = window(counts, _days_ago(today, 13), today)
    before = window(counts, _days_ago(today, 27), _days_ago(today, 14))
    return lately.wins < before.wins


def new_since_then(step_days: Mapping[str, Iterable[date]], today: date) -> list[str]:
    """Return the steps with a win in the last 30 days and none six months ago, in order."""
    now_days = [_days_ago(today, offset) for offset in range(30)]
    first, last = six_months_ago(today)
    then_days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    found = []
    for step_id, days in step_days.items():
        lived = days if isinstance(days, Set) else set(days)
        if any(day in lived for day in now_days) and not any(day in lived for day in then_days):
            found.append(step_id)
    return found


def heatmap(
    counts: Mapping[date, int], today: date, week_start: int | None = None
) -> tuple[date, list[int]]:
    """Return the heatmap's first day and one win count per day from it to ``today``."""
    start = _days_ago(today, HEATMAP_DAYS - 1)
    if week_start is not None:
        start = week_start_of(start, week_start)
    first, last = start.toordinal(), today.toordinal()
    by_ordinal = {day.toordinal(): count for day, count in counts.items() if start <= day <= today}
    return start, [max(0, by_ordinal.get(ordinal, 0)) for ordinal in range(first, last + 1)]


def look_back(
    counts: Mapping[date, int],
    today: date,
    step_days: Mapping[str, Iterable[date]] | None = None,
    milestone_dates: Iterable[tuple[int, date]] | None = None,
    *,
    week_start: int | None = None,
    before: SinceStart | None = None,
) -> LookBack:
    """Look back from ``today`` over wins per local date and the days of each step.

    ``milestone_dates`` replaces the milestones found from ``counts`` with (N, date)
    pairs computed elsewhere; pairs dated after ``today`` are dropped. ``before`` sums
    up the days before the earliest in ``counts`` (at least the 377 days ending
    ``today`` must be in ``counts`` then).
    """
    if milestone_dates is None:
        milestones = milestones_from_counts(counts, today)
    else:
        milestones = sorted((n, day) for n, day in milestone_dates if day <= today)
    start, cells = heatmap(counts, today, week_start)
    return LookBack(
        last_7_days=window(counts, _days_ago(today, 6), today),
        previous_7_days=window(counts, _days_ago(today, 13), _days_ago(today, 7)),
        now=window(counts, _days_ago(today, 29), today),
        six_months_ago=window(counts, *six_months_ago(today)),
        new_since_then=new_since_then(step_days or {}, today),
        since_start=since_start(counts, today, before),
        milestones=milestones,
        heatmap_start=start,
        heatmap_counts=cells,
    )


def _lived(counts: Mapping[date, int], today: date) -> dict[date, int]:
    """Keep the dates on or before ``today`` that have at least one win."""
    return {day: count for day, count in counts.items() if day <= today and count > 0}


def _days_ago(today: date, days: int) -> date:
    """Return the date ``days`` before ``today``."""
    return today - timedelta(days=days)
