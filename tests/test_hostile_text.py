"""Hostile text: a character no database keeps is refused at the edge, kindly, never a 500."""

import html
import io
import json
import uuid

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from smallsteps import forms
from smallsteps.domain.text import UNSTORABLE
from smallsteps.extensions import db
from smallsteps.models import Goal, LoginFailure, PushSubscription, Step, User, Win
from smallsteps.webpush.endpoints import encode_base64url
from tests.conftest import PASSWORD, Person
from tests.test_sync import goal, new_id, statuses, step, sync, win

NUL, SURROGATE, NONCHARACTER = "\x00", "\ud800", "\uffff"
# Werkzeug reads a form body as UTF-8 with replacement: a lone surrogate only arrives as JSON.
IN_FORMS = [pytest.param(NUL, id="nul"), pytest.param(NONCHARACTER, id="uffff")]
IN_JSON = [*IN_FORMS, pytest.param(SURROGATE, id="surrogate")]
SHOWN_AS = "\ufffd"
FCM = "https://fcm.googleapis.com/fcm/send/hostile-text-device"


def count(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def only(app, model):
    with app.app_context():
        [record] = db.session.scalars(select(model)).all()
        db.session.expunge(record)
        return record


def assert_refused(response, bad_value: str, *kept: str, what: str = ""):
    """The form comes back with 400, the kind message, and what was typed, safe to show."""
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400, (what, response.status_code)
    assert UNSTORABLE in page, what
    assert bad_value.replace(NUL, SHOWN_AS).replace(NONCHARACTER, SHOWN_AS) in page, what
    for value in kept:
        assert value in page, (what, value)


def test_every_form_refuses_unstorable_text_first():
    made_here = [
        form
        for form in vars(forms).values()
        if isinstance(form, type) and issubclass(form, FlaskForm)
        if form not in (FlaskForm, forms.Form)
    ]
    assert len(made_here) >= 8
    assert all(issubclass(form, forms.Form) for form in made_here)
    assert [form for form in FlaskForm.__subclasses__() if form is not forms.Form] == []


@pytest.mark.parametrize("bad", IN_FORMS)
def test_win_forms_refuse_text_that_cant_be_saved_and_keep_the_rest(app, person, bad):
    typed = {"text": "Went outside", "note": "at the park"}
    person.log_win("Asked for help")
    win_id = only(app, Win).id

    for url in ("/wins", f"/wins/{win_id}/edit"):
        for name, other in (("text", "note"), ("note", "text")):
            form = {**typed, name: f"{typed[name]} {bad}!", "energy": "high"}
            response = person.post(url, form)
            assert_refused(response, form[name], typed[other], what=f"{url} {name}")

    kept = only(app, Win)
    assert (kept.text, kept.note, kept.energy) == ("Asked for help", "", None)


@pytest.mark.parametrize("bad", IN_FORMS)
def test_goal_and_step_forms_refuse_text_that_cant_be_saved_and_keep_the_rest(app, person, bad):
    typed = {"title": "Feel calmer", "why": "for the kids"}
    for name, other in (("title", "why"), ("why", "title")):
        response = person.post("/goals", {**typed, name: f"{typed[name]}{bad}"})
        assert_refused(response, f"{typed[name]}{bad}", typed[other], what=f"new goal {name}")
    assert count(app, Goal) == 0

    assert person.post("/goals", typed).status_code == 302
    goal_id = only(app, Goal).id
    for name, other in (("title", "why"), ("why", "title")):
        response = person.post(f"/goals/{goal_id}/edit", {**typed, name: f"Sleep{bad}"})
        assert_refused(response, f"Sleep{bad}", typed[other], what=f"goal edit {name}")
    assert (only(app, Goal).title, only(app, Goal).why) == ("Feel calmer", "for the kids")

    step_typed = {"title": "Breathe", "pairing": "with tea", "weekly_target": "3"}
    for name, other in (("title", "pairing"), ("pairing", "title")):
        form = {**step_typed, name: f"{step_typed[name]}{bad}"}
        response = person.post(f"/goals/{goal_id}/steps", form)
        assert_refused(response, form[name], step_typed[other], what=f"new step {name}")
    assert count(app, Step) == 0

    assert person.post(f"/goals/{goal_id}/steps", step_typed).status_code == 302
    step_id = only(app, Step).id
    for name, other in (("title", "pairing"), ("pairing", "title")):
        form = {**step_typed, name: f"Walk{bad}"}
        response = person.post(f"/steps/{step_id}/edit", form)
        assert_refused(response, form[name], step_typed[other], what=f"step edit {name}")
    assert (only(app, Step).title, only(app, Step).pairing) == ("Breathe", "with tea")


@pytest.mark.parametrize("bad", IN_FORMS)
def test_settings_sign_in_and_sign_up_refuse_text_that_cant_be_saved(app, person, bad):
    settings = {"display_name": f"River{bad}", "timezone": "Europe/Lisbon", "week_start": "0"}
    settings.update(grace="2", day_start="0")
    response = person.post("/settings", settings)
    assert_refused(response, f"River{bad}", "Europe/Lisbon", what="settings")
    saved = only(app, User)
    assert (saved.display_name, saved.timezone, saved.grace) == ("", "Europe/Amsterdam", 1)

    stranger = Person(app.test_client(), f"sea{bad}@example.com")
    response = stranger.log_in()
    # The email is refused before the sign-in throttle reads or writes anything with it.
    assert_refused(response, stranger.email, what="login")
    assert count(app, LoginFailure) == 0

    response = stranger.sign_up()
    assert_refused(response, stranger.email, what="signup")
    assert count(app, User) == 1


def test_a_password_is_never_echoed_back_even_when_refused(app, client):
    stranger = Person(client, "sea@example.com", password=f"a calm{NONCHARACTER} password")
    response = stranger.sign_up()

    assert response.status_code == 400
    assert UNSTORABLE in html.unescape(response.get_data(as_text=True))
    assert "a calm" not in response.get_data(as_text=True)
    assert count(app, User) == 0


def device_keys() -> dict[str, str]:
    """Return the keys a browser's subscription carries, valid for the server's checks."""
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {"p256dh": encode_base64url(point), "auth": encode_base64url(b"0123456789abcdef")}


@pytest.mark.parametrize("bad", IN_JSON)
def test_json_text_that_cant_be_saved_is_refused_with_the_field_named(app, person, bad):
    keys = device_keys()
    plan = person.api("GET", "/api/v1/nudges").get_json()
    cases = [
        ("PUT", "/api/v1/settings", {"display_name": f"River{bad}", "grace": 2}, "display_name"),
        ("DELETE", "/api/v1/push/subscriptions", {"endpoint": f"{FCM}{bad}"}, "endpoint"),
        (
            "POST",
            "/api/v1/push/subscriptions",
            {"endpoint": f"{FCM}{bad}", "keys": keys},
            "endpoint",
        ),
        (
            "POST",
            "/api/v1/push/subscriptions",
            {"endpoint": FCM, "keys": {**keys, "auth": f"{keys['auth']}{bad}"}},
            "keys.auth",
        ),
        ("PUT", "/api/v1/nudges", {"times": ["08:30", f"09:00{bad}"]}, "times[1]"),
        ("POST", "/api/v1/sync", {"since": f"cursor{bad}", "changes": []}, "since"),
    ]
    for method, url, body, where in cases:
        response = person.api(method, url, json=body)

        assert response.status_code == 400, (method, url, response.status_code)
        assert response.get_json() == {"error": "invalid text", "detail": {where: UNSTORABLE}}

    settings = person.api("GET", "/api/v1/settings").get_json()
    assert (settings["display_name"], settings["grace"]) == ("", 1)
    assert count(app, PushSubscription) == 0
    assert person.api("GET", "/api/v1/nudges").get_json() == plan


def with_data(change: dict, **data) -> dict:
    return {**change, "data": {**change["data"], **data}}


@pytest.mark.parametrize("bad", IN_JSON)
def test_a_synced_record_with_such_text_is_rejected_and_the_rest_of_the_batch_applies(
    app, person, bad
):
    goal_id = new_id()
    batch = [
        goal(goal_id),
        goal(title=f"Sleep{bad}"),
        with_data(goal(), why=f"rest{bad}"),
        step(goal_id, title=f"Walk{bad}"),
        with_data(step(goal_id), pairing=f"tea{bad}"),
        win(text=f"Rested{bad}"),
        win(note=f"bus stop{bad}"),
        win(text="Drank water"),
    ]

    answer = sync(person, batch)

    assert statuses(answer) == ["applied"] + ["rejected"] * 6 + ["applied"]
    messages = [result["message"] for result in answer["results"][1:-1]]
    fields = ["title", "why", "title", "pairing", "text", "note"]
    assert messages == [f"{field}: {UNSTORABLE}" for field in fields]
    assert (count(app, Goal), count(app, Step), count(app, Win)) == (1, 0, 1)
    assert only(app, Win).text == "Drank water"


@pytest.mark.parametrize("bad", IN_JSON)
def test_an_import_rejects_such_text_part_by_part_and_keeps_the_rest(app, person, bad):
    good_goal, good_win = goal(title="Feel calmer"), win(text="Drank water")
    export = {
        "format": "smallsteps-export",
        "version": 1,
        "settings": {"display_name": f"River{bad}", "grace": 2},
        "nudges": {"enabled": False, "times": [f"08:30{bad}"]},
        "goals": [goal(title=f"Sleep{bad}"), good_goal],
        "wins": [win(text=f"Rested{bad}"), good_win, {"type": "win", "id": f"id{bad}"}],
    }

    response = person.api("POST", "/api/v1/import", json=export)

    assert response.status_code == 200
    report = response.get_json()
    assert report["settings"] == {
        "status": "rejected",
        "message": f"display_name: {UNSTORABLE}",
    }
    assert report["nudges"] == {"status": "rejected", "message": f"times[0]: {UNSTORABLE}"}
    assert report["counts"] == {"applied": 2, "unchanged": 0, "stale": 0, "rejected": 3}
    assert [item["id"] for item in report["rejected"]][-1] == f"id{SHOWN_AS}"
    settings = person.api("GET", "/api/v1/settings").get_json()
    assert (settings["display_name"], settings["grace"]) == ("", 1)
    assert only(app, Goal).title == "Feel calmer" and only(app, Win).text == "Drank water"

    # The same file through the settings page: a report on the page, never a 500.
    upload = io.BytesIO(json.dumps(export).encode())
    page = person.post(
        "/settings/import",
        {"file": (upload, "smallsteps.json")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    assert f"display_name: {UNSTORABLE}" in text and f"(id{SHOWN_AS})" in text
    assert (count(app, Goal), count(app, Win)) == (1, 1)


def test_a_nul_in_a_query_string_is_never_a_server_error(app, person):
    win_id = str(uuid.uuid4())
    for url in (
        "/api/v1/summary?as_of=2026-01-01%00",
        "/api/v1/summary?as_of=%EF%BF%BF",
        "/login?next=/goals%00",
        f"/wins/{win_id}%00/edit",
        "/goals/%00",
        "/?next=%00",
    ):
        response = person.client.get(url)
        assert response.status_code < 500, url

    person.log_out()
    assert person.client.get("/settings?next=%00").status_code == 302
    signed_in = person.post("/login?next=/goals%00", {"email": person.email, "password": PASSWORD})
    assert signed_in.status_code == 302
