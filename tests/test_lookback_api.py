"""GET /api/v1/summary: streaks, momentum and look-back as of a day, on both databases.

Each test logs wins the way a phone does and reads the numbers a person would see.
"""

from datetime import date, timedelta

import flask_migrate
import pytest
from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import Goal, Step, User, Win
from smallsteps.services import accounts
from tests.conftest import Person

SHAPE = {
    "as_of",
    "streak",
    "momentum",
    "last_7_days",
    "previous_7_days",
    "now",
    "six_months_ago",
    "new_since_then",
    "since_start",
    "milestones",
    "heatmap",
    "steps",
}


def summary(person, as_of: str | None = None) -> dict:
    url = "/api/v1/summary" + (f"?as_of={as_of}" if as_of else "")
    response = person.client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def log(person, when: str, text: str = "Paused before reacting", step: str = "") -> None:
    assert person.log_win(text, occurred_at=when, step_id=step).status_code == 302


def add_goal(app, person, title: str) -> str:
    person.post("/goals", {"title": title})
    with app.app_context():
        return str(db.session.scalar(select(Goal.id).where(Goal.title == title)))


def add_step(app, person, goal: str, title: str, target: int | None = None, under: str = ""):
    fields = {"title": title, "weekly_target": str(target or ""), "parent_step_id": under}
    assert person.post(f"/goals/{goal}/steps", fields).status_code == 302
    with app.app_context():
        return str(db.session.scalar(select(Step.id).where(Step.title == title)))


def win_id(app, text: str) -> str:
    with app.app_context():
        return str(db.session.scalar(select(Win.id).where(Win.text == text)))


def cells(body: dict, first: date, last: date) -> list[int]:
    """Return the heatmap's counts from ``first`` to ``last``."""
    start = date.fromisoformat(body["heatmap"]["start"])
    counts = body["heatmap"]["counts"]
    return counts[(first - start).days : (last - start).days + 1]


def test_the_summary_has_exactly_the_designed_shape(app, person):
    goal = add_goal(app, person, "Feel calmer")
    step = add_step(app, person, goal, "Two-minute breathing", 3)
    log(person, "2025-11-20T08:00:00+01:00", step=step)
    log(person, "2025-11-21T08:00:00+01:00")
    body = summary(person, "2025-11-22")

    assert set(body) == SHAPE
    assert body["as_of"] == "2025-11-22"
    assert body["streak"] == {"current": 2, "longest": 2, "grace": 1}
    assert isinstance(body["momentum"], int)
    assert body["last_7_days"] == {"wins": 2, "days": 2}
    assert body["previous_7_days"] == {"wins": 0, "days": 0}
    assert body["now"] == {"wins": 2, "days": 2}
    assert body["six_months_ago"] == {"wins": 0, "days": 0}
    assert body["new_since_then"] == [{"id": step, "title": "Two-minute breathing"}]
    assert body["since_start"] == {"first_win": "2025-11-20", "wins": 2, "days": 2}
    assert body["milestones"] == [{"count": 1, "date": "2025-11-20"}]
    assert body["heatmap"]["start"] == "2024-11-17"
    assert len(body["heatmap"]["counts"]) == 371
    assert body["heatmap"]["counts"][-3:] == [1, 1, 0]
    assert body["steps"] == [
        {
            "id": step,
            "title": "Two-minute breathing",
            "weekly_target": 3,
            "weekly_streak": 0,
            "momentum": body["steps"][0]["momentum"],
        }
    ]
    assert 0 < body["steps"][0]["momentum"] < 100


def test_someone_new_gets_a_whole_summary_with_nothing_in_it(person):
    body = summary(person, "2026-01-10")
    assert set(body) == SHAPE
    assert body["streak"] == {"current": 0, "longest": 0, "grace": 1}
    assert body["momentum"] is None
    assert body["since_start"] == {"first_win": None, "wins": 0, "days": 0}
    assert body["milestones"] == [] and body["steps"] == [] and body["new_since_then"] == []
    assert body["heatmap"] == {"start": "2025-01-05", "counts": [0] * 371}


