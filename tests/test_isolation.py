"""Isolation, route by route: a second person aimed at the first person's ids finds nothing.

The routes come from the app's URL map, so a route added later is walked too, and one
with a path variable this test can't fill fails it until the test learns that kind of id.
"""

import re
import uuid

import pytest
from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import Goal, User
from tests.conftest import Person, app_on
from tests.nudges.push_service import Device
from tests.test_sync import goal, new_id, step, win

# Words only the first person ever wrote: none may reach the second person.
SECRETS = {
    "goal": "Quit drinking for Lotte",
    "why": "Because of the night in Ghent",
    "step": "Call Marjan on Tuesdays",
    "pairing": "with the blue mug",
    "smaller": "Open the contacts app",
    "win": "Poured the bottle away",
    "note": "hands were shaking",
    "name": "Rivka Tamsin",
    "endpoint": "river-phone-9f8e7d6c",
    "email": "river@example.com",
    "share": "Dr. Okonkwo-Lindqvist",
    "reflection": "I stopped hiding the empties",
}
FCM = "https://fcm.googleapis.com/fcm/send/" + SECRETS["endpoint"]
TAKEN_OVER = "Taken over"


@pytest.fixture
def app(nudged_app):
    """Return the app with nudges set up, so every endpoint can answer."""
    return nudged_app


def first_persons_life(app) -> tuple[Person, dict]:
    """Sign up the first person with a goal, a ladder, a win, a device and a plan."""
    first = Person(app.test_client(), SECRETS["email"])
    assert first.sign_up().status_code == 302
    ids = {"goal": new_id(), "step": new_id(), "smaller": new_id(), "win": new_id()}
    their_goal = goal(ids["goal"], title=SECRETS["goal"])
    their_goal["data"]["why"] = SECRETS["why"]
    big = step(ids["goal"], ids["step"], title=SECRETS["step"])
    big["data"]["pairing"] = SECRETS["pairing"]
    batch = [
        their_goal,
        big,
        step(ids["goal"], ids["smaller"], title=SECRETS["smaller"], parent=ids["step"]),
        win(ids["win"], text=SECRETS["win"], note=SECRETS["note"], step_id=ids["smaller"]),
    ]
    answer = first.api("POST", "/api/v1/sync", json={"since": None, "changes": batch}).json
    assert {result["status"] for result in answer["results"]} == {"applied"}
    first.api("PUT", "/api/v1/settings", json={"display_name": SECRETS["name"]})
    first.api("PUT", "/api/v1/nudges", json={"enabled": True, "times": ["07:00"]})
    phone = Device("")
    phone.endpoint = FCM
    device = first.api("POST", "/api/v1/push/subscriptions", json=phone.subscription())
    assert device.status_code == 201
    ids["device"] = device.json["id"]
    shared = {"name": SECRETS["share"], "goal_ids": [ids["goal"]], "include_notes": True}
    made = first.api("POST", "/api/v1/shares", json=shared)
    assert made.status_code == 201
    ids["share"] = made.json["id"]
    first.client.get(made.json["url"])  # a look, logged
    ids["week"] = first.client.get("/reflect").headers["Location"].rsplit("/", 1)[1]
    assert (
        first.post(f"/reflect/{ids['week']}", {"shifted": SECRETS["reflection"]}).status_code == 302
    )
    return first, ids


def rows_of(app, email: str) -> dict:
    """Return every row that belongs to a person, table by table."""
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        rows = {}
        for table in db.metadata.sorted_tables:
            column = table.c.get("user_id") if table.name != "users" else table.c.id
            if column is None:
                continue
            found = db.session.execute(select(table).where(column == user_id)).all()
            rows[table.name] = sorted((tuple(row) for row in found), key=repr)
        return rows


# How to fill each path variable with one of the first person's ids (or a public value).
FILL = {
    "goal_id": lambda ids: ids["goal"],
    "step_id": lambda ids: ids["step"],
    "win_id": lambda ids: ids["win"],
    "device_id": lambda ids: str(ids["device"]),
    "filename": lambda ids: "css/app.css",  # static files are the same for everyone
    "version": lambda ids: "0123456789abcdef",  # …in every version (this one is not found)
    # A reset link's token is its secret, like a device's endpoint: the walk has none.
    "token": lambda ids: "not-a-reset-link",
    "day": lambda ids: "2000-01-01",  # a low-capacity day is the walker's own
    "share_id": lambda ids: ids["share"],
    "week": lambda ids: ids["week"],  # the walker's own week: the same dates, their own words
    "language": lambda ids: "es",  # the JavaScript's words are the same for everyone
}
PERSONAL = {"goal_id", "step_id", "win_id", "device_id", "share_id"}
# Every field a form of this app has, aimed at the first person's records where it names one.
FORM = {
    "title": TAKEN_OVER,
    "text": TAKEN_OVER,
    "why": "",
    "note": "",
    "pairing": "",
    "energy": "",
    "weekly_target": "",
}


