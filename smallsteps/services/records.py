"""Goals, steps and wins: creating, editing and tombstoning a person's records."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import get_history

from ..domain.days import local_date, local_wall_time
from ..domain.ladder import StepTree
from ..domain.lookback.settled import settled_before
from ..extensions import db
from ..models import Goal, Step, SyncedRecord, User, Win, utcnow

Record = TypeVar("Record", Goal, Step, Win)


def next_change_seqs(user_id: int, count: int = 1, *, settled: bool = False) -> int:
    """Reserve `count` change numbers for a person and return the first.

    The UPDATE locks the person's row until the transaction ends, so change numbers
    are committed in the order they are handed out and a pull never skips one.
    ``settled`` marks the changes as reaching the person's settled history.
    """
    values = {"change_seq": User.change_seq + count}
    if settled:
        values["settled_seq"] = User.change_seq + count
    last = db.session.execute(
        update(User).where(User.id == user_id).values(values).returning(User.change_seq)
    ).scalar_one()
    return last - count + 1


def reaches_settled_history(record: SyncedRecord) -> bool:
    """Tell whether a pending change to a record can change the person's settled history.

    A goal never does, a step always does (its target and place shape its rhythm), and
    a win does when it was or is lived before ``settled_before`` today.
    """
    if not isinstance(record, Step | Win):
        return False  # a goal or a reflection
    if isinstance(record, Step):
        return True
    before = settled_before(utcnow().date())
    lived = [record.local_date, *get_history(record, "local_date").deleted]
    return any(day is not None and day < before for day in lived)


def stamp(record: SyncedRecord, user_id: int, updated_at: datetime | None = None) -> None:
    """Mark a record as changed now, with a fresh change number."""
    settled = reaches_settled_history(record)
    record.updated_at = updated_at or utcnow()
    record.change_seq = next_change_seqs(user_id, settled=settled)


def parse_id(raw: Any) -> uuid.UUID | None:
    """Return the UUID a string names, or None if it names none."""
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def owned(model: type[Record], user: User, record_id: Any) -> Record | None:
    """Return the person's live record with this id; another person's is None."""
    record_uuid = parse_id(record_id)
    if record_uuid is None:
        return None
    record = db.session.get(model, record_uuid)
    if record is None or record.user_id != user.id or record.is_deleted:
        return None
    return record


def place_win(win: Win, occurred_at: datetime, day_start: int) -> None:
    """Set the instant, wall time and local date of a win from a device timestamp."""
    offset = occurred_at.utcoffset()
    win.occurred_at = occurred_at
    win.utc_offset_minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    win.local_time = local_wall_time(occurred_at)
    win.local_date = local_date(occurred_at, day_start)


def log_win(user: User, occurred_at: datetime, **fields: Any) -> Win:
    """Save a new win and return it."""
    win = Win(user_id=user.id, **fields)
    place_win(win, occurred_at, user.day_start)
    stamp(win, user.id)
    db.session.add(win)
    db.session.commit()
    return win


def edit(record: SyncedRecord, **fields: Any) -> None:
    """Change a record's fields and commit."""
    for key, value in fields.items():
        setattr(record, key, value)
    stamp(record, record.user_id)
    db.session.commit()


def edit_win(win: Win, occurred_at: datetime | None, day_start: int, **fields: Any) -> None:
    """Change a win's fields and, given a new moment, move it to that moment's day."""
    if occurred_at is not None:
        place_win(win, occurred_at, day_start)
    edit(win, **fields)


def tombstone(record: SyncedRecord, *, commit: bool = True) -> None:
    """Delete a record, keeping a tombstone so other devices learn of it."""
    record.deleted_at = utcnow()
    stamp(record, record.user_id)
    if commit:
        db.session.commit()


def wins_on(user: User, day: date) -> list[Win]:
    """Return the person's live wins of one local date, newest first."""
    return list(
        db.session.scalars(
            select(Win)
            .where(Win.user_id == user.id, Win.local_date == day, Win.deleted_at.is_(None))
            .order_by(Win.occurred_at.desc())
        )
    )