@pytest.mark.parametrize(
    ("as_of", "current"),
    [("2025-11-14", 3), ("2025-11-15", 3), ("2025-11-16", 0)],
    ids=["friday", "saturday", "sunday"],
)
def test_the_gentle_streak_of_designs_example(person, as_of, current):
    for day in ("2025-11-10", "2025-11-11", "2025-11-13"):  # Monday, Tuesday, Thursday
        log(person, f"{day}T19:00:00+01:00")
    assert summary(person, as_of)["streak"] == {"current": current, "longest": 3, "grace": 1}


@pytest.mark.parametrize(
    ("grace", "current", "longest"), [(0, 1, 2), (1, 3, 3), (2, 3, 3), (3, 3, 3)]
)
def test_the_grace_setting_decides_how_many_rest_days_a_streak_forgives(
    person, grace, current, longest
):
    for day in ("2025-11-10", "2025-11-11", "2025-11-13"):
        log(person, f"{day}T19:00:00+01:00")
    person.api("PUT", "/api/v1/settings", json={"grace": grace})
    body = summary(person, "2025-11-14")
    assert body["streak"] == {"current": current, "longest": longest, "grace": grace}


def test_daylight_saving_weeks_in_new_york_keep_the_days_people_lived(app):
    river = Person(app.test_client(), "river@example.com")
    river.sign_up(time_zone="America/New_York")
    for when in (
        "2026-03-07T23:30:00-05:00",  # Saturday night, standard time
        "2026-03-08T00:30:00-05:00",  # Sunday, before the clocks jump
        "2026-03-08T03:30:00-04:00",  # Sunday, after the jump
        "2026-03-08T23:59:00-04:00",
        "2026-03-09T00:10:00-04:00",  # Monday
    ):
        log(river, when)
    march = summary(river, "2026-03-09")
    assert cells(march, date(2026, 3, 7), date(2026, 3, 9)) == [1, 3, 1]
    assert march["last_7_days"] == {"wins": 5, "days": 3}
    assert march["streak"]["current"] == 3

    for when in (
        "2026-10-31T23:30:00-04:00",
        "2026-11-01T01:30:00-04:00",  # the first 01:30, daylight time
        "2026-11-01T01:30:00-05:00",  # the same wall time again, an hour later
    ):
        log(river, when)
    november = summary(river, "2026-11-01")
    assert cells(november, date(2026, 10, 31), date(2026, 11, 1)) == [1, 2]


@pytest.mark.parametrize(
    ("week_start", "weekly_streak"),
    [(6, 1), (0, 0)],
    ids=["sunday-weeks-hold-both-days", "monday-weeks-split-them"],
)
def test_the_weekly_rhythm_follows_the_week_start_across_the_clock_change(
    app, week_start, weekly_streak
):
    river = Person(app.test_client(), "river@example.com")
    river.sign_up(time_zone="America/New_York")
    river.api("PUT", "/api/v1/settings", json={"week_start": week_start})
    goal = add_goal(app, river, "Move more")
    step = add_step(app, river, goal, "Stretch", 2)
    log(river, "2026-03-08T00:30:00-05:00", step=step)  # Sunday, before the jump
    log(river, "2026-03-14T23:30:00-04:00", step=step)  # Saturday, after it
    body = summary(river, "2026-03-15")
    assert body["steps"][0]["weekly_streak"] == weekly_streak


def test_a_win_logged_while_travelling_keeps_the_day_it_was_lived(person):
    log(person, "2025-11-23T01:00:00+09:00")  # Tokyo; still the 22nd in Amsterdam
    body = summary(person, "2025-11-23")
    assert cells(body, date(2025, 11, 22), date(2025, 11, 23)) == [0, 1]
    assert body["since_start"]["first_win"] == "2025-11-23"
    assert summary(person, "2025-11-22")["since_start"]["wins"] == 0


def test_milestones_follow_the_order_wins_happened_in_not_their_dates(person):
    for day in range(1, 9):
        log(person, f"2025-11-{day:02d}T12:00:00+01:00")
    # Ninth to happen, yet lived on the later date (in Kiribati) ...
    log(person, "2025-11-23T00:30:00+14:00", text="Ninth")
    # ... and tenth to happen, lived on the earlier date (in Hawaii).
    log(person, "2025-11-22T20:00:00-10:00", text="Tenth")
    body = summary(person, "2025-11-24")
    assert body["milestones"] == [
        {"count": 1, "date": "2025-11-01"},
        {"count": 10, "date": "2025-11-22"},
    ]


