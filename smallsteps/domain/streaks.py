"""Streaks: the gentle daily streak and the weekly rhythm of a step.

Both take the showed-up days as plain dates (unsorted, duplicates allowed) and the
date they are computed as of. Days after ``today`` are ignored, so the same functions
answer "as of" questions about the past.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

WEEKLY_TARGETS = range(1, 8)
WEEK_STARTS = range(0, 7)


@dataclass(frozen=True)
class Streak:
    """A gentle streak as of a day: the current run, the longest run and the grace used."""

    current: int
    longest: int
    grace: int


def showed_up_days(days: Iterable[date], today: date) -> list[date]:
    """Return the distinct days on or before ``today``, oldest first."""
    return sorted({day for day in days if day <= today})


@dataclass(frozen=True)
class Run:
    """Where a gentle streak stands after some days: its last day, that run and the longest."""

    last: int | None = None  # the last showed-up day, as an ordinal
    length: int = 0
    longest: int = 0


def gentle_streak(days: Iterable[date], today: date, grace: int, before: Run = Run()) -> Streak:
    """Compute the current and longest gentle streak as of ``today``.

    Two neighbouring showed-up days share a run when at most ``grace`` calendar days
    lie strictly between them; a run counts showed-up days only, never forgiven ones.
    The last run is current while at most ``grace`` days lie strictly between its last
    day and ``today`` (today is not over, so it is never a missed day). ``before`` is the
    run the days before ``days`` left (see ``extend_run``); every day in ``days`` is later.
    """
    run = extend_run(before, _ordinals(days, today), grace)
    if run.last is None:
        return Streak(current=0, longest=0, grace=grace)
    current = run.length if today.toordinal() - run.last <= grace + 1 else 0
    return Streak(current=current, longest=run.longest, grace=grace)


def extend_run(run: Run, ordinals: Iterable[int], grace: int) -> Run:
    """Return the run after adding showed-up days (ordinals, all after ``run.last``)."""
    if grace < 0:
        raise ValueError("grace cannot be negative")
    # Neighbours share a run when their ordinals differ by at most grace + 1.
    reach = grace + 1
    last, length, longest = run.last, run.length, run.longest
    for ordinal in sorted(ordinals):
        length = length + 1 if last is not None and ordinal - last <= reach else 1
        longest = max(longest, length)
        last = ordinal
    return Run(last=last, length=length, longest=longest)


def days_shown_up(days: Iterable[date], today: date, window: int) -> int:
    """Count the distinct showed-up days in the ``window`` days ending ``today``."""
    if window < 1:
        raise ValueError("window must be at least one day")
    first = today - timedelta(days=window - 1)
    return len({day for day in days if first <= day <= today})


def week_start_of(day: date, week_start: int) -> date:
    """Return the first day of the week holding ``day`` (week_start 0 = Monday … 6 = Sunday)."""
    if week_start not in WEEK_STARTS:
        raise ValueError("week_start must be 0 (Monday) to 6 (Sunday)")
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def weekly_streak(
    days: Iterable[date],
    today: date,
    target: int,
    week_start: int,
    since: date | None = None,
    before: int = 0,
) -> int:
    """Count the consecutive met weeks ending with the last complete week.

    A week is met when at least ``target`` distinct days in it have a win. The current
    week adds one once it is met; until then it breaks nothing, because it is not over.
    With ``since``, ``days`` hold only the days from ``since`` on, and ``before`` is the
    run of met weeks that ended just before the week holding ``since``
    (``met_weeks_before``); without it, ``days`` are the whole history.
    """
    if target not in WEEKLY_TARGETS:
        raise ValueError("a weekly target is 1 to 7 days")
    this_week = week_start_of(today, week_start).toordinal()
    # Weeks counted back from this one: 0 is this week, -1 the one before, and so on.
    per_week = Counter((ordinal - this_week) // 7 for ordinal in _ordinals(days, today))
    oldest = None if since is None else (since.toordinal() - this_week) // 7
    streak = 0
    week = -1
    while (oldest is None or week >= oldest) and per_week[week] >= target:
        streak += 1
        week -= 1
    if oldest is not None and week < oldest:
        streak += before  # every week of ``days`` was met, so the earlier run goes on
    if per_week[0] >= target:
        streak += 1
    return streak


def met_weeks_before(
    days: Iterable[date],
    start: date,
    target: int,
    week_start: int,
    since: date | None = None,
    before: int = 0,
) -> int:
    """Count the consecutive met weeks ending just before the week that holds ``start``.

    ``since`` and ``before`` are as for ``weekly_streak``.
    """
    last_day = week_start_of(start, week_start) - timedelta(days=1)
    days = list(days)
    if days_shown_up(days, last_day, 7) < target:
        return 0
    # That week is met, so it counts as the current week of its last day.
    return weekly_streak(days, last_day, target, week_start, since, before)


def _ordinals(days: Iterable[date], today: date) -> set[int]:
    """Return the distinct days on or before ``today`` as ordinals."""
    return {day.toordinal() for day in days if day <= today}
