"""The summary: how far someone has come as of a day, from wins aggregated in SQL.

No query here returns a row per win. The database counts live wins per local date and
lists each step's dates; each milestone's win is picked with LIMIT/OFFSET among the few
days around it. Python then walks the small step tree, so a smaller step's wins count
for every step above it, and hands plain dates to the pure functions in ``domain``.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import (
    Date,
    Integer,
    String,
    bindparam,
    cast,
    distinct,
    func,
    literal,
    select,
    text,
)

from ..domain import lookback, momentum, streaks
from ..extensions import db
from ..models import Goal, Step, User, Win

BACK_THEN_WORDS = 3


@dataclass
class StepRhythm:
    """One live step as of a day: its wins with its smaller steps', rhythm and momentum."""

    id: uuid.UUID
    title: str
    goal_id: uuid.UUID
    depth: int
    weekly_target: int | None
    weekly_streak: int | None
    momentum: int | None
    wins: int
    days: frozenset[date] = field(repr=False)


@dataclass
class GoalProgress:
    """A goal with the wins toward it and its steps in ladder order."""

    id: uuid.UUID
    title: str
    wins: int
    steps: list[StepRhythm]


@dataclass
class Summary:
    """Everything the summary endpoint and the look-back page show, as of one day."""

    as_of: date
    counts: dict[date, int] = field(repr=False)
    streak: streaks.Streak
    momentum: int | None
    look: lookback.LookBack
    goals: list[GoalProgress]

    @property
    def shown_up_lately(self) -> int:
        """Return how many of the last 14 days the person showed up."""
        return self.look.last_7_days.days + self.look.previous_7_days.days

    @property
    def steps(self) -> list[StepRhythm]:
        """Return every live step of the active goals, goal by goal, in ladder order."""
        return [step for goal in self.goals for step in goal.steps]

    @property
    def new_since_then(self) -> list[StepRhythm]:
        """Return the steps done lately that were not done six months ago."""
        new = set(self.look.new_since_then)
        return [step for step in self.steps if step.id in new]


@dataclass(frozen=True)
class PastWin:
    """A win from back then, in the person's own words."""

    text: str
    day: date


def summarize(user: User, as_of: date) -> Summary:
    """Return the person's streaks, momentum, look-back and step rhythms as of a day."""
    counts = counts_per_day(user.id, as_of)
    goals = goal_progress(user, as_of)
    step_days = {step.id: step.days for goal in goals for step in goal.steps}
    return Summary(
        as_of=as_of,
        counts=counts,
        streak=streaks.gentle_streak(counts, as_of, user.grace),
        momentum=momentum.overall_momentum(counts, as_of),
        look=lookback.look_back(
            counts, as_of, step_days, milestone_dates=milestone_dates(user.id, counts, as_of)
        ),
        goals=goals,
    )


def _live_wins(user_id: int, as_of: date):
    """Return the conditions that pick a person's live wins lived on or before a day."""
    return (Win.user_id == user_id, Win.deleted_at.is_(None), Win.local_date <= as_of)


# Thousands of per-day rows cost more to turn into Python objects than to aggregate, so
# the aggregates travel as one comma-joined string per group, dates as YYYY-MM-DD.
def _postgres() -> bool:
    """Tell whether the database is PostgreSQL (else SQLite)."""
    return db.engine.dialect.name == "postgresql"


def _iso(day):
    """Return a date column as YYYY-MM-DD text (SQLite already keeps it so)."""
    return func.to_char(day, "YYYY-MM-DD") if _postgres() else day


def _joined(words, *, unique: bool = False):
    """Join text values with commas, each distinct value once if ``unique``."""
    value = distinct(words) if unique else words
    if _postgres():
        return func.string_agg(value, literal(","), type_=String)
    if unique:  # SQLite's DISTINCT takes one argument and joins with commas
        return func.group_concat(value, type_=String)
    return func.group_concat(value, literal(","), type_=String)


def counts_per_day(user_id: int, as_of: date) -> dict[date, int]:
    """Count the person's live wins per local date, up to and including ``as_of``."""
    per_day = (
        select(Win.local_date.label("day"), func.count().label("wins"))
        .where(*_live_wins(user_id, as_of))
        .group_by(Win.local_date)
        .subquery()
    )
    joined = db.session.scalar(
        select(
            _joined(_iso(per_day.c.day).op("||", return_type=String)(cast(per_day.c.wins, String)))
        )
    )
    if not joined:
        return {}
    return {date.fromisoformat(item[:10]): int(item[10:]) for item in joined.split(",")}


_EDGES = ("first", "last")
_MILESTONE_PICK = """
    SELECT :count_{i} AS count, day FROM (
        SELECT local_date AS day FROM wins
        WHERE user_id = :user_id AND deleted_at IS NULL
          AND local_date BETWEEN :first_{i} AND :last_{i}
        ORDER BY occurred_at, id LIMIT 1 OFFSET :offset_{i}
    ) AS pick_{i}
"""


