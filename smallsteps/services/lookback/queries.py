"""Look back's SQL: wins counted per local date and per step, never a row per win.

Thousands of per-day rows cost more to turn into Python objects than to aggregate, so
the long aggregates travel as one comma-joined string per group, dates as YYYY-MM-DD.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Date, Integer, String, bindparam, cast, distinct, func, literal, select, text

from ...domain.lookback import MilestoneBand, six_months_ago
from ...extensions import db
from ...models import Goal, Step, Win

BACK_THEN_WORDS = 3


@dataclass(frozen=True)
class PastWin:
    """A win from back then, in the person's own words."""

    text: str
    day: date


def _live_wins(user_id: int, last: date, first: date | None = None):
    """Return the conditions that pick a person's live wins lived from ``first`` to ``last``."""
    lived = Win.local_date <= last if first is None else Win.local_date.between(first, last)
    return (Win.user_id == user_id, Win.deleted_at.is_(None), lived)


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


def counts_per_day(user_id: int, last: date) -> dict[date, int]:
    """Count the person's live wins per local date, up to and including ``last``."""
    per_day = (
        select(Win.local_date.label("day"), func.count().label("wins"))
        .where(*_live_wins(user_id, last))
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


StepDays = dict[uuid.UUID, set[date]]


def wins_per_step(user_id: int, last: date) -> tuple[StepDays, dict[uuid.UUID, int]]:
    """Return each step's own days and its number of wins, up to and including ``last``."""
    days: dict[uuid.UUID, set[date]] = {}
    wins: dict[uuid.UUID, int] = {}
    rows = db.session.execute(
        select(Win.step_id, func.count(), _joined(_iso(Win.local_date), unique=True))
        .where(*_live_wins(user_id, last), Win.step_id.is_not(None))
        .group_by(Win.step_id)
    )
    for step_id, count, joined in rows:
        days[step_id] = set(map(date.fromisoformat, joined.split(",")))
        wins[step_id] = count
    return days, wins


@cache
def _recent_wins_query(dialect: str):
    """Return the query of ``recent_wins`` for a database dialect, built once."""
    lived = (
        Win.user_id == bindparam("user_id"),
        Win.deleted_at.is_(None),
        Win.local_date.between(bindparam("first", type_=Date), bindparam("last", type_=Date)),
    )
    per_day_and_step = (
        select(Win.local_date.label("day"), Win.step_id, func.count().label("wins"))
        .where(*lived)
        .group_by(Win.local_date, Win.step_id)
        .subquery()
    )
    item = _iso(per_day_and_step.c.day).op("||", return_type=String)(
        literal(":") + cast(per_day_and_step.c.wins, String)
    )
    return select(per_day_and_step.c.step_id, _joined(item)).group_by(per_day_and_step.c.step_id)


def recent_wins(
    user_id: int, first: date, last: date
) -> tuple[dict[date, int], StepDays, dict[uuid.UUID, int]]:
    """Return wins per local date, and each step's own days and wins, for a few weeks.

    One row per step (and one for wins toward none), each day as "YYYY-MM-DD:count". It
    runs on every summary, so the query is built once rather than on each call.
    """
    query = _recent_wins_query(db.engine.dialect.name)
    rows = db.session.execute(query, {"user_id": user_id, "first": first, "last": last})
    counts: dict[date, int] = {}
    days: StepDays = {}
    wins: dict[uuid.UUID, int] = {}
    for step_id, joined in rows:
        for entry in joined.split(","):
            day, count = date.fromisoformat(entry[:10]), int(entry[11:])
            counts[day] = counts.get(day, 0) + count
            if step_id is not None:
                days.setdefault(step_id, set()).add(day)
                wins[step_id] = wins.get(step_id, 0) + count
    return counts, days, wins


@cache
def _steps_query():
    """Return the query of ``steps_of``, built once."""
    return (
        select(
            Step.id, Step.goal_id, Step.parent_step_id, Step.title, Step.weekly_target,
            Step.deleted_at,
        )
        .where(Step.user_id == bindparam("user_id"))
        .order_by(Step.created_at, Step.id)
    )  # fmt: skip


def steps_of(user_id: int) -> list:
    """Return every step of the person, removed ones too, oldest first.

    Removed steps stay in the tree: a win logged toward one still happened.
    """
    return list(db.session.execute(_steps_query(), {"user_id": user_id}))


@cache
def _goals_query():
    """Return the query of ``active_goals``, built once."""
    return (
        select(Goal.id, Goal.title)
        .where(
            Goal.user_id == bindparam("user_id"),
            Goal.deleted_at.is_(None),
            Goal.archived_at.is_(None),
        )
        .order_by(Goal.created_at, Goal.id)
    )


def active_goals(user_id: int) -> list[tuple[uuid.UUID, str]]:
    """Return (id, title) of the person's live, unarchived goals, oldest first."""
    return [tuple(row) for row in db.session.execute(_goals_query(), {"user_id": user_id})]


_EDGES = ("first", "last")
_MILESTONE_PICK = """
    SELECT :count_{i} AS count, day FROM (
        SELECT local_date AS day FROM wins
        WHERE user_id = :user_id AND deleted_at IS NULL
          AND local_date BETWEEN :first_{i} AND :last_{i}
        ORDER BY occurred_at, id LIMIT 1 OFFSET :offset_{i}
    ) AS pick_{i}
"""


def milestone_dates(user_id: int, bands: Sequence[MilestoneBand]) -> list[tuple[int, date]]:
    """Return (N, local date of the Nth win) for each band's milestone, wins by ``occurred_at``.

    Each milestone's win is picked with LIMIT/OFFSET from the few days of its band
    (see ``lookback.milestone_bands``).
    """
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


def words_from_back_then(user_id: int, as_of: date) -> list[PastWin]:
    """Return up to three wins from six months ago, from days spread across that month."""
    start, end = six_months_ago(as_of)
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
