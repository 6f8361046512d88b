"""An OpenAPI 3.1 description of the JSON API, served at /api/v1/openapi.json."""

from typing import Any

from flask import jsonify

from .. import bp
from .schemas import (
    BOOLEAN,
    CHANGES_IN,
    DATE,
    Schema,
    array,
    components,
    exact,
    open_object,
    ref,
)

API = "/api/v1"
# GETs need the session only; anything that changes data also needs the CSRF token.
READ = [{"session": []}]
WRITE = [{"session": [], "csrf": []}]
ERRORS = {
    400: "The request can't be used; `detail` says why",
    401: "Not signed in",
    404: "Not one of yours, or not there",
    409: "Another change got there first; send it again",
    413: "Too large",
    415: "The body must be JSON (Content-Type: application/json)",
    503: "Nudges are not set up on this server yet",
}


def json_content(schema: Schema) -> dict[str, Any]:
    """Return a JSON body of this schema."""
    return {"application/json": {"schema": schema}}


def operation(
    summary: str,
    ok: dict[int, tuple[str, Schema | None]],
    errors: tuple[int, ...] = (401,),
    body: Schema | None = None,
    security: list | None = None,
    example: Any = None,
    **extra: Any,
) -> dict[str, Any]:
    """Return one operation: its successes, the errors it really gives, and its body."""
    responses: dict[str, Any] = {}
    for status, (description, schema) in ok.items():
        responses[str(status)] = {"description": description}
        if schema is not None:
            responses[str(status)]["content"] = json_content(schema)
    for status in errors:
        responses[str(status)] = {"$ref": f"#/components/responses/E{status}"}
    op = {"summary": summary, "responses": responses, **extra}
    op["security"] = security if security is not None else (WRITE if body else READ)
    if body is not None:
        op["requestBody"] = {"required": True, "content": json_content(body)}
        if example is not None:
            op["requestBody"]["content"]["application/json"]["example"] = example
    return op


WIN_EXAMPLE = {
    "type": "win",
    "id": "6f1c2a9e-3b1d-4c8e-9a57-0d2f6b8e4c11",
    "updated_at": "2026-01-10T14:30:05.120Z",
    "deleted": False,
    "data": {
        "text": "Paused before reacting",
        "occurred_at": "2026-01-10T23:30:00+09:00",
        "step_id": None,
        "energy": "low",
        "note": "",
    },
}
GOAL_EXAMPLE = {
    "type": "goal",
    "id": "0b7d1f3e-8c2a-4e6b-9d15-7a3c5e9f2b48",
    "updated_at": "2026-01-10T14:00:00.000Z",
    "deleted": False,
    "data": {"title": "Feel calmer", "why": "For the people I love"},
}


SENT = (400, 401, 413, 415)  # what any request with a JSON body can get wrong


SHARE_ID = {"name": "share_id", "in": "path", "required": True, "schema": {"type": "string"}}


def day_query(name: str) -> dict[str, Any]:
    """Return a required YYYY-MM-DD query parameter."""
    return {"name": name, "in": "query", "required": True, "schema": DATE}