def milestone_dates(user_id: int, counts: dict[date, int], as_of: date) -> list[tuple[int, date]]:
    """Return (N, local date of the Nth win) for each milestone, wins in ``occurred_at`` order.

    Each milestone's win is picked with LIMIT/OFFSET from the few days around it, where
    the ``counts`` per day place it (see ``lookback.milestone_bands``).
    """
    bands = lookback.milestone_bands(counts, as_of)
    if not bands:
        return []
    # Plain SQL: building eleven subqueries as expressions costs more than running them.
    statement = " UNION ALL ".join(_MILESTONE_PICK.format(i=i) for i in range(len(bands)))
    params: dict[str, object] = {"user_id": user_id}
    for i, band in enumerate(bands):
        params |= {
            f"count_{i}": band.count,
            f"first_{i}": band.first,
            f"last_{i}": band.last,
            f"offset_{i}": band.rank - 1,
        }
    dates = [bindparam(f"{edge}_{i}", type_=Date) for i in range(len(bands)) for edge in _EDGES]
    typed = text(statement).bindparams(*dates).columns(count=Integer, day=Date)
    return sorted((count, day) for count, day in db.session.execute(typed, params))


def goal_progress(user: User, as_of: date) -> list[GoalProgress]:
    """Return each active goal with its wins and its live steps' rhythms, oldest goal first."""
    direct_days: dict[uuid.UUID, set[date]] = {}
    direct_wins: dict[uuid.UUID, int] = {}
    rows = db.session.execute(
        select(Win.step_id, func.count(), _joined(_iso(Win.local_date), unique=True))
        .where(*_live_wins(user.id, as_of), Win.step_id.is_not(None))
        .group_by(Win.step_id)
    )
    for step_id, wins, joined in rows:
        direct_days[step_id] = set(map(date.fromisoformat, joined.split(",")))
        direct_wins[step_id] = wins

    # Removed steps stay in the tree: a win logged toward one still happened.
    steps = list(
        db.session.execute(
            select(
                Step.id, Step.goal_id, Step.parent_step_id, Step.title, Step.weekly_target,
                Step.deleted_at,
            )
            .where(Step.user_id == user.id)
            .order_by(Step.created_at, Step.id)
        )
    )  # fmt: skip
    goals = db.session.execute(
        select(Goal.id, Goal.title)
        .where(Goal.user_id == user.id, Goal.deleted_at.is_(None), Goal.archived_at.is_(None))
        .order_by(Goal.created_at, Goal.id)
    )
    children: dict[uuid.UUID | None, list] = {}
    for step in steps:
        children.setdefault(step.parent_step_id, []).append(step)
    live = {step.id for step in steps if step.deleted_at is None}

    progress = [GoalProgress(goal_id, title, 0, []) for goal_id, title in goals]
    by_goal = {goal.id: goal for goal in progress}
    for step in steps:
        if step.goal_id in by_goal:
            by_goal[step.goal_id].wins += direct_wins.get(step.id, 0)
    for step, depth in _ladder_order(steps, children, live):
        goal = by_goal.get(step.goal_id)
        if goal is None:
            continue
        under = _subtree(step.id, children)
        days = frozenset().union(*(direct_days.get(step_id, ()) for step_id in under))
        target = step.weekly_target
        goal.steps.append(
            StepRhythm(
                id=step.id,
                title=step.title,
                goal_id=step.goal_id,
                depth=depth,
                weekly_target=target,
                weekly_streak=(
                    None
                    if target is None
                    else streaks.weekly_streak(days, as_of, target, user.week_start)
                ),
                momentum=momentum.step_momentum(days, as_of, target),
                wins=sum(direct_wins.get(step_id, 0) for step_id in under),
                days=days,
            )
        )
    return progress


def _subtree(step_id: uuid.UUID, children: dict) -> set[uuid.UUID]:
    """Return a step and every smaller step under it, however deep, even through a loop."""
    found = {step_id}
    pending = [step_id]
    while pending:
        for child in children.get(pending.pop(), ()):
            if child.id not in found:
                found.add(child.id)
                pending.append(child.id)
    return found


def _ladder_order(steps: list, children: dict, live: set[uuid.UUID]) -> Iterable[tuple]:
    """Yield (step, depth) for every live step, each followed by the smaller steps under it.

    A live step whose bigger step is gone, or that sits in a loop of parent links a
    misbehaving client made, starts its own ladder at the top.
    """
    seen: set[uuid.UUID] = set()
    tops = [step for step in steps if step.parent_step_id not in live]
    for top in [*tops, *steps]:
        pending = [(top, 0)]
        while pending:
            step, depth = pending.pop()
            if step.id not in live or step.id in seen:
                continue
            seen.add(step.id)
            yield step, depth
            smaller = children.get(step.id, ())
            pending.extend((child, depth + 1) for child in reversed(smaller))


def words_from_back_then(user_id: int, as_of: date) -> list[PastWin]:
    """Return up to three wins from six months ago, from days spread across that month."""
    start, end = as_of - timedelta(days=211), as_of - timedelta(days=182)
    rows = db.session.execute(
        select(Win.local_date, Win.text)
        .where(Win.user_id == user_id, Win.deleted_at.is_(None))
        .where(Win.local_date.between(start, end))
        .order_by(Win.local_date, Win.occurred_at, Win.id)
    )
    first_of_day: dict[date, str] = {}
    for day, words in rows:
        first_of_day.setdefault(day, words)
    days = sorted(first_of_day)
    if len(days) > BACK_THEN_WORDS:
        last = len(days) - 1
        days = [days[round(i * last / (BACK_THEN_WORDS - 1))] for i in range(BACK_THEN_WORDS)]
    return [PastWin(text=first_of_day[day], day=day) for day in days]
