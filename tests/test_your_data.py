"""Your data: everything out as JSON and CSV, and an export brought back in, safely."""

import csv
import io
import json
import uuid

from sqlalchemy import func, select

from smallsteps.extensions import db
from smallsteps.models import Goal, Step, User, Win
from tests.conftest import Person, csrf_token
from tests.test_sync import goal, new_id, statuses, step, sync, win

EXPORT = "/api/v1/export"
IMPORT = "/api/v1/import"
SETTINGS = "/api/v1/settings"
NUDGES = "/api/v1/nudges"


def export(person) -> dict:
    response = person.api("GET", EXPORT)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def import_(person, body, **kwargs):
    return person.api("POST", IMPORT, json=body, **kwargs)


def everything(person) -> list[dict]:
    """Return every record the server holds for the person, as a fresh device would pull it."""
    changes = sync(person)["changes"]
    return sorted(changes, key=lambda change: change["id"])


def a_life(person) -> dict:
    """Give the person a goal, a ladder, wins (one deleted) and their own settings and plan."""
    goal_id, step_id, smaller_id = new_id(), new_id(), new_id()
    kept, deleted = new_id(), new_id()
    batch = [
        goal(goal_id, title="Feel calmer"),
        step(goal_id, step_id, title="Breathe for two minutes"),
        step(goal_id, smaller_id, title="One deep breath", parent=step_id),
        win(kept, text="Paused before reacting", step_id=smaller_id, note="at the bus stop"),
        win(deleted, text="Said no without guilt"),
        win(deleted, text="Said no without guilt", minutes=5, deleted=True),
    ]
    assert set(statuses(sync(person, batch))) == {"applied"}
    person.log_win("Asked for help")
    assert (
        person.api("PUT", SETTINGS, json={"grace": 2, "display_name": "River"}).status_code == 200
    )
    plan = {"enabled": True, "times": ["08:30"], "quiet_hours": None}
    assert person.api("PUT", NUDGES, json=plan).status_code == 200
    return {"goal": goal_id, "step": step_id, "smaller": smaller_id, "win": kept}


