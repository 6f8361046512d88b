"""Sync changes as a device sends them, checked field by field into plain values."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .days import EARLIEST_DAY, iso_date
from .streaks import WEEKLY_TARGETS
from .text import UNSTORABLE, renderable, unstorable

KINDS = ("goal", "step", "win", "reflection")
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# A device clock may run ahead a little; a day covers every time zone.
FUTURE_SLACK = timedelta(days=1)
WIN_TEXT_MAX = 280
TITLE_MAX = 120
PAIRING_MAX = 120
LONG_TEXT_MAX = 2000
ENERGY_LEVELS = ("low", "ok", "high")
# A weekly reflection: up to three answers, each optional, keyed by its question.
QUESTIONS = ("tiny_step", "shifted", "then_and_now")
ANSWER_MAX = 1000


class Rejected(ValueError):
    """A change that cannot be kept, with a message a person can act on."""


@dataclass(frozen=True)
class Change:
    """One checked change: a goal, step or win, or a tombstone for one."""

    kind: str
    id: uuid.UUID
    updated_at: datetime
    deleted: bool
    # The record's fields, cleaned; None for a delete that carried none.
    data: dict[str, Any] | None


def raw_id(raw: Any) -> str | None:
    """Return the id a change names as sent, so the device can match its result."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        # Shown again in the import report's page, so it must encode as UTF-8.
        return renderable(raw["id"])
    return None


def parse_change(raw: Any, now: datetime) -> Change:
    """Check one change from a device and return it cleaned, or raise Rejected."""
    if not isinstance(raw, dict):
        raise Rejected("A change must be a JSON object.")
    kind = raw.get("type")
    if kind not in KINDS:
        raise Rejected("type must be goal, step, win or reflection.")
    record_id = parse_uuid(raw.get("id"), "id")
    if record_id is None:
        raise Rejected("id must be a UUID.")
    updated_at = parse_instant(raw.get("updated_at"), "updated_at", now)
    deleted = raw.get("deleted", False)
    if not isinstance(deleted, bool):
        raise Rejected("deleted must be true or false.")
    data = raw.get("data")
    if deleted:
        # A delete needs no fields; a valid set still lets an unknown record be kept
        # as a tombstone so that no older edit can bring it back.
        try:
            cleaned = CLEANERS[kind](data, now) if isinstance(data, dict) else None
        except Rejected:
            cleaned = None
        return Change(kind, record_id, updated_at, True, cleaned)
    if not isinstance(data, dict):
        raise Rejected("data must be a JSON object.")
    return Change(kind, record_id, updated_at, False, CLEANERS[kind](data, now))


def parse_uuid(value: Any, name: str) -> uuid.UUID | None:
    """Return the UUID a string names, None for null, or raise Rejected."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Rejected(f"{name} must be a UUID or null.")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Rejected(f"{name} must be a UUID or null.") from None


def parse_instant(value: Any, name: str, now: datetime) -> datetime:
    """Return an aware timestamp from 2000 up to a day ahead of `now`, or raise Rejected."""
    if not isinstance(value, str):
        raise Rejected(f"{name} must be an ISO-8601 timestamp with its UTC offset.")
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        raise Rejected(f"{name} must be an ISO-8601 timestamp with its UTC offset.") from None
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise Rejected(f"{name} needs its UTC offset, like 2026-11-22T23:30:00+09:00.")
    try:
        plausible = EARLIEST <= stamp <= now + FUTURE_SLACK
        stamp.astimezone(UTC)
    except (OverflowError, ValueError):
        plausible = False
    if not plausible:
        raise Rejected(f"{name} must be after 2000 and no more than a day ahead; check the clock.")
    return stamp


def clean_text(data: dict, name: str, maximum: int, required: bool) -> str:
    """Return a trimmed string field, checked for length and characters."""
    value = data.get(name)
    if value is None:
        if required:
            raise Rejected(f"{name} is missing.")
        value = ""
    if not isinstance(value, str):
        raise Rejected(f"{name} must be text.")
    if unstorable(value):
        raise Rejected(f"{name}: {UNSTORABLE}")
    value = value.strip()
    if required and not value:
        raise Rejected(f"{name} must not be empty.")
    if len(value) > maximum:
        raise Rejected(f"{name} can be at most {maximum} characters.")
    return value


def clean_goal(data: dict, now: datetime) -> dict[str, Any]:
    """Return a goal's fields: title, why and whether it is archived (absent means not)."""
    archived = data.get("archived", False)
    if archived is None:
        archived = False
    if not isinstance(archived, bool):
        raise Rejected("archived must be true or false.")
    return {
        "title": clean_text(data, "title", TITLE_MAX, required=True),
        "why": clean_text(data, "why", LONG_TEXT_MAX, required=False),
        "archived": archived,
    }


def clean_step(data: dict, now: datetime) -> dict[str, Any]:
    """Return a step's fields: title, goal, bigger step, weekly target and pairing."""
    goal_id = parse_uuid(data.get("goal_id"), "goal_id")
    if goal_id is None:
        raise Rejected("goal_id must name one of your goals.")
    target = data.get("weekly_target")
    if target is not None and (
        isinstance(target, bool) or not isinstance(target, int) or target not in WEEKLY_TARGETS
    ):
        raise Rejected("weekly_target must be a whole number from 1 to 7, or null.")
    return {
        "title": clean_text(data, "title", TITLE_MAX, required=True),
        "goal_id": goal_id,
        "parent_step_id": parse_uuid(data.get("parent_step_id"), "parent_step_id"),
        "weekly_target": target,
        "pairing": clean_text(data, "pairing", PAIRING_MAX, required=False),
    }


def clean_win(data: dict, now: datetime) -> dict[str, Any]:
    """Return a win's fields: text, when, step, energy and note."""
    energy = data.get("energy")
    if energy == "":
        energy = None
    if energy is not None and energy not in ENERGY_LEVELS:
        raise Rejected("energy must be low, ok, high or null.")
    return {
        "text": clean_text(data, "text", WIN_TEXT_MAX, required=True),
        "occurred_at": parse_instant(data.get("occurred_at"), "occurred_at", now),
        "step_id": parse_uuid(data.get("step_id"), "step_id"),
        "energy": energy,
        "note": clean_text(data, "note", LONG_TEXT_MAX, required=False),
    }


def parse_date(value: Any, name: str) -> date:
    """Return a YYYY-MM-DD date from 2000 on, or raise Rejected."""
    day = iso_date(value)
    if day is None:
        raise Rejected(f"{name} must be a date like 2026-11-16.")
    if day < EARLIEST_DAY:
        raise Rejected(f"{name} must be after 2000.")
    return day


def clean_reflection(data: dict, now: datetime) -> dict[str, Any]:
    """Return a reflection's fields: its week, up to three answers, and when it was written.

    Whether ``week_of`` is a week start depends on the person's setting; sync checks that.
    """
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise Rejected("answers must be an object of up to three texts.")
    unknown = set(answers) - set(QUESTIONS)
    if unknown:
        raise Rejected(f"answers may hold only {', '.join(QUESTIONS)}.")
    week_of = parse_date(data.get("week_of"), "week_of")
    if week_of > (now + FUTURE_SLACK).date():
        raise Rejected("week_of must not be a week still to come.")
    return {
        "week_of": week_of,
        **{key: clean_text(answers, key, ANSWER_MAX, required=False) for key in QUESTIONS},
        "written_at": parse_instant(data.get("written_at"), "written_at", now),
    }


CLEANERS = {
    "goal": clean_goal,
    "step": clean_step,
    "win": clean_win,
    "reflection": clean_reflection,
}
