"""Settled history: the days before a start day, folded into what a later summary needs.

A summary as of T depends on every win since the first, but almost all of that history
stays as it was: people log today's wins, and only now and then fix one from last week.
``settle`` folds the days before a start day S into a few numbers: the gentle streak's
run, the momentum scores part-way, the totals, the milestones no later win can move,
the win counts of the ``KEPT_DAYS`` days before S (for the windows and the heatmap) and
each step's days among them. A summary as of any T ≥ S then needs only those and the
days from S on, and comes out the same as from the whole history.

S is the first day of the week that holds T − ``RECENT_DAYS``, so it moves once a week;
``advance`` then folds in the days from the old S to the new one.
A change to a win lived before ``settled_before(today)`` may reach days before S, so it
invalidates what was settled; one lived later only reaches the days read afresh.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..momentum import Progress, overall_progress, step_progress
from ..streaks import Run, extend_run, met_weeks_before, week_start_of
from . import HEATMAP_DAYS, SIX_MONTHS_AGO, SinceStart, since_start

RECENT_DAYS = 35
# The heatmap reaches back 376 days before T and "six months ago" 211, and T ≥ S.
KEPT_DAYS = 400
STEP_DAYS_KEPT = SIX_MONTHS_AGO[0]
assert KEPT_DAYS >= HEATMAP_DAYS + 6


def settle_start(today: date, week_start: int) -> date:
    """Return the start day S for a summary as of ``today``: history before it is settled."""
    return week_start_of(today - timedelta(days=RECENT_DAYS), week_start)


def settled_before(today: date) -> date:
    """Return the day before which a change to a win reaches settled history.

    ``today`` is the server's date in UTC. A person's own date is at most a day or two
    from it, so every S handed out so far lies more than 28 days before this day's
    ``today``, and a win lived on this day or later is read afresh by every summary.
    """
    return today - timedelta(days=RECENT_DAYS - 7)


@dataclass(frozen=True)
class SettledStep:
    """A step's history before S: its weekly run, its momentum part-way, its latest days.

    ``days`` are the ``STEP_DAYS_KEPT`` days before S with a win of the step or a smaller
    one: enough for "six months ago" as of any day from S on.
    """

    weekly_run: int
    progress: Progress | None
    days: frozenset[date] = field(repr=False)


@dataclass(frozen=True)
class Settled:
    """What the days before ``start`` leave for a summary as of ``start`` or later."""

    start: date
    # Live wins per local date over the KEPT_DAYS days before ``start``.
    counts: dict[date, int] = field(repr=False)
    # The first win, wins and showed-up days before those kept days.
    before: SinceStart
    run: Run
    momentum: Progress | None
    # (N, date) of the milestones that wins from ``start`` on can no longer move.
    milestones: tuple[tuple[int, date], ...]
    steps: dict[str, SettledStep]
    # Each step's own wins (not its smaller steps'), removed steps' too.
    step_wins: dict[str, int]


# A step with nothing folded yet.
NOTHING_YET = SettledStep(weekly_run=0, progress=None, days=frozenset())


def settle(
    counts: Mapping[date, int],
    step_days: Mapping[str, Iterable[date]],
    targets: Mapping[str, int | None],
    start: date,
    *,
    grace: int,
    week_start: int,
    milestones: Iterable[tuple[int, date]] = (),
    step_wins: Mapping[str, int] | None = None,
) -> Settled:
    """Fold the days before ``start`` into what a summary from ``start`` on needs.

    ``counts`` are live wins per local date and ``step_days`` each step's days (its own
    and its smaller steps'), both however far back; days from ``start`` on are ignored.
    ``targets`` are the steps' weekly targets and ``milestones`` the (N, date) pairs
    of the milestones settled before ``start`` (``MilestoneBand.settled_before``);
    ``step_wins`` each step's own wins before ``start``, passed through.
    """
    step_days = {step_id: list(days) for step_id, days in step_days.items()}
    # Nothing folded yet, from before the first day there is: then fold up to ``start``.
    every_day = [start, *counts, *(day for days in step_days.values() for day in days)]
    nothing = Settled(
        start=min(every_day),
        counts={},
        before=SinceStart(first_win=None, wins=0, days=0),
        run=Run(),
        momentum=None,
        milestones=(),
        steps={step_id: NOTHING_YET for step_id in step_days},
        step_wins={},
    )
    return advance(
        nothing,
        counts,
        step_days,
        targets,
        start,
        grace=grace,
        week_start=week_start,
        milestones=milestones,
        step_wins=step_wins,
    )


def advance(
    settled: Settled,
    counts: Mapping[date, int],
    step_days: Mapping[str, Iterable[date]],
    targets: Mapping[str, int | None],
    start: date,
    *,
    grace: int,
    week_start: int,
    milestones: Iterable[tuple[int, date]] = (),
    step_wins: Mapping[str, int] | None = None,
) -> Settled:
    """Fold the days from ``settled.start`` up to a later ``start`` into ``settled``.

    ``counts``, ``step_days`` and ``step_wins`` cover those days only; ``milestones`` are
    the ones newly settled before ``start``. The steps are the ones ``settled`` knows.
    """
    if start < settled.start:
        raise ValueError("settled history only moves forward")
    kept_from = start - timedelta(days=KEPT_DAYS)
    step_days_from = start - timedelta(days=STEP_DAYS_KEPT)
    counts = {day: n for day, n in counts.items() if settled.start <= day < start}
    every = settled.counts | counts
    dropped = {day: n for day, n in every.items() if day < kept_from}
    steps = {}
    for step_id, step in settled.steps.items():
        days = [day for day in step_days.get(step_id, ()) if settled.start <= day < start]
        target = targets.get(step_id)
        steps[step_id] = SettledStep(
            weekly_run=0
            if target is None
            else met_weeks_before(days, start, target, week_start, settled.start, step.weekly_run),
            progress=None if target is None else step_progress(days, start, target, step.progress),
            days=frozenset(day for day in (*step.days, *days) if day >= step_days_from),
        )
    wins = dict(settled.step_wins)
    for step_id, n in (step_wins or {}).items():
        wins[step_id] = wins.get(step_id, 0) + n
    showed_up = {day.toordinal() for day, n in counts.items() if n > 0}
    return Settled(
        start=start,
        counts={day: n for day, n in every.items() if day >= kept_from},
        before=since_start(dropped, start, settled.before),
        run=extend_run(settled.run, showed_up, grace),
        momentum=overall_progress(
            (day for day, n in counts.items() if n > 0), start, settled.momentum
        ),
        milestones=tuple(sorted({*settled.milestones, *milestones})),
        steps=steps,
        step_wins=wins,
    )
