"""The sync contract's record shape: what two versions compare by, and what goes out."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from ...domain.changes import QUESTIONS
from ...models import Goal, Reflection, Step, Win

MODELS: dict[str, type[Goal] | type[Step] | type[Win] | type[Reflection]] = {
    "goal": Goal,
    "step": Step,
    "win": Win,
    "reflection": Reflection,
}


def _offset_minutes(stamp: datetime) -> int:
    offset = stamp.utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def content_of(kind: str, fields: dict) -> tuple:
    """Return the synced fields of a record, in a form two versions compare by."""
    if kind == "goal":
        return fields["title"], fields["why"], fields["archived"]
    if kind == "step":
        return (
            fields["title"],
            fields["goal_id"],
            fields["parent_step_id"],
            fields["weekly_target"],
            fields["pairing"],
        )
    if kind == "reflection":
        written_at = fields["written_at"]
        answers = tuple(fields[key] for key in QUESTIONS)
        written = (written_at.astimezone(UTC), _offset_minutes(written_at))
        return (fields["week_of"], *answers, *written)
    occurred_at = fields["occurred_at"]
    return (
        fields["text"],
        occurred_at.astimezone(UTC),
        _offset_minutes(occurred_at),
        fields["step_id"],
        fields["energy"],
        fields["note"],
    )


def fields_of(kind: str, record: Any) -> dict:
    """Return a stored record's synced fields."""
    if kind == "goal":
        archived = record.archived_at is not None
        return {"title": record.title, "why": record.why, "archived": archived}
    if kind == "step":
        return {
            "title": record.title,
            "goal_id": record.goal_id,
            "parent_step_id": record.parent_step_id,
            "weekly_target": record.weekly_target,
            "pairing": record.pairing,
        }
    if kind == "reflection":
        return {
            "week_of": record.week_of,
            **{key: getattr(record, key) for key in QUESTIONS},
            "written_at": record.written_at_local,
        }
    return {
        "text": record.text,
        "occurred_at": record.occurred_at_local,
        "step_id": record.step_id,
        "energy": record.energy,
        "note": record.note,
    }


def as_change(kind: str, record: Any) -> dict:
    """Return a record in the sync contract's shape."""
    data = fields_of(kind, record)
    for key, value in data.items():
        if isinstance(value, uuid.UUID):
            data[key] = str(value)
        elif isinstance(value, datetime | date):
            data[key] = value.isoformat()
    if kind == "reflection":
        data["answers"] = {key: data.pop(key) for key in QUESTIONS}
    return {
        "type": kind,
        "id": str(record.id),
        "updated_at": iso_utc(record.updated_at),
        "deleted": record.is_deleted,
        "data": data,
    }


def iso_utc(stamp: datetime) -> str:
    """Return an instant as ISO-8601 in UTC with a Z, to the millisecond where it fits."""
    stamp = stamp.astimezone(UTC)
    spec = "milliseconds" if stamp.microsecond % 1000 == 0 else "microseconds"
    return stamp.replace(tzinfo=None).isoformat(timespec=spec) + "Z"
