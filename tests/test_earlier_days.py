"""The past within reach: a page for any earlier day, wins logged for an earlier time, moved."""

from datetime import date

import pytest
from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import Win

# The clock stands at Sunday 2026-11-22 14:00 in Amsterdam, the person's zone.
YESTERDAY = "2026-11-21"


def page(response) -> str:
    return response.get_data(as_text=True)


def wins_by_day(app) -> dict[str, list[str]]:
    with app.app_context():
        found: dict[str, list[str]] = {}
        for win in db.session.scalars(select(Win).where(Win.deleted_at.is_(None))):
            found.setdefault(win.local_date.isoformat(), []).append(win.text)
        return found


def test_one_tap_logs_a_win_for_yesterday_evening_and_opens_that_day(app, clock, person):
    answer = person.log_win("Called my sponsor", when="yesterday")

    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/days/{YESTERDAY}"
    assert wins_by_day(app) == {YESTERDAY: ["Called my sponsor"]}
    day = page(person.client.get(answer.headers["Location"]))
    assert "Yesterday" in day and "Saturday, November 21<" in day
    assert "Called my sponsor" in day and "20:00" in day
    assert "flash-celebrate" in day
    assert "Called my sponsor" not in page(person.client.get("/"))


def test_a_win_logged_for_yesterday_counts_toward_the_streak(app, clock, person):
    person.log_win("Walked to the shop", when="yesterday")
    person.log_win("Made tea slowly")

    streak = person.api("GET", "/api/v1/summary").get_json()["streak"]
    assert streak["current"] == 2


def test_any_day_and_time_can_be_picked(app, clock, person):
    person.log_win("Slept eight hours", when="other", day="2026-11-03", time="07:15")

    assert wins_by_day(app) == {"2026-11-03": ["Slept eight hours"]}
    assert "07:15" in page(person.client.get("/days/2026-11-03"))


def test_a_night_owl_picking_the_small_hours_keeps_the_day_they_picked(app, clock, person):
    person.api("PUT", "/api/v1/settings", json={"day_start": 3})

    person.log_win("Stopped scrolling", when="other", day=YESTERDAY, time="01:30")

    assert wins_by_day(app) == {YESTERDAY: ["Stopped scrolling"]}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"day": "2026-11-23", "time": "09:00"}, "Pick a day from 2000 to today (2026-11-22)."),
        ({"day": "1999-12-31", "time": "09:00"}, "Pick a day from 2000 to today"),
        ({"day": "21/11/2026", "time": "09:00"}, "Pick a day from 2000 to today"),
        ({"day": YESTERDAY, "time": "25:00"}, "Pick a time, like 20:00."),
        ({"day": YESTERDAY, "time": ""}, "Pick a time, like 20:00."),
        ({"day": "2026-11-22", "time": "23:00"}, "That time hasn&#39;t come yet."),
    ],
    ids=["tomorrow", "before-2000", "not-iso", "no-such-hour", "no-time", "later-today"],
)
def test_a_time_that_cannot_be_is_refused_kindly_and_the_words_stay(
    app, clock, person, fields, message
):
    answer = person.log_win("Kept my words", when="other", **fields)

    assert answer.status_code == 400
    assert message in page(answer)
    assert 'value="Kept my words"' in page(answer)
    assert wins_by_day(app) == {}


def test_the_day_view_shows_that_days_wins_and_its_low_capacity_flag(app, clock, person):
    person.log_win("Rested on the sofa", when="other", day="2026-11-20", time="15:00")
    person.log_win("Drank water", when="yesterday")
    person.api("PUT", "/api/v1/days/2026-11-20", json={"low_capacity": True})

    day = page(person.client.get("/days/2026-11-20"))
    assert "Rested on the sofa" in day and "Drank water" not in day
    assert 'id="day-low-capacity">' in day
    other = page(person.client.get(f"/days/{YESTERDAY}"))
    assert 'id="day-low-capacity" hidden>' in other
    assert 'href="/days/2026-11-20" rel="prev"' in other
    assert 'href="/" rel="next"' in other


def test_a_day_with_nothing_says_rest_is_part_of_it(clock, person):
    assert "Nothing logged this day. Rest is part of it too." in page(
        person.client.get("/days/2026-10-01")
    )


def test_today_and_days_to_come_open_today_and_a_non_date_is_not_found(clock, person):
    assert person.client.get("/days/2026-11-22").headers["Location"] == "/"
    assert person.client.get("/days/2026-12-25").headers["Location"] == "/"
    for wrong in ("2026-02-30", "yesterday", "1999-12-31", "2026-1-5"):
        assert person.client.get(f"/days/{wrong}").status_code == 404


def test_earlier_lists_the_last_two_weeks_and_opens_a_picked_day(app, clock, person):
    person.log_win("Drank water", when="yesterday")

    earlier = page(person.client.get("/days"))
    assert earlier.count('href="/days/') == 14
    assert "Yesterday" in earlier and "1 win" in earlier
    picked = person.client.get("/days?date=2026-03-14")
    assert picked.headers["Location"] == "/days/2026-03-14"
    assert person.client.get("/days?date=soon").status_code == 200


def test_today_links_to_yesterday_and_earlier(clock, person):
    today = page(person.client.get("/"))
    assert f'href="/days/{YESTERDAY}"' in today and 'href="/days"' in today


def test_a_win_moved_to_another_day_leaves_the_old_one(app, clock, person):
    person.log_win("Went to the meeting")
    with app.app_context():
        win_id = db.session.scalars(select(Win.id)).one()

    answer = person.post(
        f"/wins/{win_id}/edit",
        {"text": "Went to the meeting", "day": "2026-11-19", "time": "19:00"},
    )

    assert answer.headers["Location"] == "/days/2026-11-19"
    assert wins_by_day(app) == {"2026-11-19": ["Went to the meeting"]}
    assert "Went to the meeting" not in page(person.client.get("/"))


def test_editing_the_words_alone_keeps_the_moment_as_the_device_saw_it(app, clock, person):
    person.log_win("Late walk", occurred_at="2026-11-21T23:30:00+09:00")
    with app.app_context():
        win = db.session.scalars(select(Win)).one()
        win_id, before = win.id, win.occurred_at_local

    edit = page(person.client.get(f"/wins/{win_id}/edit"))
    assert 'value="2026-11-21"' in edit and 'value="23:30"' in edit
    same_moment = {"text": "Late walk home", "day": YESTERDAY, "time": "23:30"}
    person.post(f"/wins/{win_id}/edit", same_moment)

    with app.app_context():
        win = db.session.get(Win, win_id)
        assert (win.text, win.occurred_at_local) == ("Late walk home", before)
        assert win.local_date == date(2026, 11, 21)


def test_another_persons_day_shows_none_of_mine(app, clock, person, other_person):
    person.log_win("Private words", when="yesterday")

    assert "Private words" not in page(other_person.client.get(f"/days/{YESTERDAY}"))