def json_bodies(first: Person, ids: dict, endpoint: str) -> dict[tuple[str, str], object]:
    """Return the API bodies that name the first person's records, by route and method."""
    theirs = first.api("GET", "/api/v1/export").json
    records = {kind: theirs[kind] for kind in ("goals", "steps", "wins")}
    edit = win(ids["win"], text=TAKEN_OVER, minutes=90)
    delete_goal = {**goal(ids["goal"], minutes=90), "deleted": True}
    changes = [
        edit,
        delete_goal,
        step(ids["goal"], ids["step"], title=TAKEN_OVER, minutes=90),
        step(ids["goal"], title=TAKEN_OVER),
        step(new_id(), title=TAKEN_OVER, parent=ids["step"]),
        win(text=TAKEN_OVER, step_id=ids["smaller"]),
    ]
    mine = Device("")
    mine.endpoint = "https://fcm.googleapis.com/fcm/send/sky-phone"
    return {
        ("/api/v1/sync", "POST"): {"since": None, "changes": changes},
        ("/api/v1/import", "POST"): {"format": "smallsteps-export", "version": 1, **records},
        ("/api/v1/push/subscriptions", "DELETE"): {"endpoint": endpoint},
        # Knowing a device's endpoint is knowing its secret; the second person sends their own.
        ("/api/v1/push/subscriptions", "POST"): mine.subscription(),
        ("/api/v1/settings", "PUT"): {"display_name": "Sky"},
        ("/api/v1/nudges", "PUT"): {"enabled": False},
        ("/api/v1/days/<day>", "PUT"): {"low_capacity": True},
        ("/api/v1/shares", "POST"): {"name": "Sky's friend", "goal_ids": [ids["goal"]]},
    }


def fill(rule, ids: dict) -> str:
    """Return the rule's path with every variable filled, or fail on one this test can't fill."""
    unknown = rule.arguments - FILL.keys()
    if unknown:
        pytest.fail(f"{rule.rule}: teach this test which of the first person's ids {unknown} is")
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", FILL[name](ids), path)
    return path


def walk(app):
    """Yield every rule and method of the app, signing out last."""
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule == "/logout", rule.rule))
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def walk_as_a_second_person(app) -> None:
    """Aim a second person at every route with the first person's ids; fail on any leak."""
    first, ids = first_persons_life(app)
    second = Person(app.test_client(), "sky@example.com")
    assert second.sign_up().status_code == 302
    bodies = json_bodies(first, ids, FCM)
    before = rows_of(app, SECRETS["email"])
    walked = set()
    own_goal = second.post("/goals", {**FORM, "title": "Sleep better"}).headers["Location"]
    smaller_under_theirs = second.post(f"{own_goal}/steps", {**FORM, "parent_step_id": ids["step"]})
    assert smaller_under_theirs.status_code == 404

    for rule, method in walk(app):
        path = fill(rule, ids)
        if method == "GET" and rule.arguments & PERSONAL:
            # The ids are right: the first person reaches each of these.
            assert first.client.get(path).status_code == 200, path
        if rule.rule.startswith("/api/"):
            body = bodies.get((rule.rule, method), {})
            response = second.api(method, path, json=body if method != "GET" else None)
        elif method == "GET":
            response = second.client.get(path)
        else:
            response = second.post(path, {**FORM, "step_id": ids["step"]})
        walked.add((rule.rule, method))
        text = response.get_data(as_text=True)
        response.close()

        assert response.status_code < 500, (method, path, text[:300])
        for secret in SECRETS.values():
            assert secret not in text, (method, path, secret)
        if rule.arguments & PERSONAL:
            assert response.status_code in (403, 404), (method, path, response.status_code)
        if (rule.rule, method) == ("/api/v1/sync", "POST"):
            assert [result["status"] for result in response.json["results"]] == ["rejected"] * 6
        if (rule.rule, method) == ("/api/v1/import", "POST"):
            assert response.json["counts"] == {
                "applied": 0,
                "unchanged": 0,
                "stale": 0,
                "rejected": 4,
            }
        if (rule.rule, method) == ("/api/v1/push/subscriptions", "DELETE"):
            assert response.status_code == 404
        if (rule.rule, method) == ("/api/v1/shares", "POST"):
            assert response.status_code == 400  # a share of someone else's goal

    assert rows_of(app, SECRETS["email"]) == before
    assert ("/api/v1/sync", "POST") in walked and ("/wins/<win_id>/edit", "POST") in walked
    assert not references(app, "sky@example.com", ids)


def references(app, email: str, ids: dict) -> list:
    """Return the second person's rows that point at one of the first person's records."""
    # A device's number and a week's date are no one's own: the walker has the same.
    theirs = {value for key, value in ids.items() if key not in ("device", "week")}
    return [
        (table, row)
        for table, rows in rows_of(app, email).items()
        for row in rows
        if any(str(value) in theirs for value in row)
    ]


def test_a_second_person_never_reaches_the_first_persons_records(app):
    walk_as_a_second_person(app)


@pytest.fixture
def app_of_its_own(database_url, tmp_path):
    """Return an app nobody else uses, for a test that adds a route to it."""
    from tests.nudges.nudged_app import vapid_pem

    with app_on(database_url, tmp_path / "instance", VAPID_PRIVATE_KEY=vapid_pem()) as app:
        yield app


def test_a_route_that_shows_anyones_goal_is_caught(app_of_its_own):
    app = app_of_its_own

    def peek(goal_id):
        return db.session.get(Goal, uuid.UUID(goal_id)).title

    app.add_url_rule("/goals/<goal_id>/peek", "goals.peek", peek)

    with pytest.raises(AssertionError, match="peek"):
        walk_as_a_second_person(app)


def test_a_route_with_a_variable_nobody_taught_the_walk_fails_it(app_of_its_own):
    app = app_of_its_own
    app.add_url_rule("/journals/<journal_id>", "journals.show", lambda journal_id: "")

    with pytest.raises(pytest.fail.Exception, match="journal_id"):
        walk_as_a_second_person(app)