def test_as_of_in_the_past_ignores_every_later_win(app, person):
    goal = add_goal(app, person, "Sleep better")
    step = add_step(app, person, goal, "Screens off at ten", 7)
    for day in range(1, 11):
        log(person, f"2025-03-{day:02d}T22:00:00+01:00", step=step)
    log(person, "2025-03-20T22:00:00+01:00")
    early = summary(person, "2025-03-05")
    assert early["since_start"] == {"first_win": "2025-03-01", "wins": 5, "days": 5}
    assert early["milestones"] == [{"count": 1, "date": "2025-03-01"}]
    assert early["streak"] == {"current": 5, "longest": 5, "grace": 1}
    assert early["heatmap"]["counts"][-1] == 1 and sum(early["heatmap"]["counts"]) == 5
    assert early["heatmap"]["start"] == (date(2025, 3, 5) - timedelta(days=370)).isoformat()
    assert early["steps"][0]["weekly_streak"] == 0  # a 7-day week not over yet breaks nothing
    later = summary(person, "2025-03-10")
    assert later["steps"][0]["momentum"] > early["steps"][0]["momentum"]
    assert later["milestones"][-1] == {"count": 10, "date": "2025-03-10"}


def test_deleted_wins_count_for_nothing(app, person):
    goal = add_goal(app, person, "Feel calmer")
    step = add_step(app, person, goal, "Breathe", 1)
    log(person, "2025-06-02T09:00:00+02:00", text="Kept")
    log(person, "2025-06-03T09:00:00+02:00", text="Removed", step=step)
    log(person, "2025-06-04T09:00:00+02:00", text="Also kept")
    person.post(f"/wins/{win_id(app, 'Removed')}/delete")
    body = summary(person, "2025-06-05")
    assert body["since_start"] == {"first_win": "2025-06-02", "wins": 2, "days": 2}
    assert cells(body, date(2025, 6, 2), date(2025, 6, 4)) == [1, 0, 1]
    assert body["streak"]["longest"] == 2
    assert body["steps"][0]["momentum"] is None and body["steps"][0]["weekly_streak"] == 0
    assert body["new_since_then"] == []


def test_a_smaller_steps_win_counts_for_every_step_above_it(app, person):
    goal = add_goal(app, person, "Reach out")
    call = add_step(app, person, goal, "Call a friend", 1)
    text = add_step(app, person, goal, "Text a friend", under=call)
    emoji = add_step(app, person, goal, "Send one emoji", 2, under=text)
    log(person, "2025-06-04T18:00:00+02:00", step=emoji)  # a Wednesday
    body = summary(person, "2025-06-08")
    steps = {step["title"]: step for step in body["steps"]}
    assert [step["title"] for step in body["steps"]] == [
        "Call a friend",
        "Text a friend",
        "Send one emoji",
    ]
    assert steps["Call a friend"]["weekly_streak"] == 1
    assert steps["Call a friend"]["momentum"] > 0
    assert steps["Text a friend"] == {
        "id": text,
        "title": "Text a friend",
        "weekly_target": None,
        "weekly_streak": None,
        "momentum": None,
    }
    assert steps["Send one emoji"]["weekly_streak"] == 0  # one day of two this week
    assert {step["id"] for step in body["new_since_then"]} == {call, text, emoji}


def test_steps_of_an_archived_goal_leave_the_list_but_their_wins_stay(app, person):
    goal = add_goal(app, person, "Run a 5k")
    step = add_step(app, person, goal, "Jog one minute", 3)
    log(person, "2025-06-04T18:00:00+02:00", step=step)
    person.post(f"/goals/{goal}/archive")
    body = summary(person, "2025-06-08")
    assert body["steps"] == [] and body["new_since_then"] == []
    assert body["since_start"]["wins"] == 1


def test_moving_the_day_start_to_3_moves_a_late_win_to_the_day_before(person):
    log(person, "2025-11-22T01:30:00+01:00")
    log(person, "2025-11-22T23:00:00+01:00")
    before = summary(person, "2025-11-22")
    assert cells(before, date(2025, 11, 21), date(2025, 11, 22)) == [0, 2]
    assert before["streak"]["current"] == 1

    person.api("PUT", "/api/v1/settings", json={"day_start": 3})
    after = summary(person, "2025-11-22")
    assert cells(after, date(2025, 11, 21), date(2025, 11, 22)) == [1, 1]
    assert after["streak"]["current"] == 2
    assert after["since_start"]["first_win"] == "2025-11-21"


