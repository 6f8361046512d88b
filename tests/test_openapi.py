"""The API description: served to anyone, and true to every answer the API gives."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from smallsteps.api.openapi import document
from tests.conftest import Person, csrf_token
from tests.nudges.push_service import Device
from tests.test_sync import goal, new_id, statuses, step, sync, win

# No 5xx, and every answer as described: its status, content type, headers and body.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}}}
)
schema = schemathesis.openapi.from_dict(document(), config=CONFIG)
FCM = "https://fcm.googleapis.com/fcm/send/schema-check-device"


@pytest.fixture
def app(nudged_app):
    """Return the app with nudges set up, so every endpoint can answer."""
    return nudged_app


@pytest.fixture
def credentials(app):
    """Return the session cookie and CSRF header of a person with a few records."""
    person = Person(app.test_client(), "river@example.com")
    assert person.sign_up().status_code == 302
    person.log_win("Asked for help")
    goal_id, step_id = new_id(), new_id()
    batch = [
        goal(goal_id),
        step(goal_id, step_id),
        step(goal_id, parent=step_id, title="One breath"),
        win(step_id=step_id, energy=None),
        win(text="Rested", deleted=True),
    ]
    assert set(statuses(sync(person, batch))) == {"applied"}
    phone = Device("")
    phone.endpoint = FCM
    device = person.api("POST", "/api/v1/push/subscriptions", json=phone.subscription())
    assert device.status_code == 201
    session = person.client.get_cookie("session").value
    return {"session": session}, {"X-CSRFToken": csrf_token(person.client)}


def test_the_description_is_served_to_anyone(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.get_json() == document()
    assert response.get_json()["openapi"].startswith("3.1")


def test_the_description_is_a_valid_openapi_3_1_document():
    from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

    assert [str(error) for error in OPENAPI_31_VALIDATOR.iter_errors(document())] == []


def test_every_api_route_is_described(app):
    described = {
        (path, method.upper())
        for path, operations in document()["paths"].items()
        for method in operations
    }
    routes = {
        (re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") or rule.rule == "/export.csv"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == described


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_described(case, app, credentials):
    cookies, headers = credentials
    response = case.call(app=app, cookies=cookies, headers=headers)
    case.validate_response(response)


def test_signed_out_calls_get_the_documented_401(client):
    """Every operation but this document answers 401 JSON (the CSV page sends to sign-in)."""
    stranger = Person(client, "nobody@example.com")
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            response = stranger.api(method.upper(), path, json={} if method != "get" else None)
            if operation["security"] == []:
                assert response.status_code == 200
            elif path == "/export.csv":
                assert response.status_code == 302 and "302" in operation["responses"]
            else:
                assert response.status_code == 401, (method, path)
                assert "401" in operation["responses"]
                assert set(response.get_json()) == {"error", "detail"}


def test_a_body_nested_too_deep_for_the_parser_is_400_everywhere(person):
    """Hypothesis doesn't nest this deep; the JSON parser's recursion limit was a 500."""
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            response = person.api(
                method.upper(), path, data="[" * 100_000, content_type="application/json"
            )
            assert response.status_code == 400, (method, path)
            assert response.get_json()["error"] == "invalid JSON"
