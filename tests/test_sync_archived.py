"""A goal's `archived` travels through sync like its title: absent means false."""

import uuid

from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import Goal
from tests.test_sync import goal, statuses, sync


def archived_goal(goal_id, archived, minutes):
    """Return a goal change that archives it, or brings it back."""
    change = goal(goal_id, minutes=minutes)
    change["data"]["archived"] = archived
    return change


def archived_at(app, goal_id):
    with app.app_context():
        return db.session.scalar(select(Goal.archived_at).where(Goal.id == uuid.UUID(goal_id)))


def test_a_goal_archived_on_a_device_is_archived_and_pulled_so(app, person):
    first = goal()
    sync(person, [first])

    answer = sync(person, [archived_goal(first["id"], True, minutes=5)])

    assert statuses(answer) == ["applied"]
    assert archived_at(app, first["id"]) is not None
    assert [change["data"]["archived"] for change in answer["changes"]] == [True]
    goals_page = person.client.get("/goals").get_data(as_text=True)
    assert goals_page.index("Feel calmer") > goals_page.index("archived-title")


def test_bringing_a_goal_back_and_replaying_it_changes_nothing_twice(app, person):
    first = archived_goal(None, True, minutes=0)
    sync(person, [first])
    back = archived_goal(first["id"], False, minutes=5)

    assert statuses(sync(person, [back])) == ["applied"]
    assert statuses(sync(person, [back])) == ["unchanged"]
    assert archived_at(app, first["id"]) is None


def test_a_goal_without_archived_is_not_archived_and_an_older_archive_is_stale(app, person):
    first = goal()
    assert sync(person, [first])["changes"][0]["data"] == {
        "title": "Feel calmer",
        "why": "",
        "archived": False,
    }
    sync(person, [goal(first["id"], minutes=10)])

    older = archived_goal(first["id"], True, minutes=5)
    assert statuses(sync(person, [older])) == ["stale"]
    assert archived_at(app, first["id"]) is None


def test_archived_that_is_not_true_or_false_is_rejected_alone(person):
    answer = sync(person, [archived_goal(None, "yes", minutes=0), goal()])

    assert statuses(answer) == ["rejected", "applied"]
    assert "archived" in answer["results"][0]["message"]


def test_a_goal_archived_on_its_page_is_pulled_as_archived(person):
    first = goal()
    cursor = sync(person, [first])["cursor"]

    person.post(f"/goals/{first['id']}/archive")

    assert [c["data"]["archived"] for c in sync(person, since=cursor)["changes"]] == [True]
