"""Settled history: folded once from every win, kept per person until it could have moved.

The key holds the person's ``settled_seq`` (bumped by a change to a step or to a win
lived weeks ago, see ``records.reaches_settled_history``) and the settings the folding
depends on. When the start day moves on, as it does every week, the days between the
old start and the new one are folded in; a key that no longer matches, or a start day
before the kept one or too far past it, folds every win again. Dates travel as day
numbers relative to the start day.
"""

import json
import uuid
from collections import OrderedDict
from datetime import date, timedelta

from ...domain import lookback
from ...domain.ladder import StepTree
from ...domain.lookback import SinceStart
from ...domain.lookback.settled import Settled, SettledStep, advance, settle
from ...domain.momentum import Progress
from ...domain.streaks import Run
from ...extensions import db
from ...models import SettledHistory, User
from . import queries
from .kept import keep

VERSION = 2
# Past this, moving on would read about as many wins as folding anew.
MOVE_ON_AT_MOST = timedelta(weeks=26)


def settled_history(user: User, start: date) -> Settled:
    """Return the person's history before ``start``, folded: kept, moved on, or built now."""
    key = f"v{VERSION}:{user.settled_seq}:{user.grace}:{user.week_start}:{user.day_start}"
    row = db.session.get(SettledHistory, user.id)
    if row is not None and row.cache_key == key:
        kept = _read(row)
        if kept.start == start:
            return kept
        if kept.start < start <= kept.start + MOVE_ON_AT_MOST:
            settled = move_on(user, kept, start)
            keep(SettledHistory, row, user.id, key, to_json(settled))
            return settled
    settled = build(user, start)
    keep(SettledHistory, row, user.id, key, to_json(settled))
    return settled


# The last few folds read in this process, by person, key and when they were kept, so a
# look after a new win does not parse the same JSON again. A row written anew (by any
# process) has another ``built_at`` and is read afresh.
_READ: OrderedDict[tuple, Settled] = OrderedDict()
_READ_AT_MOST = 256


def _read(row: SettledHistory) -> Settled:
    """Return the fold a row keeps, parsed once per version of the row."""
    version = (row.user_id, row.cache_key, row.built_at)
    settled = _READ.get(version)
    if settled is None:
        settled = from_json(json.loads(row.body))
        _READ[version] = settled
        while len(_READ) > _READ_AT_MOST:
            _READ.popitem(last=False)
    return settled


def move_on(user: User, kept: Settled, start: date) -> Settled:
    """Fold the wins lived from the kept start day up to ``start`` into what was kept."""
    last = start - timedelta(days=1)
    counts, own_days, own_wins = queries.recent_wins(user.id, kept.start, last)
    tree = StepTree(queries.steps_of(user.id))
    bands = lookback.milestone_bands(kept.counts | counts, last, kept.before.wins)
    settled_counts = {count for count, _ in kept.milestones}
    newly = [b for b in bands if b.settled_before(start) and b.count not in settled_counts]
    return advance(
        kept,
        counts,
        {step_id: tree.days_under(step_id, own_days) for step_id in kept.steps},
        {step.id: step.weekly_target for step in tree.steps},
        start,
        grace=user.grace,
        week_start=user.week_start,
        milestones=queries.milestone_dates(user.id, newly),
        step_wins=own_wins,
    )


def build(user: User, start: date) -> Settled:
    """Fold every live win lived before ``start`` (the costly part of a summary)."""
    last = start - timedelta(days=1)
    counts = queries.counts_per_day(user.id, last)
    own_days, own_wins = queries.wins_per_step(user.id, last)
    steps = queries.steps_of(user.id)
    tree = StepTree(steps)
    step_days = {
        step.id: tree.days_under(step.id, own_days) for step in steps if step.deleted_at is None
    }
    bands = lookback.milestone_bands(counts, last)
    settled_bands = [band for band in bands if band.settled_before(start)]
    return settle(
        counts,
        step_days,
        {step.id: step.weekly_target for step in steps},
        start,
        grace=user.grace,
        week_start=user.week_start,
        milestones=queries.milestone_dates(user.id, settled_bands),
        step_wins=own_wins,
    )


def to_json(settled: Settled) -> dict:
    """Return settled history as plain JSON values."""
    base = settled.start.toordinal()

    def progress(value: Progress | None):
        return None if value is None else [value.score, value.cursor - base, value.window.hex()]

    before = settled.before
    return {
        "start": settled.start.isoformat(),
        "counts": [[day.toordinal() - base, n] for day, n in settled.counts.items()],
        "before": [
            None if before.first_win is None else before.first_win.toordinal() - base,
            before.wins,
            before.days,
        ],
        "run": [
            None if settled.run.last is None else settled.run.last - base,
            settled.run.length,
            settled.run.longest,
        ],
        "momentum": progress(settled.momentum),
        "milestones": [[n, day.toordinal() - base] for n, day in settled.milestones],
        "steps": {
            str(step_id): [
                step.weekly_run,
                progress(step.progress),
                sorted(day.toordinal() - base for day in step.days),
            ]
            for step_id, step in settled.steps.items()
        },
        "step_wins": {str(step_id): n for step_id, n in settled.step_wins.items()},
    }


def from_json(data: dict) -> Settled:
    """Return settled history from what ``to_json`` made."""
    start = date.fromisoformat(data["start"])
    base = start.toordinal()

    def day(offset: int | None) -> date | None:
        return None if offset is None else date.fromordinal(base + offset)

    def progress(value) -> Progress | None:
        if value is None:
            return None
        score, cursor, window = value
        return Progress(score=score, cursor=base + cursor, window=bytes.fromhex(window))

    first_win, wins, days = data["before"]
    last, length, longest = data["run"]
    return Settled(
        start=start,
        counts={day(offset): n for offset, n in data["counts"]},
        before=SinceStart(first_win=day(first_win), wins=wins, days=days),
        run=Run(last=None if last is None else base + last, length=length, longest=longest),
        momentum=progress(data["momentum"]),
        milestones=tuple((n, day(offset)) for n, offset in data["milestones"]),
        steps={
            uuid.UUID(step_id): SettledStep(
                weekly_run=weekly_run,
                progress=progress(value),
                days=frozenset(map(day, offsets)),
            )
            for step_id, (weekly_run, value, offsets) in data["steps"].items()
        },
        step_wins={uuid.UUID(step_id): n for step_id, n in data["step_wins"].items()},
    )