def counts(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def change_seq(app, email) -> int:
    with app.app_context():
        return db.session.scalar(select(User.change_seq).where(User.email == email))


def test_the_export_holds_every_record_tombstones_settings_and_plan(person):
    a_life(person)

    response = person.api("GET", EXPORT)
    body = response.get_json()

    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    assert (body["format"], body["version"]) == ("smallsteps-export", 1)
    records = sorted(body["goals"] + body["steps"] + body["wins"], key=lambda r: r["id"])
    assert records == everything(person)
    assert [r["type"] for r in body["goals"]] == ["goal"]
    assert len(body["steps"]) == 2 and len(body["wins"]) == 3
    assert [r["data"]["text"] for r in body["wins"] if r["deleted"]] == ["Said no without guilt"]
    assert body["settings"] == person.api("GET", SETTINGS).get_json()
    assert body["settings"]["grace"] == 2
    assert body["nudges"] == person.api("GET", NUDGES).get_json()
    assert body["nudges"]["times"] == ["08:30"]
    assert body["account"]["email"] == person.email


def test_leaving_and_coming_back_with_the_export_restores_everything(app, client):
    person = Person(client, "river@example.com")
    person.sign_up()
    a_life(person)
    saved = export(person)
    before = everything(person)
    deleted = person.post("/settings/delete", {"password": person.password})
    assert deleted.status_code == 302
    assert counts(app, Win) == 0

    person.sign_up(time_zone="Asia/Tokyo")
    report = import_(person, saved).get_json()

    assert report["counts"] == {"applied": 6, "unchanged": 0, "stale": 0, "rejected": 0}
    assert report["wins"]["applied"] == 3 and report["steps"]["applied"] == 2
    assert report["settings"] == {"status": "applied"}
    assert report["nudges"] == {"status": "applied"}
    assert everything(person) == before
    settings = person.api("GET", SETTINGS).get_json()
    assert settings == saved["settings"]
    assert person.api("GET", NUDGES).get_json() == saved["nudges"]


def test_importing_the_same_export_twice_changes_nothing(app, person):
    a_life(person)
    saved = export(person)
    seq = change_seq(app, person.email)

    first = import_(person, saved).get_json()
    second = import_(person, saved).get_json()

    for report in (first, second):
        assert report["counts"] == {"applied": 0, "unchanged": 6, "stale": 0, "rejected": 0}
        assert report["settings"] == report["nudges"] == {"status": "unchanged"}
    assert change_seq(app, person.email) == seq
    assert counts(app, Win) == 3


def test_an_import_merges_by_id_and_the_newer_version_stays(app, person):
    ids = a_life(person)
    saved = export(person)
    edited = win(ids["win"], text="Paused, breathed, then answered", minutes=60)
    gone = goal(ids["goal"], minutes=60)
    gone["deleted"] = True
    assert statuses(sync(person, [edited, gone])) == ["applied", "applied"]
    brand_new = win(text="Walked round the block")
    saved["wins"].append(brand_new)

    report = import_(person, saved).get_json()

    assert report["counts"] == {"applied": 1, "unchanged": 4, "stale": 2, "rejected": 0}
    assert report["wins"] == {"applied": 1, "unchanged": 2, "stale": 1, "rejected": 0}
    assert report["goals"]["stale"] == 1
    texts = {r["data"]["text"] for r in everything(person) if r["type"] == "win"}
    assert "Paused, breathed, then answered" in texts
    assert "Walked round the block" in texts
    assert counts(app, Goal, deleted_at=None) == 0


def test_a_step_removed_with_its_bigger_step_comes_back_and_keeps_its_wins(app, client):
    person = Person(client, "river@example.com")
    person.sign_up()
    ids = a_life(person)
    assert person.post(f"/steps/{ids['step']}/delete").status_code == 302
    saved = export(person)
    person.post("/settings/delete", {"password": person.password})
    person.sign_up()

    report = import_(person, saved).get_json()

    assert report["rejected"] == []
    with app.app_context():
        kept = db.session.get(Win, uuid.UUID(ids["win"]))
        assert kept.step_id == uuid.UUID(ids["smaller"]) and kept.deleted_at is None
        assert db.session.get(Step, uuid.UUID(ids["smaller"])).deleted_at is not None


def test_another_persons_export_is_refused_record_by_record_and_reveals_nothing(
    app, person, other_person
):
    a_life(person)
    saved = export(person)
    before = everything(person)
    made_up = win(str(uuid.uuid4()), step_id=str(uuid.uuid4()))

    response = import_(other_person, {**saved, "wins": saved["wins"] + [made_up]})
    report = response.get_json()

    assert response.status_code == 200
    assert report["counts"]["rejected"] == 7 and report["counts"]["applied"] == 0
    messages = {item["id"]: item["message"] for item in report["rejected"]}
    assert len(set(messages.values()) - {messages[made_up["id"]]}) == 1
    body = response.get_data(as_text=True)
    for secret in ("Feel calmer", "Paused before reacting", "bus stop", "River"):
        assert secret not in body
    assert everything(person) == before
    assert everything(other_person) == []


def test_import_refuses_what_is_not_an_export_with_a_clear_4xx(person):
    saved = export(person)
    cases = [
        ({"data": "not json", "content_type": "text/plain"}, 415),
        ({"data": "{not json", "content_type": "application/json"}, 400),
        ({"json": [saved]}, 400),
        ({"json": "smallsteps-export"}, 400),
        ({"data": "[" * 100_000, "content_type": "application/json"}, 400),
        ({"json": {**saved, "format": "another-app"}}, 400),
        ({"json": {key: v for key, v in saved.items() if key != "format"}}, 400),
        ({"json": {**saved, "version": 2}}, 400),
        ({"json": {**saved, "version": True}}, 400),
        ({"json": {**saved, "wins": {"a": 1}}}, 400),
        ({"json": {**saved, "goals": "none"}}, 400),
        ({"json": {**saved, "wins": [{}] * 20_001}}, 413),
        ({"data": " " * (10 * 1024 * 1024 + 1), "content_type": "application/json"}, 413),
    ]
    for kwargs, status in cases:
        response = person.api("POST", IMPORT, **kwargs)
        assert response.status_code == status, (kwargs.get("json", "")[:1], response.json)
        assert set(response.get_json()) == {"error", "detail"}


def test_one_bad_record_or_part_never_sinks_the_import(app, person):
    good = win(text="Drank a glass of water")
    body = {
        "format": "smallsteps-export",
        "version": 1,
        "settings": {"timezone": "Mars/Olympus", "grace": 2},
        "nudges": "every hour",
        "goals": [None, "goal", {"type": "goal", "id": "not-a-uuid"}],
        "wins": [good, {"type": "win", "id": new_id()}, [1, 2], {"type": "win", "id": 7}],
    }

    report = import_(person, body).get_json()

    assert report["counts"] == {"applied": 1, "unchanged": 0, "stale": 0, "rejected": 6}
    assert report["settings"]["status"] == "rejected"
    assert "timezone" in report["settings"]["message"]
    assert report["nudges"]["status"] == "rejected"
    assert [item["id"] for item in report["rejected"]].count(None) == 4
    assert person.api("GET", SETTINGS).get_json()["grace"] == 1
    assert counts(app, Win) == 1


def test_signed_out_import_and_export_get_401_json(client):
    stranger = Person(client, "nobody@example.com")
    for method, url in (("GET", EXPORT), ("POST", IMPORT)):
        response = stranger.api(method, url, json={"format": "smallsteps-export", "version": 1})
        assert response.status_code == 401
        assert response.get_json()["error"] == "sign in first"


def test_the_wins_csv_is_escaped_utf8_and_safe_in_a_spreadsheet(person):
    goal_id, step_id = new_id(), new_id()
    tricky = [
        win(text='=HYPERLINK("http://evil","click")', occurred_at="2026-01-10T23:30:00+09:00"),
        win(text="+1 for me", note="-2 worries, @home", occurred_at="2026-01-10T08:05:00-03:30"),
        win(text='Said "no", kindly', note="line one\nline two", step_id=step_id, energy="low"),
        win(text="Café ☕ with Zoë 🌱", occurred_at="2026-01-09T07:00:00+00:00"),
        win(text="Deleted one", deleted=True),
    ]
    batch = [goal(goal_id, title="@work calm"), step(goal_id, step_id, title="Say no")] + tricky
    sync(person, batch)

    response = person.client.get("/export.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Disposition"].endswith('-wins.csv"')
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["date", "time", "utc_offset", "text", "step", "goal", "energy", "note"]
    by_text = {row[3]: row for row in rows[1:]}
    assert len(rows) == 5 and "Deleted one" not in by_text
    assert by_text['\'=HYPERLINK("http://evil","click")'][:3] == [
        "2026-01-10",
        "23:30",
        "UTC+09:00",
    ]
    plus = by_text["'+1 for me"]
    assert plus[2] == "UTC-03:30" and plus[7] == "'-2 worries, @home"
    quoted = by_text['Said "no", kindly']
    assert quoted[4:8] == ["Say no", "'@work calm", "low", "line one\nline two"]
    assert rows[1][3] == "Café ☕ with Zoë 🌱"  # oldest first
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_the_csv_needs_signing_in(client):
    response = client.get("/export.csv")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_settings_page_offers_your_data_and_imports_without_javascript(person):
    a_life(person)
    saved = json.dumps(export(person)).encode()

    page = person.client.get("/settings").get_data(as_text=True)
    imported = person.post(
        "/settings/import",
        {"file": (io.BytesIO(saved), "smallsteps.json")},
        content_type="multipart/form-data",
    )
    not_json = person.post(
        "/settings/import",
        {"file": (io.BytesIO(b"\x89PNG..."), "photo.png")},
        content_type="multipart/form-data",
    )
    no_file = person.post("/settings/import", {}, content_type="multipart/form-data")

    assert 'id="your-data"' in page
    assert 'href="/api/v1/export"' in page and 'href="/export.csv"' in page
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page
    assert imported.status_code == 200
    report = imported.get_data(as_text=True)
    assert "Import done." in report
    assert "Wins: 3 already here." in report
    assert not_json.status_code == 400
    assert "isn&#39;t a Small Steps export" in not_json.get_data(as_text=True)
    assert no_file.status_code == 400


def test_an_upload_from_another_person_is_reported_on_the_page(person, other_person):
    a_life(person)
    saved = json.dumps(export(person)).encode()

    page = other_person.post(
        "/settings/import",
        {"file": (io.BytesIO(saved), "theirs.json")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)

    assert "Wins: 3 couldn&#39;t be used." in page
    assert "Paused before reacting" not in page


def test_an_export_larger_than_other_requests_still_comes_back(person):
    saved = export(person)
    padded = json.dumps(saved) + " " * (3 * 1024 * 1024)  # past the 2 MiB other requests get

    response = person.api("POST", IMPORT, data=padded, content_type="application/json")

    assert response.status_code == 200
    assert response.get_json()["settings"] == {"status": "unchanged"}


def test_an_upload_past_the_limit_is_refused_on_the_page(person):
    # Built by hand: the test client would spool a body this size to a file it never closes.
    token = csrf_token(person.client)
    parts = [
        b"--cut\r\nContent-Disposition: form-data; name=csrf_token\r\n\r\n" + token.encode(),
        b'--cut\r\nContent-Disposition: form-data; name=file; filename="big.json"\r\n\r\n'
        + b" " * (10 * 1024 * 1024 + 1),
        b"--cut--\r\n",
    ]
    body = b"\r\n".join(parts)

    response = person.client.post(
        "/settings/import", data=body, content_type="multipart/form-data; boundary=cut"
    )

    assert response.status_code == 413
    assert "larger than 10 MiB" in response.get_data(as_text=True)
