"""The bodies of the JSON API as JSON Schema (2020-12, as OpenAPI 3.1 uses it)."""

from typing import Any

from ... import i18n
from ...domain.changes import (
    ANSWER_MAX,
    ENERGY_LEVELS,
    KINDS,
    LONG_TEXT_MAX,
    PAIRING_MAX,
    QUESTIONS,
    TITLE_MAX,
    WIN_TEXT_MAX,
)
from ...domain.streaks import WEEKLY_TARGETS
from ...services.accounts import DISPLAY_NAME_MAX
from ...services.export import FORMAT, VERSION
from ...services.sharing import MOST_DAYS_BACK, MOST_DAYS_OPEN, NAME_MAX

Schema = dict[str, Any]

UUID: Schema = {"type": "string", "format": "uuid"}
NULLABLE_UUID: Schema = {"type": ["string", "null"], "format": "uuid"}
DATE: Schema = {"type": "string", "format": "date"}
INSTANT: Schema = {"type": "string", "format": "date-time"}
NULLABLE_INSTANT: Schema = {"type": ["string", "null"], "format": "date-time"}
COUNT: Schema = {"type": "integer", "minimum": 0}
PERCENT: Schema = {"type": ["integer", "null"], "minimum": 0, "maximum": 100}
TEXT: Schema = {"type": "string"}
BOOLEAN: Schema = {"type": "boolean"}
LOCAL_TIME: Schema = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
WEEKDAY: Schema = {"type": "integer", "minimum": 0, "maximum": 6}
WEEKLY_TARGET: Schema = {
    "type": ["integer", "null"],
    "minimum": min(WEEKLY_TARGETS),
    "maximum": max(WEEKLY_TARGETS),
}
ENERGY: Schema = {"enum": [*ENERGY_LEVELS, None]}


def ref(name: str) -> Schema:
    """Return a reference to a named schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: Schema, **limits: Any) -> Schema:
    """Return an array schema."""
    return {"type": "array", "items": items, **limits}


def exact(properties: Schema, required: list[str] | None = None) -> Schema:
    """Return an object with these properties and no others; all required unless told."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


def open_object(properties: Schema, required: list[str] | None = None) -> Schema:
    """Return an object with these properties that may carry others, which are ignored."""
    return {"type": "object", "properties": properties, "required": required or []}


def text(maximum: int, minimum: int = 0) -> Schema:
    """Return a string schema with length limits (counted after trimming)."""
    return {"type": "string", "minLength": minimum, "maxLength": maximum}


# What the server sends: every field, always.
DATA_OUT: dict[str, Schema] = {
    "goal": exact({"title": TEXT, "why": TEXT, "archived": BOOLEAN}),
    "step": exact(
        {
            "title": TEXT,
            "goal_id": UUID,
            "parent_step_id": NULLABLE_UUID,
            "weekly_target": WEEKLY_TARGET,
            "pairing": TEXT,
        }
    ),
    "win": exact(
        {
            "text": TEXT,
            "occurred_at": INSTANT,
            "step_id": NULLABLE_UUID,
            "energy": ENERGY,
            "note": TEXT,
        }
    ),
    "reflection": exact(
        {
            "week_of": DATE,
            "answers": exact({key: TEXT for key in QUESTIONS}),
            "written_at": INSTANT,
        }
    ),
}
# What a device may send: the fields a record needs; others are ignored.
DATA_IN: dict[str, Schema] = {
    "goal": open_object(
        {"title": text(TITLE_MAX, 1), "why": text(LONG_TEXT_MAX), "archived": BOOLEAN},
        ["title"],
    ),
    "step": open_object(
        {
            "title": text(TITLE_MAX, 1),
            "goal_id": UUID,
            "parent_step_id": NULLABLE_UUID,
            "weekly_target": WEEKLY_TARGET,
            "pairing": text(PAIRING_MAX),
        },
        ["title", "goal_id"],
    ),
    "win": open_object(
        {
            "text": text(WIN_TEXT_MAX, 1),
            "occurred_at": INSTANT,
            "step_id": NULLABLE_UUID,
            "energy": {"enum": [*ENERGY_LEVELS, "", None]},
            "note": text(LONG_TEXT_MAX),
        },
        ["text", "occurred_at"],
    ),
    "reflection": open_object(
        {
            "week_of": DATE,
            "answers": exact({key: text(ANSWER_MAX) for key in QUESTIONS}, required=[]),
            "written_at": INSTANT,
        },
        ["week_of", "answers", "written_at"],
    ),
}


