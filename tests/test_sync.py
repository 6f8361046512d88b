import json
import threading
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from smallsteps.extensions import db
from smallsteps.models import Goal, Step, Win
from tests.conftest import Person, app_on, csrf_token, empty_postgres

SYNC = "/api/v1/sync"


def new_id() -> str:
    return str(uuid.uuid4())


def stamp(minutes: int = 0) -> str:
    """Return an updated_at a few minutes from a fixed recent moment."""
    moment = datetime(2026, 1, 10, 12, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def win(win_id=None, text="Paused before reacting", minutes=0, deleted=False, **data):
    fields = {
        "text": text,
        "occurred_at": "2026-01-10T23:30:00+09:00",
        "step_id": None,
        "energy": "low",
        "note": "",
        **data,
    }
    return {
        "type": "win",
        "id": win_id or new_id(),
        "updated_at": stamp(minutes),
        "deleted": deleted,
        "data": fields,
    }


def goal(goal_id=None, title="Feel calmer", minutes=0):
    data = {"title": title, "why": ""}
    return {"type": "goal", "id": goal_id or new_id(), "updated_at": stamp(minutes), "data": data}


def step(goal_id, step_id=None, title="Breathe", parent=None, minutes=0):
    data = {"title": title, "goal_id": goal_id, "parent_step_id": parent}
    data.update(weekly_target=3, pairing="")
    return {"type": "step", "id": step_id or new_id(), "updated_at": stamp(minutes), "data": data}


def sync(person, changes=(), since=None, **kwargs):
    response = person.api("POST", SYNC, json={"since": since, "changes": list(changes)}, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def statuses(answer) -> list[str]:
    return [result["status"] for result in answer["results"]]


def count(app, model, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model).filter_by(**where)
        return db.session.scalar(query)


def stored_win(app, win_id) -> Win:
    with app.app_context():
        return db.session.get(Win, uuid.UUID(win_id))


def test_a_batch_replayed_three_times_creates_nothing_twice(app, person):
    goal_id, step_id = new_id(), new_id()
    batch = [goal(goal_id), step(goal_id, step_id), win(step_id=step_id), win(text="Asked")]
    assert statuses(sync(person, batch)) == ["applied"] * 4
    for _ in range(3):
        assert statuses(sync(person, batch)) == ["unchanged"] * 4
    assert (count(app, Goal), count(app, Step), count(app, Win)) == (1, 1, 2)


def test_a_batch_whose_answer_was_lost_is_kept_once_when_sent_again(app, person):
    first = sync(person)
    batch = [win(text="Showed up anyway")]
    sync(person, batch, since=first["cursor"])  # the phone never heard this answer
    again = sync(person, batch, since=first["cursor"])
    assert statuses(again) == ["unchanged"]
    assert [change["data"]["text"] for change in again["changes"]] == ["Showed up anyway"]
    assert count(app, Win) == 1


def test_the_later_edit_wins_whichever_arrives_first(app, person, other_device):
    win_id = new_id()
    sync(person, [win(win_id, "First words", minutes=0)])
    assert statuses(sync(person, [win(win_id, "Phone edit", minutes=5)])) == ["applied"]
    assert statuses(sync(other_device, [win(win_id, "Laptop edit", minutes=3)])) == ["stale"]
    assert stored_win(app, win_id).text == "Phone edit"


def test_an_older_edit_cannot_resurrect_a_deleted_win(app, person, other_device):
    win_id = new_id()
    sync(person, [win(win_id, "Paused", minutes=0)])
    assert statuses(sync(person, [win(win_id, "Paused", minutes=10, deleted=True)])) == ["applied"]
    offline_edit = win(win_id, "Paused, then breathed", minutes=5)
    assert statuses(sync(other_device, [offline_edit])) == ["stale"]
    kept = stored_win(app, win_id)
    assert kept.is_deleted and kept.text == "Paused"
    (change,) = sync(other_device)["changes"]
    assert change["deleted"] is True and change["data"]["text"] == "Paused"


def test_a_delete_reaches_other_devices_as_a_tombstone(person, other_device):
    win_id = new_id()
    cursor = sync(other_device, [win(win_id)])["cursor"]
    sync(person, [win(win_id, minutes=1, deleted=True)])
    (change,) = sync(other_device, since=cursor)["changes"]
    assert (change["id"], change["deleted"]) == (win_id, True)


def test_another_persons_id_is_rejected_without_revealing_it(app, person, other_person):
    their_goal, their_win = new_id(), new_id()
    sync(other_person, [goal(their_goal, "Their private goal"), win(their_win, "Their secret")])
    answer = sync(
        person,
        [
            win(their_win, "Overwrite", minutes=9),
            win(their_win, minutes=9, deleted=True),
            goal(their_goal, "Mine now", minutes=9),
            step(their_goal),
            step(new_id()),
        ],
    )
    rejected = answer["results"]
    assert [result["status"] for result in rejected] == ["rejected"] * 5
    assert rejected[0]["message"] == rejected[1]["message"] == rejected[2]["message"]
    # Someone else's goal and a goal that does not exist get the same words.
    assert rejected[3]["message"] == rejected[4]["message"]
    body = json.dumps(answer)
    assert "Their" not in body and answer["changes"] == []
    assert stored_win(app, their_win).text == "Their secret"
    assert not stored_win(app, their_win).is_deleted


def test_one_bad_record_does_not_sink_the_batch(app, person):
    far_ahead = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    answer = sync(
        person,
        [
            win(text="Kept"),
            win(text="x" * 281),
            win(text="   "),
            win(occurred_at="2026-01-10T23:30:00"),
            win(occurred_at="1999-12-31T23:59:00+00:00"),
            win(occurred_at=far_ahead),
            win(energy="exhausted"),
            {"type": "win", "id": "not-a-uuid", "updated_at": stamp(), "data": {}},
            {"type": "win", "id": new_id(), "updated_at": "2026-01-10T12:00:00", "data": {}},
            "just a string",
            win(text="Also kept"),
        ],
    )
    results = answer["results"]
    assert [r["status"] for r in results] == ["applied"] + ["rejected"] * 9 + ["applied"]
    assert all(r["message"] for r in results[1:10])
    assert "UTC offset" in results[3]["message"]
    assert sorted(c["data"]["text"] for c in answer["changes"]) == ["Also kept", "Kept"]
    assert count(app, Win) == 2


def test_a_280_character_win_syncs_whole(app, person):
    assert statuses(sync(person, [win(text="b" * 280)])) == ["applied"]
    assert count(app, Win, text="b" * 280) == 1


def test_a_synced_win_shows_on_its_local_day_with_the_persons_day_start(app, person):
    person.api("PUT", "/api/v1/settings", json={"day_start": 3})
    win_id = new_id()
    sync(person, [win(win_id, occurred_at="2026-01-11T01:30:00+09:00")])
    assert stored_win(app, win_id).local_date == date(2026, 1, 10)


def test_changes_made_in_the_pages_are_pulled_by_devices(person):
    cursor = sync(person)["cursor"]
    person.log_win("Logged on the page")
    (change,) = sync(person, since=cursor)["changes"]
    assert change["type"] == "win" and change["data"]["text"] == "Logged on the page"
    assert change["data"]["occurred_at"][-6] in "+-"  # the offset the device saw


def test_a_pull_with_the_newest_cursor_is_empty(person):
    cursor = sync(person, [win(), goal()])["cursor"]
    assert sync(person, since=cursor) == {
        "results": [],
        "changes": [],
        "cursor": cursor,
        "more": False,
    }


def test_steps_and_wins_resolve_against_goals_in_the_same_batch_in_any_order(app, person):
    goal_id, big, small = new_id(), new_id(), new_id()
    batch = [
        win(step_id=small),
        step(goal_id, small, "One slow breath", parent=big),
        step(goal_id, big, "Two-minute breathing"),
        goal(goal_id),
    ]
    assert statuses(sync(person, batch)) == ["applied"] * 4
    assert count(app, Step, parent_step_id=uuid.UUID(big)) == 1


def test_a_step_under_a_deleted_goal_is_rejected_but_a_win_for_a_deleted_step_is_kept(app, person):
    goal_id, step_id = new_id(), new_id()
    sync(person, [goal(goal_id), step(goal_id, step_id)])
    sync(person, [step(goal_id, step_id, minutes=5) | {"deleted": True}])
    sync(person, [goal(goal_id, minutes=5) | {"deleted": True}])
    answer = sync(person, [step(goal_id, minutes=6), win(step_id=step_id, minutes=6)])
    assert statuses(answer) == ["rejected", "applied"]
    assert count(app, Win, step_id=uuid.UUID(step_id)) == 1


def test_a_step_cannot_be_moved_under_another_goal(person):
    first, second, step_id = new_id(), new_id(), new_id()
    sync(person, [goal(first), goal(second), step(first, step_id)])
    answer = sync(person, [step(second, step_id, minutes=1)])
    assert statuses(answer) == ["rejected"]


def test_more_than_500_changes_is_refused_with_413(app, person):
    response = person.api("POST", SYNC, json={"since": None, "changes": [win()] * 501})
    assert response.status_code == 413
    assert response.json["error"] == "too many changes"
    assert count(app, Win) == 0


def test_a_body_over_1_mib_is_refused_with_413(app, person):
    changes = [win(note="n" * 2000) for _ in range(500)]
    response = person.api("POST", SYNC, json={"since": None, "changes": changes})
    assert response.status_code == 413
    assert response.json["error"] == "request too large"
    assert count(app, Win) == 0


def test_500_changes_under_1_mib_are_all_kept(app, person):
    assert statuses(sync(person, [win(text=f"Win {n}") for n in range(500)])) == ["applied"] * 500
    assert count(app, Win) == 500


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", b'"text"', b'{"changes": {}}', b'{"since": 5}', b'{"since": "forged"}'],
)
def test_malformed_bodies_get_a_clear_4xx_json_error(person, body):
    headers = {"X-CSRFToken": csrf_token(person.client), "Content-Type": "application/json"}
    response = person.client.post(SYNC, data=body, headers=headers)
    assert response.status_code == 400
    assert set(response.json) == {"error", "detail"}


def test_sync_needs_a_signed_in_person(client):
    assert client.get("/api/v1/csrf").status_code == 401
    headers = {"X-CSRFToken": csrf_token(client)}
    response = client.post(SYNC, json={"since": None, "changes": [win()]}, headers=headers)
    assert response.status_code == 401
    assert "error" in response.json


def test_sync_without_a_csrf_token_is_refused(app, person):
    response = person.client.post(SYNC, json={"since": None, "changes": [win()]})
    assert response.status_code == 400
    assert count(app, Win) == 0


def test_another_persons_cursor_starts_from_the_top(person, other_person):
    sync(person, [win(text="Mine")])
    their_cursor = sync(other_person, [win(text="Theirs")] * 1)["cursor"]
    changes = sync(person, since=their_cursor)["changes"]
    assert [change["data"]["text"] for change in changes] == ["Mine"]


@pytest.fixture
def other_device(app, person):
    """Return the same person signed in on a second device."""
    device = Person(app.test_client(), person.email)
    assert device.log_in().status_code == 302
    return device


@pytest.fixture
def postgres_app(postgres_database, tmp_path):
    with app_on(postgres_database, tmp_path / "instance") as app:
        yield app
    empty_postgres(postgres_database)


@pytest.mark.postgres
def test_two_devices_syncing_at_once_on_postgresql_never_miss_a_change(postgres_app):
    river = Person(postgres_app.test_client(), "river@example.com")
    river.sign_up()
    devices = [river]
    for _ in range(2):
        device = Person(postgres_app.test_client(), river.email)
        device.log_in()
        devices.append(device)
    seen: list[set[str]] = [set() for _ in devices]
    cursors: list[str | None] = [None for _ in devices]
    done = threading.Event()
    failures: list[BaseException] = []

    def pull(number, changes=()):
        answer = sync(devices[number], changes, since=cursors[number])
        cursors[number] = answer["cursor"]
        seen[number].update(change["id"] for change in answer["changes"])

    def write(number):
        try:
            for round_ in range(15):
                pull(number, [win(text=f"Device {number} round {round_}") for _ in range(3)])
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    def read():
        try:
            for _ in range(200):
                if done.is_set():
                    break
                pull(2)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in (0, 1)]
    threads.append(threading.Thread(target=read))
    for thread in threads:
        thread.start()
    for thread in threads[:2]:
        thread.join(timeout=60)
    done.set()
    threads[2].join(timeout=60)
    assert failures == []
    for number in range(3):
        pull(number)
    with postgres_app.app_context():
        every_win = {str(win_id) for win_id in db.session.scalars(select(Win.id))}
    assert len(every_win) == 90
    assert seen == [every_win, every_win, every_win]