def paths() -> dict[str, Any]:
    """Return every path of the API, with the status codes each really answers."""
    sync_body = open_object({"since": {"type": ["string", "null"]}, "changes": CHANGES_IN})
    sync_body["properties"]["changes"] = {**CHANGES_IN, "maxItems": 500}
    sync_answer = exact(
        {
            "results": array(ref("Result")),
            "changes": array({"oneOf": [ref(f"{k}Change") for k in ("Goal", "Step", "Win")]}),
            "cursor": {"type": "string"},
            "more": {
                "type": "boolean",
                "description": "At most 1,000 records come at once; ask again with the cursor.",
            },
        }
    )
    as_of = {"name": "as_of", "in": "query", "required": False, "schema": DATE}
    as_of["description"] = "YYYY-MM-DD, from 2000-01-01 to tomorrow; today when absent."
    device = ("The device", ref("Device"))
    return {
        f"{API}/csrf": {
            "get": operation(
                "A fresh CSRF token for the X-CSRFToken header",
                {200: ("The token", exact({"csrf_token": {"type": "string"}}))},
            )
        },
        f"{API}/settings": {
            "get": operation("Your settings", {200: ("Your settings", ref("Settings"))}),
            "put": operation(
                "Change any subset of your settings; nothing changes when one is wrong",
                {200: ("Your settings now", ref("Settings"))},
                SENT,
                ref("SettingsChange"),
            ),
        },
        f"{API}/sync": {
            "post": operation(
                "Send changes; get per-record results, every newer change and a cursor",
                {200: ("Results, changes and the new cursor", sync_answer)},
                (*SENT, 409),
                sync_body,
                example={"since": None, "changes": [GOAL_EXAMPLE, WIN_EXAMPLE]},
                description="At most 500 changes and 1 MiB per request.",
            )
        },
        f"{API}/summary": {
            "get": operation(
                "Streaks, momentum and look-back as of a day",
                {200: ("The summary", ref("Summary"))},
                (400, 401),
                parameters=[as_of],
            )
        },
        f"{API}/push/key": {
            "get": operation(
                "The VAPID public key (applicationServerKey, base64url)",
                {200: ("The key", exact({"key": {"type": "string"}}))},
                (401, 503),
            )
        },
        f"{API}/push/subscriptions": {
            "get": operation(
                "Your devices that receive nudges, newest first",
                {200: ("Your devices", array(ref("Device")))},
            ),
            "post": operation(
                "Receive nudges on this device (PushSubscription.toJSON())",
                {201: device, 200: ("The device, already known; its keys refreshed", device[1])},
                SENT,
                ref("PushSubscription"),
            ),
            "delete": operation(
                "Stop nudges on one of your devices",
                {204: ("Removed", None)},
                (*SENT, 404),
                exact({"endpoint": {"type": "string", "minLength": 1}}),
            ),
        },
        f"{API}/nudges": {
            "get": operation("Your nudge plan", {200: ("Your plan", ref("NudgePlan"))}),
            "put": operation(
                "Change any part of your nudge plan; nothing changes when one is wrong",
                {200: ("Your plan now", ref("NudgePlan"))},
                SENT,
                ref("NudgePlanChange"),
            ),
        },
        f"{API}/days": {
            "get": operation(
                "Your low-capacity days from one date to another, both included",
                {200: ("The days set in the range", exact({"days": array(ref("Day"))}))},
                (400, 401),
                parameters=[day_query("from"), day_query("to")],
            )
        },
        f"{API}/days/{{day}}": {
            "put": operation(
                "Make a local date a low-capacity day, or end it; sent twice, nothing changes",
                {200: ("That date now", exact({"date": DATE, "low_capacity": BOOLEAN}))},
                SENT,
                exact({"low_capacity": BOOLEAN}),
                example={"low_capacity": True},
                parameters=[
                    {
                        "name": "day",
                        "in": "path",
                        "required": True,
                        "schema": DATE,
                        "description": "YYYY-MM-DD, from 2000-01-01 to tomorrow.",
                    }
                ],
                description="Ending a day that is not the one set changes nothing.",
            )
        },
        f"{API}/shares": {
            "get": operation(
                "Your shares, newest first, ended ones too; never their links",
                {200: ("Your shares", array(ref("Share")))},
            ),
            "post": operation(
                "Share your progress read-only; the link in `url` is shown this once",
                {201: ("The share, with its link", ref("ShareMade"))},
                SENT,
                ref("ShareIn"),
                example={"name": "Dr. Kim", "goal_ids": None, "include_notes": False, "days": 28},
                description="`goal_ids` null shows every goal; `days` null reaches the start; "
                "`expires_in_days` is 90 unless given.",
            ),
        },
        f"{API}/shares/{{share_id}}": {
            "delete": operation(
                "End a share at once; its link answers 404 from now on",
                {204: ("Ended", None)},
                (400, 401, 404),
                security=WRITE,
                parameters=[SHARE_ID],
            )
        },
        f"{API}/shares/{{share_id}}/views": {
            "get": operation(
                "Who looked at a share: when, and a coarse device, newest first",
                {200: ("The looks", array(ref("ShareView")))},
                (401, 404),
                parameters=[SHARE_ID],
            )
        },
        f"{API}/export": {
            "get": operation(
                "Everything you wrote, tombstones included, with your settings and plan",
                {200: ("The export, as an attachment", ref("Export"))},
            )
        },
        f"{API}/import": {
            "post": operation(
                "Merge an export back in by id, with sync's rules; the same file twice is a no-op",
                {200: ("What became of each part", ref("ImportReport"))},
                (*SENT, 409),
                ref("ExportIn"),
                example={
                    "format": "smallsteps-export",
                    "version": 1,
                    "settings": {"grace": 2},
                    "goals": [GOAL_EXAMPLE],
                    "wins": [{**WIN_EXAMPLE, "id": "9d3e5f7a-1b2c-4d6e-8f90-a1b2c3d4e5f6"}],
                },
                description="At most 20,000 records and 10 MiB.",
            )
        },
        "/export.csv": {
            "get": {
                "summary": "Your wins as CSV (UTF-8, a header row), as an attachment",
                "security": READ,
                "responses": {
                    "200": {
                        "description": "date, time, utc_offset, text, step, goal, energy, note",
                        "content": {"text/csv": {"schema": {"type": "string"}}},
                    },
                    "302": {"description": "Not signed in: to the sign-in page"},
                },
            }
        },
        f"{API}/openapi.json": {
            "get": operation(
                "This document",
                {200: ("OpenAPI 3.1", {"type": "object"})},
                errors=(),
                security=[],
            )
        },
    }


def document() -> dict[str, Any]:
    """Return the OpenAPI document."""
    error = {"content": json_content(ref("Error"))}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Small Steps API",
            "version": "1",
            "description": "Every error is JSON {error, detail} with a 4xx status. "
            "Sign in through /login; send the session cookie, and X-CSRFToken on changes.",
        },
        "paths": paths(),
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            },
            "responses": {
                f"E{status}": {"description": description, **error}
                for status, description in ERRORS.items()
            },
            "schemas": components(),
        },
        "security": READ,
    }


@bp.get("/openapi.json")
def openapi():
    """Return the OpenAPI description of this API; no sign-in needed."""
    return jsonify(document())