def change_out(kind: str) -> Schema:
    """Return a record as the server sends it, tombstones included."""
    return exact(
        {
            "type": {"const": kind},
            "id": UUID,
            "updated_at": INSTANT,
            "deleted": BOOLEAN,
            "data": ref(f"{kind.capitalize()}Data"),
        }
    )


def change_in(kind: str) -> Schema:
    """Return a change as a device sends it; a delete needs no data."""
    return open_object(
        {
            "type": {"const": kind},
            "id": UUID,
            "updated_at": INSTANT,
            "deleted": BOOLEAN,
            "data": {"anyOf": [ref(f"{kind.capitalize()}DataIn"), {"type": "null"}]},
        },
        ["type", "id", "updated_at"],
    )


SETTINGS_PROPERTIES: Schema = {
    "timezone": {"type": "string", "description": "An IANA time zone name."},
    "week_start": {**WEEKDAY, "description": "0 = Monday … 6 = Sunday."},
    "grace": {"type": "integer", "minimum": 0, "maximum": 3},
    "day_start": {"type": "integer", "minimum": 0, "maximum": 4},
    "display_name": text(DISPLAY_NAME_MAX),
    "show_streak": BOOLEAN,
    "language": {
        "enum": list(i18n.shipped()),
        "description": "The language pages, messages and nudges speak, chosen at sign-up "
        "from the browser's languages.",
    },
}
QUIET_HOURS: Schema = {"anyOf": [exact({"start": LOCAL_TIME, "end": LOCAL_TIME}), {"type": "null"}]}
NUDGE_PROPERTIES: Schema = {
    "enabled": BOOLEAN,
    "times": array(LOCAL_TIME, maxItems=3, uniqueItems=True),
    "weekdays": array(WEEKDAY, maxItems=7, uniqueItems=True),
    "quiet_hours": QUIET_HOURS,
    "only_if_no_win_today": BOOLEAN,
    # The weekly reflection's nudge, beside DESIGN's keys: null for none.
    "weekly": {
        "anyOf": [
            {"type": "null"},
            exact({"weekday": WEEKDAY, "time": LOCAL_TIME}),
        ]
    },
}
WINDOW = exact({"wins": COUNT, "days": COUNT})
SUMMARY = exact(
    {
        "as_of": DATE,
        "streak": exact({"current": COUNT, "longest": COUNT, "grace": COUNT}),
        "momentum": PERCENT,
        "last_7_days": WINDOW,
        "previous_7_days": WINDOW,
        "now": WINDOW,
        "six_months_ago": WINDOW,
        "new_since_then": array(exact({"id": UUID, "title": TEXT})),
        "since_start": exact(
            {
                "first_win": {"type": ["string", "null"], "format": "date"},
                "wins": COUNT,
                "days": COUNT,
            }
        ),
        "milestones": array(exact({"count": COUNT, "date": DATE})),
        "heatmap": exact({"start": DATE, "counts": array(COUNT)}),
        "steps": array(
            exact(
                {
                    "id": UUID,
                    "title": TEXT,
                    "weekly_target": WEEKLY_TARGET,
                    "weekly_streak": {"type": ["integer", "null"], "minimum": 0},
                    "momentum": PERCENT,
                }
            )
        ),
    }
)
RESULT = {
    "oneOf": [
        exact(
            {
                "id": {"type": ["string", "null"]},
                "status": {"enum": ["applied", "unchanged", "stale"]},
            }
        ),
        exact(
            {"id": {"type": ["string", "null"]}, "status": {"const": "rejected"}, "message": TEXT}
        ),
    ]
}
OUTCOMES = exact({"applied": COUNT, "unchanged": COUNT, "stale": COUNT, "rejected": COUNT})
PART = {
    "oneOf": [
        exact({"status": {"enum": ["applied", "unchanged"]}}),
        exact({"status": {"const": "rejected"}, "message": TEXT}),
    ]
}
CHANGES_IN = array(
    {"oneOf": [ref(f"{kind.capitalize()}ChangeIn") for kind in KINDS]},
    description="Each change is checked on its own: one that breaks these rules is answered "
    "`rejected` with a message, and the others still apply.",
)
LISTS_OUT = {f"{kind}s": array(ref(f"{kind.capitalize()}Change")) for kind in KINDS}