def win_counts(user: User, first: date, last: date) -> dict[date, int]:
    """Return how many live wins the person logged on each local date from `first` to `last`."""
    rows = db.session.execute(
        select(Win.local_date, func.count())
        .where(
            Win.user_id == user.id,
            Win.deleted_at.is_(None),
            Win.local_date >= first,
            Win.local_date <= last,
        )
        .group_by(Win.local_date)
    )
    return dict(rows.all())


def create_goal(user: User, title: str, why: str = "") -> Goal:
    """Save a new goal and return it."""
    goal = Goal(user_id=user.id, title=title, why=why)
    stamp(goal, user.id)
    db.session.add(goal)
    db.session.commit()
    return goal


def goals_of(user: User, archived: bool = False) -> list[Goal]:
    """Return the person's live goals, active or archived, oldest first."""
    archived_filter = Goal.archived_at.is_not(None) if archived else Goal.archived_at.is_(None)
    return list(
        db.session.scalars(
            select(Goal)
            .where(Goal.user_id == user.id, Goal.deleted_at.is_(None), archived_filter)
            .order_by(Goal.created_at)
        )
    )


def set_archived(goal: Goal, archived: bool) -> None:
    """Archive a goal, or bring it back."""
    edit(goal, archived_at=utcnow() if archived else None)


def steps_of(user: User) -> list[Step]:
    """Return every live step of the person's, oldest first."""
    return list(
        db.session.scalars(
            select(Step)
            .where(Step.user_id == user.id, Step.deleted_at.is_(None))
            .order_by(Step.created_at)
        )
    )


def create_step(user: User, goal: Goal, parent: Step | None = None, **fields: Any) -> Step:
    """Save a new step under a goal, or a smaller step under a step, and return it."""
    step = Step(
        user_id=user.id,
        goal_id=goal.id,
        parent_step_id=parent.id if parent is not None else None,
        **fields,
    )
    stamp(step, user.id)
    db.session.add(step)
    db.session.commit()
    return step


def delete_step(step: Step) -> None:
    """Tombstone a step and every smaller step under it; wins linked to them stay."""
    steps = steps_of_goal(step.goal_id, step.user_id)
    by_id = {each.id: each for each in steps}
    for step_id in StepTree(steps).under(step.id):
        tombstone(by_id[step_id], commit=False)
    db.session.commit()


def delete_goal(goal: Goal) -> None:
    """Tombstone a goal and every step under it; wins linked to its steps stay."""
    for step in steps_of_goal(goal.id, goal.user_id):
        tombstone(step, commit=False)
    tombstone(goal, commit=False)
    db.session.commit()


def steps_of_goal(goal_id: uuid.UUID, user_id: int) -> list[Step]:
    """Return the live steps of one goal, oldest first."""
    return list(
        db.session.scalars(
            select(Step)
            .where(Step.goal_id == goal_id, Step.user_id == user_id, Step.deleted_at.is_(None))
            .order_by(Step.created_at)
        )
    )


@dataclass
class Rung:
    """A step on the goal ladder with the smaller steps under it."""

    step: Step
    depth: int
    smaller: list["Rung"] = field(default_factory=list)


def ladder(goal: Goal) -> list[Rung]:
    """Return a goal's steps as a tree, each step with its smaller steps beneath.

    A smaller step whose bigger step is gone still shows, at the top.
    """
    tops: list[Rung] = []
    path: list[Rung] = []  # the rungs above the one being placed, one a depth
    for step, depth in StepTree(steps_of_goal(goal.id, goal.user_id)).in_ladder_order():
        rung = Rung(step, depth)
        del path[depth:]
        (path[-1].smaller if path else tops).append(rung)
        path.append(rung)
    return tops


def flatten(rungs: list[Rung]) -> list[Rung]:
    """Return the ladder's rungs in reading order."""
    flat: list[Rung] = []
    for rung in rungs:
        flat.append(rung)
        flat.extend(flatten(rung.smaller))
    return flat
