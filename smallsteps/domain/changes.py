"""Sync changes as a device sends them, checked field by field into plain values."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .days import EARLIEST_DAY, iso_date
from .streaks import WEEKLY_TARGETS
from .text import N_, renderable, unstorable

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
# Rejections name a field as the device sends it (%(field)s), the same in every language.
# Translators: %(field)s is a field's name, like occurred_at, kept as it is.
ISO_TIMESTAMP = N_("%(field)s must be an ISO-8601 timestamp with its UTC offset.")


class Rejected(ValueError):
    """A change that cannot be kept, with a message a person can act on.

    The message is a whole sentence marked for the catalog (N_), its values apart: sync says
    it in the person's language, `_(rejected.message, **rejected.values)`; str() is English.
    """

    def __init__(self, message: str, **values: Any):
        """Keep the sentence and the values its %(name)s placeholders take."""
        super().__init__(message % values if values else message)
        self.message = message
        self.values = values


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
        raise Rejected(N_("A change must be a JSON object."))
    kind = raw.get("type")
    if kind not in KINDS:
        # Translators: for the sync API: type, goal, step, win and reflection stay as they are.
        raise Rejected(N_("type must be goal, step, win or reflection."))
    record_id = parse_uuid(raw.get("id"), "id")
    if record_id is None:
        # Translators: for the sync API: id and UUID stay as they are.
        raise Rejected(N_("id must be a UUID."))
    updated_at = parse_instant(raw.get("updated_at"), "updated_at", now)
    deleted = raw.get("deleted", False)
    if not isinstance(deleted, bool):
        # Translators: for the sync API: deleted, true and false stay as they are.
        raise Rejected(N_("deleted must be true or false."))
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
        # Translators: for the sync API: data and JSON stay as they are.
        raise Rejected(N_("data must be a JSON object."))
    return Change(kind, record_id, updated_at, False, CLEANERS[kind](data, now))


def parse_uuid(value: Any, name: str) -> uuid.UUID | None:
    """Return the UUID a string names, None for null, or raise Rejected."""
    if value is None:
        return None
    if not isinstance(value, str):
        # Translators: %(field)s is a field's name, like step_id; UUID and null stay as they are.
        raise Rejected(N_("%(field)s must be a UUID or null."), field=name)
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Rejected(N_("%(field)s must be a UUID or null."), field=name) from None


def parse_instant(value: Any, name: str, now: datetime) -> datetime:
    """Return an aware timestamp from 2000 up to a day ahead of `now`, or raise Rejected."""
    if not isinstance(value, str):
        raise Rejected(ISO_TIMESTAMP, field=name)
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        raise Rejected(ISO_TIMESTAMP, field=name) from None
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise Rejected(
            # Translators: %(field)s is a field's name, like occurred_at, kept as it is.
            N_("%(field)s needs its UTC offset, like 2026-11-22T23:30:00+09:00."),
            field=name,
        )
    try:
        plausible = EARLIEST <= stamp <= now + FUTURE_SLACK
        stamp.astimezone(UTC)
    except (OverflowError, ValueError):
        plausible = False
    if not plausible:
        raise Rejected(
            # Translators: %(field)s is a field's name, like occurred_at, kept as it is.
            N_("%(field)s must be after 2000 and no more than a day ahead; check the clock."),
            field=name,
        )
    return stamp


def clean_text(data: dict, name: str, maximum: int, required: bool) -> str:
    """Return a trimmed string field, checked for length and characters."""
    value = data.get(name)
    if value is None:
        if required:
            # Translators: %(field)s is a field's name, like title, kept as it is.
            raise Rejected(N_("%(field)s is missing."), field=name)
        value = ""
    if not isinstance(value, str):
        # Translators: %(field)s is a field's name, like title, kept as it is.
        raise Rejected(N_("%(field)s must be text."), field=name)
    if unstorable(value):
        raise Rejected(
            # Translators: %(field)s is a field's name, like note, said as it is.
            N_("%(field)s: This has a character that can't be saved. Could you retype it?"),
            field=name,
        )
    value = value.strip()
    if required and not value:
        # Translators: %(field)s is a field's name, like title, kept as it is.
        raise Rejected(N_("%(field)s must not be empty."), field=name)
    if len(value) > maximum:
        raise Rejected(
            # Translators: %(field)s is a field's name, like text, kept as it is.
            N_("%(field)s can be at most %(limit)s characters."),
            field=name,
            limit=maximum,
        )
    return value


def clean_goal(data: dict, now: datetime) -> dict[str, Any]:
    """Return a goal's fields: title, why and whether it is archived (absent means not)."""
    archived = data.get("archived", False)
    if archived is None:
        archived = False
    if not isinstance(archived, bool):
        # Translators: for the sync API: archived, true and false stay as they are.
        raise Rejected(N_("archived must be true or false."))
    return {
        "title": clean_text(data, "title", TITLE_MAX, required=True),
        "why": clean_text(data, "why", LONG_TEXT_MAX, required=False),
        "archived": archived,
    }


def clean_step(data: dict, now: datetime) -> dict[str, Any]:
    """Return a step's fields: title, goal, bigger step, weekly target and pairing."""
    goal_id = parse_uuid(data.get("goal_id"), "goal_id")
    if goal_id is None:
        raise Rejected(N_("goal_id must name one of your goals."))
    target = data.get("weekly_target")
    if target is not None and (
        isinstance(target, bool) or not isinstance(target, int) or target not in WEEKLY_TARGETS
    ):
        # Translators: for the sync API: weekly_target and null stay as they are.
        raise Rejected(N_("weekly_target must be a whole number from 1 to 7, or null."))
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
        # Translators: for the sync API: energy, low, ok, high and null stay as they are.
        raise Rejected(N_("energy must be low, ok, high or null."))
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
        # Translators: %(field)s is a field's name, like week_of, kept as it is.
        raise Rejected(N_("%(field)s must be a date like 2026-11-16."), field=name)
    if day < EARLIEST_DAY:
        # Translators: %(field)s is a field's name, like week_of, kept as it is.
        raise Rejected(N_("%(field)s must be after 2000."), field=name)
    return day


def clean_reflection(data: dict, now: datetime) -> dict[str, Any]:
    """Return a reflection's fields: its week, up to three answers, and when it was written.

    Whether ``week_of`` is a week start depends on the person's setting; sync checks that.
    """
    answers = data.get("answers")
    if not isinstance(answers, dict):
        # Translators: for the sync API: answers stays as it is.
        raise Rejected(N_("answers must be an object of up to three texts."))
    unknown = set(answers) - set(QUESTIONS)
    if unknown:
        # Translators: answers stays as it is; %(fields)s names the questions' keys, like tiny_step.
        raise Rejected(N_("answers may hold only %(fields)s."), fields=", ".join(QUESTIONS))
    week_of = parse_date(data.get("week_of"), "week_of")
    if week_of > (now + FUTURE_SLACK).date():
        # Translators: for the sync API: week_of stays as it is.
        raise Rejected(N_("week_of must not be a week still to come."))
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