SHARE_PROPERTIES: Schema = {
    "id": UUID,
    "name": TEXT,
    "goal_ids": {"type": ["array", "null"], "items": UUID},
    "include_notes": BOOLEAN,
    "days": {"type": ["integer", "null"]},
    "expires_at": INSTANT,
    "created_at": INSTANT,
}


def components() -> dict[str, Schema]:
    """Return every named schema."""
    named: dict[str, Schema] = {
        "Error": exact({"error": TEXT, "detail": {}}),
        "Settings": exact(SETTINGS_PROPERTIES),
        "SettingsChange": exact(SETTINGS_PROPERTIES, required=[]),
        "NudgePlan": exact(NUDGE_PROPERTIES),
        "NudgePlanChange": exact(NUDGE_PROPERTIES, required=[]),
        "Result": RESULT,
        "Day": exact({"date": DATE, "low_capacity": {"const": True}}),
        "Summary": SUMMARY,
        "Device": exact(
            {
                "id": {"type": "integer"},
                "endpoint_origin": TEXT,
                "created_at": INSTANT,
                "last_success_at": NULLABLE_INSTANT,
            }
        ),
        "PushSubscription": open_object(
            {
                "endpoint": {"type": "string", "maxLength": 2048},
                "expirationTime": {"type": ["number", "null"]},
                "keys": open_object({"p256dh": TEXT, "auth": TEXT}, ["p256dh", "auth"]),
            },
            ["endpoint", "keys"],
        ),
        "Share": exact(SHARE_PROPERTIES),
        "ShareMade": exact({**SHARE_PROPERTIES, "url": {"type": "string", "format": "uri"}}),
        "ShareIn": exact(
            {
                "name": text(NAME_MAX, 1),
                "goal_ids": {"type": ["array", "null"], "items": UUID, "minItems": 1},
                "include_notes": BOOLEAN,
                "days": {"type": ["integer", "null"], "minimum": 1, "maximum": MOST_DAYS_BACK},
                "expires_in_days": {"type": "integer", "minimum": 1, "maximum": MOST_DAYS_OPEN},
            },
            required=["name"],
        ),
        "ShareView": exact({"at": INSTANT, "device": TEXT}),
        "Export": exact(
            {
                "format": {"const": FORMAT},
                "version": {"const": VERSION},
                "exported_at": INSTANT,
                "account": exact({"email": TEXT, "created_at": INSTANT}),
                "settings": ref("Settings"),
                "nudges": ref("NudgePlan"),
                **LISTS_OUT,
                "shares": array(exact({**SHARE_PROPERTIES, "views": array(ref("ShareView"))})),
                "low_capacity_days": array(DATE),
            }
        ),
        "ExportIn": open_object(
            {
                "format": {"const": FORMAT},
                "version": {"const": VERSION},
                "settings": {"type": "object", "description": "As in Settings."},
                "nudges": {"type": "object", "description": "As in NudgePlan."},
                **{f"{kind}s": CHANGES_IN for kind in KINDS},
            },
            ["format", "version"],
        ),
        "ImportReport": exact(
            {
                "counts": OUTCOMES,
                **{f"{kind}s": OUTCOMES for kind in KINDS},
                "rejected": array(
                    exact(
                        {
                            "id": {"type": ["string", "null"]},
                            "type": {"enum": list(KINDS)},
                            "message": TEXT,
                        }
                    )
                ),
                "settings": PART,
                "nudges": PART,
            }
        ),
    }
    for kind in KINDS:
        name = kind.capitalize()
        named[f"{name}Data"] = DATA_OUT[kind]
        named[f"{name}DataIn"] = DATA_IN[kind]
        named[f"{name}Change"] = change_out(kind)
        named[f"{name}ChangeIn"] = change_in(kind)
    return named
