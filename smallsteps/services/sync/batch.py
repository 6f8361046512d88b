"""One sync batch: the records it names, loaded at once, merged in memory, saved in one flush."""

import uuid
from typing import Any

from sqlalchemy import select

from ...domain.changes import Change, Rejected
from ...domain.merge import Outcome, Version, decide
from ...domain.text import N_
from ...extensions import db
from ..records import next_change_seqs, place_win, reaches_settled_history
from .shape import MODELS, content_of, fields_of

# The same words whether the id is someone else's or anything else: nothing leaks.
# Marked for the catalog: sync says a rejection in the person's language (sync._rejected).
NOT_YOURS = N_("This id can't be used; give the record a new id.")
NO_GOAL = N_("goal_id must name one of your goals.")
NO_PARENT = N_("parent_step_id must name one of your steps under the same goal.")
NO_STEP = N_("step_id must name one of your steps.")
NO_MOVE = N_("A step stays under the goal and step it was made under.")
NOT_A_WEEK_START = N_("week_of must be the first day of a week, by your week start.")


def load_records(parsed: dict[str, list[tuple[int, Change]]]) -> dict[str, dict]:
    """Load every record a batch names or points at, in one query per type."""
    wanted: dict[str, set[uuid.UUID]] = {kind: set() for kind in MODELS}
    for kind, changes in parsed.items():
        for _, change in changes:
            wanted[kind].add(change.id)
            data = change.data or {}
            if kind == "step":
                wanted["goal"].add(data.get("goal_id"))
                wanted["step"].add(data.get("parent_step_id"))
            elif kind == "win":
                wanted["step"].add(data.get("step_id"))
    loaded: dict[str, dict] = {}
    for kind, model in MODELS.items():
        ids = wanted[kind] - {None}
        found = db.session.scalars(select(model).where(model.id.in_(ids))) if ids else []
        loaded[kind] = {record.id: record for record in found}
    return loaded


class Batch:
    """The records one sync request reads and writes, changed in memory, saved once."""

    def __init__(self, user_id: int, day_start: int, loaded: dict[str, dict], week_start: int = 0):
        """Start from the records loaded for the batch."""
        self.user_id = user_id
        self.day_start = day_start
        self.week_start = week_start
        self.loaded = loaded
        self.changed: dict[tuple[str, uuid.UUID], Any] = {}
        self.created: list[Any] = []
        # Whether a change reaches the person's settled history (domain.lookback.settled).
        self.settled = False

    def apply(self, change: Change) -> Outcome:
        """Merge one change into the stored record; raise Rejected if it can't be kept."""
        record = self.loaded[change.kind].get(change.id)
        if record is not None and record.user_id != self.user_id:
            raise Rejected(NOT_YOURS)
        if record is None:
            return self.create(change)
        current = Version(
            record.updated_at,
            record.is_deleted,
            content_of(change.kind, fields_of(change.kind, record)),
        )
        content = current.content
        if not change.deleted:
            content = content_of(change.kind, change.data)
        outcome = decide(current, Version(change.updated_at, change.deleted, content))
        if outcome is Outcome.APPLIED:
            if not change.deleted:
                self.check_links(change, record)
                self.fill(record, change)
            record.updated_at = change.updated_at
            record.deleted_at = change.updated_at if change.deleted else None
            self.changed[(change.kind, change.id)] = record
            self.settled = self.settled or reaches_settled_history(record)
        return outcome

    def create(self, change: Change) -> Outcome:
        """Keep a record the server has never seen, or its tombstone."""
        if change.data is None:
            return Outcome.UNCHANGED  # a delete of something never synced: nothing to do
        try:
            self.check_links(change, None)
        except Rejected:
            if change.deleted:
                return Outcome.UNCHANGED
            raise
        record = MODELS[change.kind](id=change.id, user_id=self.user_id)
        self.fill(record, change)
        record.updated_at = change.updated_at
        record.deleted_at = change.updated_at if change.deleted else None
        self.loaded[change.kind][change.id] = record
        self.changed[(change.kind, change.id)] = record
        self.created.append(record)
        self.settled = self.settled or reaches_settled_history(record)
        return Outcome.APPLIED

    def own(self, kind: str, record_id: uuid.UUID | None) -> Any:
        """Return the person's record of this type and id, deleted or not, or None."""
        record = self.loaded[kind].get(record_id)
        return record if record is not None and record.user_id == self.user_id else None

    def check_links(self, change: Change, record: Any) -> None:
        """Refuse a step or win that points at a record that is not the person's."""
        data = change.data
        if change.kind == "step":
            if record is not None:
                if (record.goal_id, record.parent_step_id) != (
                    data["goal_id"],
                    data["parent_step_id"],
                ):
                    raise Rejected(NO_MOVE)
                return
            # A tombstone may sit under the person's other tombstones: a step removed with
            # its bigger step comes back from an export as the tombstone it was.
            live = not change.deleted
            goal = self.own("goal", data["goal_id"])
            if goal is None or (live and goal.is_deleted):
                raise Rejected(NO_GOAL)
            if data["parent_step_id"] is not None:
                parent = self.own("step", data["parent_step_id"])
                if parent is None or (live and parent.is_deleted) or parent.goal_id != goal.id:
                    raise Rejected(NO_PARENT)
        elif change.kind == "reflection" and data["week_of"].weekday() != self.week_start:
            raise Rejected(NOT_A_WEEK_START)
        elif change.kind == "win" and data["step_id"] is not None:
            unchanged = record is not None and record.step_id == data["step_id"]
            # A step deleted on another device keeps its wins: a win is never lost.
            if not unchanged and self.own("step", data["step_id"]) is None:
                raise Rejected(NO_STEP)

    def fill(self, record: Any, change: Change) -> None:
        """Copy a change's fields onto a record."""
        data = dict(change.data)
        if change.kind == "win":
            place_win(record, data.pop("occurred_at"), self.day_start)
        if change.kind == "reflection":
            written_at = data.pop("written_at")
            record.written_at = written_at
            offset = written_at.utcoffset()
            record.written_offset_minutes = int(offset.total_seconds() // 60) if offset else 0
        if change.kind == "goal":
            # Archived since the device's change, kept from when it first was.
            archived = data.pop("archived")
            record.archived_at = (record.archived_at or change.updated_at) if archived else None
        for key, value in data.items():
            setattr(record, key, value)

    def save(self) -> None:
        """Give every changed record a new change number and write them in one flush."""
        if not self.changed:
            return
        with db.session.no_autoflush:
            first = next_change_seqs(self.user_id, len(self.changed), settled=self.settled)
        for offset, record in enumerate(self.changed.values()):
            record.change_seq = first + offset
        db.session.add_all(self.created)
        db.session.flush()