def test_a_perfect_month_reads_80_like_loop(person):
    for day in range(30):
        log(person, f"{date(2025, 4, 1) + timedelta(days=day)}T08:00:00+02:00")
    assert summary(person, "2025-04-30")["momentum"] == 80


def test_then_and_now_compare_this_month_with_the_same_month_six_months_ago(app, person):
    goal = add_goal(app, person, "Feel calmer")
    old = add_step(app, person, goal, "Journal", 3)
    new = add_step(app, person, goal, "Breathe", 3)
    as_of = date(2025, 11, 22)
    log(person, f"{as_of - timedelta(days=200)}T09:00:00+01:00", step=old)
    log(person, f"{as_of - timedelta(days=5)}T09:00:00+01:00", step=old)
    log(person, f"{as_of - timedelta(days=5)}T10:00:00+01:00", step=new)
    log(person, f"{as_of - timedelta(days=10)}T10:00:00+01:00", step=new)
    body = summary(person, as_of.isoformat())
    assert body["six_months_ago"] == {"wins": 1, "days": 1}
    assert body["now"] == {"wins": 3, "days": 2}
    assert body["last_7_days"] == {"wins": 2, "days": 1}
    assert body["previous_7_days"] == {"wins": 1, "days": 1}
    assert body["new_since_then"] == [{"id": new, "title": "Breathe"}]


def test_without_as_of_the_summary_is_for_today_in_the_persons_zone(app):
    river = Person(app.test_client(), "river@example.com")
    river.sign_up(time_zone="Pacific/Kiritimati")
    river.api("PUT", "/api/v1/settings", json={"day_start": 3})
    body = summary(river)
    with app.app_context():
        user = db.session.scalar(select(User))
        assert body["as_of"] == accounts.today_for(user).isoformat()


@pytest.mark.parametrize(
    "as_of",
    [
        "2026-13-01",
        "2026-02-30",
        "yesterday",
        "2026-1-05",
        "20261122",
        "2026-11-22T00:00",
        "",
        "１９９９-０１-０１",
        "1999-12-31",
        "0001-01-01",
        "2999-01-01",
    ],
)
def test_a_bad_as_of_is_a_clear_400(person, as_of):
    response = person.client.get("/api/v1/summary", query_string={"as_of": as_of})
    assert response.status_code == 400
    assert set(response.json) == {"error", "detail"}
    assert "as_of" in response.json["error"]


def test_the_summary_needs_a_session(client):
    response = client.get("/api/v1/summary")
    assert response.status_code == 401
    assert response.json["error"]


def test_nobody_sees_anyone_elses_wins(app, person, other_person):
    goal = add_goal(app, other_person, "Their goal")
    add_step(app, other_person, goal, "Their step", 2)
    log(other_person, "2025-06-04T18:00:00+02:00", text="Theirs")
    body = summary(person, "2025-06-08")
    assert body["since_start"]["wins"] == 0 and body["steps"] == []


def test_streak_numbers_can_be_hidden_in_settings(person):
    assert person.client.get("/api/v1/settings").json["show_streak"] is True
    response = person.api("PUT", "/api/v1/settings", json={"show_streak": False})
    assert response.status_code == 200 and response.json["show_streak"] is False
    response = person.api("PUT", "/api/v1/settings", json={"show_streak": "no"})
    assert response.status_code == 400 and set(response.json["detail"]) == {"show_streak"}
    assert person.client.get("/api/v1/settings").json["show_streak"] is False


def test_stepping_back_a_migration_and_forward_again_keeps_every_win(app, person):
    log(person, "2025-06-04T18:00:00+02:00", text="Still here")
    person.api("PUT", "/api/v1/settings", json={"show_streak": False})
    with app.app_context():
        flask_migrate.downgrade(revision="3d6750ddcde4")
        assert db.session.scalar(select(Win.text)) == "Still here"
        db.session.remove()
        flask_migrate.upgrade()
    # Going back past session tokens and forward again signs everyone out once.
    assert person.log_in().status_code == 302
    assert summary(person, "2025-06-08")["since_start"]["wins"] == 1
    assert person.client.get("/api/v1/settings").json["show_streak"] is True
