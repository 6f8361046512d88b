"""The dispatcher against a real push service: once, on time, in the person's own evening."""

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from smallsteps.domain.nudges import MESSAGES, RESTING_MESSAGES, WEEKLY_MESSAGE
from smallsteps.extensions import db
from smallsteps.models import PushSubscription
from tests.nudges.helpers import (
    attempts,
    deliveries,
    device_count,
    plan_nudges,
    send_due,
    sign_up,
    subscribe,
)
from tests.nudges.push_service import Answer

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def evening(day: date, clock: str = "20:00:30") -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), AMSTERDAM)


def test_a_due_nudge_arrives_once_on_every_device_with_kind_words(
    app, push_service, application_server_key
):
    river = sign_up(app, "river@example.com")
    phone = push_service.new_device(application_server_key)
    laptop = push_service.new_device(application_server_key)
    subscribe(river, phone)
    subscribe(river, laptop)
    subscribe(river, phone)  # every app open sends it again
    plan_nudges(app, river, at("2026-11-20T12:00:00+01:00"), times=["20:00"])

    send_due(app, "2026-11-20T19:59:00+01:00")
    assert push_service.deliveries == []
    send_due(app, "2026-11-20T20:00:20+01:00")
    send_due(app, "2026-11-20T20:00:40+01:00")
    send_due(app, "2026-11-20T20:05:00+01:00")

    assert push_service.rejections == []
    [on_phone] = push_service.delivered_to(phone)
    [on_laptop] = push_service.delivered_to(laptop)
    assert on_phone.payload == on_laptop.payload
    note = on_phone.payload["notification"]
    assert note["title"] == "Small Steps"
    assert note["body"] in MESSAGES
    assert note["navigate"] == "http://localhost/?log=1#log-form"
    assert on_phone.payload["web_push"] == 8030
    assert on_phone.headers["Topic"] == "nudge"
    assert on_phone.headers["Urgency"] == "normal"
    assert 3600 <= int(on_phone.headers["TTL"]) <= 6 * 3600
    [slot] = deliveries(app)
    assert (slot.outcome, str(slot.local_date), str(slot.local_time)) == (
        "sent",
        "2026-11-20",
        "20:00:00",
    )
    assert sorted(attempt.status for attempt in attempts(app)) == [201, 201]
    devices = river.api("GET", "/api/v1/push/subscriptions").get_json()
    assert all(device["last_success_at"] for device in devices)


def test_no_nudge_on_a_day_something_was_already_logged(app, push_service, application_server_key):
    river = sign_up(app, "river@example.com")
    sky = sign_up(app, "sky@example.com")
    river_phone = push_service.new_device(application_server_key)
    sky_phone = push_service.new_device(application_server_key)
    subscribe(river, river_phone)
    subscribe(sky, sky_phone)
    plan_nudges(app, river, at("2026-11-20T12:00:00+01:00"), times=["20:00"])
    plan_nudges(
        app, sky, at("2026-11-20T12:00:00+01:00"), times=["20:00"], only_if_no_win_today=False
    )
    for someone in (river, sky):
        someone.log_win("Asked for help", occurred_at="2026-11-20T18:00:00+01:00")

    send_due(app, "2026-11-20T20:00:30+01:00")

    assert push_service.delivered_to(river_phone) == []
    assert len(push_service.delivered_to(sky_phone)) == 1
    assert sorted(slot.outcome for slot in deliveries(app)) == ["logged", "sent"]


def test_quiet_hours_hold_even_when_the_dispatcher_runs_late(
    app, push_service, application_server_key
):
    river = sign_up(app, "river@example.com")
    phone = push_service.new_device(application_server_key)
    subscribe(river, phone)
    plan_nudges(
        app,
        river,
        at("2026-11-20T12:00:00+01:00"),
        times=["21:50"],
        quiet_hours={"start": "22:00", "end": "07:30"},
    )

    send_due(app, "2026-11-20T22:10:00+01:00")  # twenty minutes late, inside quiet hours

    assert push_service.delivered_to(phone) == []
    assert [slot.outcome for slot in deliveries(app)] == ["quiet"]


def test_a_time_skipped_by_spring_forward_arrives_just_after_the_gap(
    app, push_service, application_server_key
):
    river = sign_up(app, "river@example.com", "America/New_York")
    phone = push_service.new_device(application_server_key)
    subscribe(river, phone)
    plan_nudges(
        app, river, at("2026-03-07T12:00:00-05:00"), times=["02:30"], only_if_no_win_today=False
    )

    send_due(app, "2026-03-08T06:59:30+00:00")  # 01:59:30 EST, the gap has not come yet
    assert push_service.delivered_to(phone) == []
    send_due(app, "2026-03-08T07:00:10+00:00")  # 03:00:10 EDT, just after the gap
    send_due(app, "2026-03-08T07:30:00+00:00")  # 03:30 EDT, where 02:30 + 1h would be

    assert len(push_service.delivered_to(phone)) == 1
    [slot] = deliveries(app)
    assert (str(slot.local_date), str(slot.local_time)) == ("2026-03-08", "02:30:00")
    assert slot.due_at == at("2026-03-08T07:00:00+00:00")


def test_a_time_the_autumn_repeats_arrives_once(app, push_service, application_server_key):
    river = sign_up(app, "river@example.com", "America/New_York")
    phone = push_service.new_device(application_server_key)
    subscribe(river, phone)
    plan_nudges(
        app, river, at("2026-10-31T12:00:00-04:00"), times=["01:30"], only_if_no_win_today=False
    )

    send_due(app, "2026-11-01T05:30:10+00:00")  # 01:30 EDT
    send_due(app, "2026-11-01T06:30:10+00:00")  # 01:30 EST, the same wall time again

    assert len(push_service.delivered_to(phone)) == 1
    assert [str(slot.local_date) for slot in deliveries(app)] == ["2026-11-01"]


def test_a_slot_far_behind_after_an_outage_is_dropped(app, push_service, application_server_key):
    river = sign_up(app, "river@example.com")
    phone = push_service.new_device(application_server_key)
    subscribe(river, phone)
    plan_nudges(app, river, at("2026-11-18T12:00:00+01:00"), times=["20:00"])

    send_due(app, "2026-11-19T03:00:00+01:00")  # seven hours late: no 3 a.m. nudge
    assert push_service.delivered_to(phone) == []
    send_due(app, "2026-11-19T20:00:30+01:00")  # the next evening is on time again

    assert len(push_service.delivered_to(phone)) == 1
    assert [slot.outcome for slot in deliveries(app)] == ["late", "sent"]


def test_a_410_removes_the_device(app, push_service, application_server_key):
    river = sign_up(app, "river@example.com")
    phone = push_service.new_device(application_server_key)
    subscribe(river, phone)
    plan_nudges(app, river, at("2026-11-20T12:00:00+01:00"), times=["20:00"])
    push_service.answer(phone, Answer(410))

    output = send_due(app, "2026-11-20T20:00:30+01:00")

    assert "1 devices removed" in output
    assert device_count(app) == 0
    assert river.api("GET", "/api/v1/push/subscriptions").get_json() == []
    assert [attempt.status for attempt in attempts(app)] == [410]


def test_a_429_is_retried_after_retry_after(app, push_service, application_server_key):
    river = sign_up(app, "river@example.com")
    phone = push_service.new_device(application_server_key)
    subscribe(river, phone)
    plan_nudges(app, river, at("2026-11-20T12:00:00+01:00"), times=["20:00"])
    push_service.answer(phone, Answer(429, {"Retry-After": "1"}))

    send_due(app, "2026-11-20T20:00:30+01:00")

    first, second = push_service.requests_for(phone)
    assert second - first >= 0.95
    assert len(push_service.delivered_to(phone)) == 1
    assert [attempt.status for attempt in attempts(app)] == [429, 201]


def test_server_errors_are_retried_and_a_dead_host_is_recorded(
    app, push_service, application_server_key
):
    river = sign_up(app, "river@example.com")
    phone = push_service.new_device(application_server_key)
    subscribe(river, phone)
    plan_nudges(app, river, at("2026-11-20T12:00:00+01:00"), times=["20:00"])
    push_service.answer(phone, Answer(500), Answer(503))

    send_due(app, "2026-11-20T20:00:30+01:00")

    assert len(push_service.delivered_to(phone)) == 1
    assert [attempt.status for attempt in attempts(app)] == [500, 503, 201]
    with app.app_context():
        assert db.session.query(PushSubscription).one().failure_count == 0


def test_an_endpoint_no_longer_allowed_is_not_sent_to(app, push_service, application_server_key):
    river = sign_up(app, "river@example.com")
    phone = push_service.new_device(application_server_key)
    subscribe(river, phone)
    plan_nudges(app, river, at("2026-11-20T12:00:00+01:00"), times=["20:00"])
    app.config["PUSH_ALLOWED_HOSTS"] = []  # the operator took the host off the list

    send_due(app, "2026-11-20T20:00:30+01:00")

    assert push_service.requests == []
    [attempt] = attempts(app)
    assert attempt.status is None and attempt.error.startswith("refused")
    with app.app_context():
        assert db.session.query(PushSubscription).one().failure_count == 1


def test_after_a_week_with_nothing_logged_nudges_rest_and_say_so(
    app, push_service, application_server_key
):
    river = sign_up(app, "river@example.com")
    phone = push_service.new_device(application_server_key)
    subscribe(river, phone)
    today = datetime.now(AMSTERDAM).date()
    days = [today - timedelta(days=9 - offset) for offset in range(10)]
    plan_nudges(app, river, evening(days[0], "12:00:00"), times=["20:00"])

    for day in days:
        send_due(app, evening(day).isoformat())

    sent = [days.index(d.local_date) + 1 for d in deliveries(app) if d.outcome == "sent"]
    assert sent == [1, 2, 3, 4, 5, 6, 7, 10]
    assert push_service.delivered_to(phone)[-1].payload["notification"]["body"] in RESTING_MESSAGES
    assert "Nudges are resting" in river.client.get("/settings/nudges").get_data(as_text=True)
    assert "Nudges are resting" in river.client.get("/").get_data(as_text=True)

    river.log_win("Made tea")
    assert "Nudges are resting" not in river.client.get("/settings/nudges").get_data(as_text=True)
    send_due(app, evening(today + timedelta(days=1)).isoformat())
    assert push_service.delivered_to(phone)[-1].payload["notification"]["body"] in MESSAGES


def test_a_person_who_travels_gets_the_nudge_in_their_new_evening(
    app, push_service, application_server_key
):
    river = sign_up(app, "river@example.com", "America/New_York")
    phone = push_service.new_device(application_server_key)
    subscribe(river, phone)
    plan_nudges(app, river, at("2026-11-20T08:00:00-05:00"), times=["20:00"])
    river.api("PUT", "/api/v1/settings", json={"timezone": "Europe/Amsterdam"})

    send_due(app, "2026-11-20T20:00:30+01:00")  # 14:00 in New York, 20:00 in Amsterdam

    assert len(push_service.delivered_to(phone)) == 1


def test_send_due_reports_in_plain_words(app, push_service, application_server_key):
    river = sign_up(app, "river@example.com")
    subscribe(river, push_service.new_device(application_server_key))
    plan_nudges(app, river, at("2026-11-20T12:00:00+01:00"), times=["20:00"])

    output = send_due(app, datetime(2026, 11, 20, 19, 0, 30, tzinfo=UTC).isoformat())

    assert "Sent 1 nudges: 1 reached a device" in output


def test_each_pass_writes_one_line_to_the_log(app, push_service, application_server_key, caplog):
    river = sign_up(app, "river@example.com")
    subscribe(river, push_service.new_device(application_server_key))
    plan_nudges(app, river, at("2026-11-20T12:00:00+01:00"), times=["07:00", "20:00"])
    caplog.set_level(logging.INFO, logger="smallsteps.services.nudges")

    send_due(app, "2026-11-21T07:00:30+01:00")  # 20:00 yesterday is long past: late

    lines = [record.getMessage() for record in caplog.records]
    assert lines == [
        "nudges: 2 due, 1 sent, 1 quiet (late 1); 1 reached a device, 0 did not, 0 devices removed"
    ]


def on_a_phone(app, push_service, application_server_key):
    """Return a person in Amsterdam with one phone that takes nudges, and the phone."""
    river = sign_up(app, "river@example.com")
    phone = push_service.new_device(application_server_key)
    subscribe(river, phone)
    return river, phone


def test_the_weekly_look_back_arrives_at_its_local_time_across_a_clock_change_once(
    app, push_service, application_server_key
):
    river, phone = on_a_phone(app, push_service, application_server_key)
    # Sundays at 18:00 in Amsterdam; summer time ends on Sunday 25 October 2026.
    plan_nudges(
        app,
        river,
        at("2026-10-17T12:00:00+02:00"),
        times=["08:00"],
        weekdays=[0],
        weekly={"weekday": 6, "time": "18:00"},
    )

    send_due(app, "2026-10-18T18:00:20+02:00")  # before the change: UTC+2
    send_due(app, "2026-10-25T17:00:20+01:00")  # 16:00 UTC+1 would be 17:00: not yet
    send_due(app, "2026-10-25T18:00:20+01:00")  # after the change: UTC+1
    send_due(app, "2026-10-25T18:04:00+01:00")  # again, later: nothing more

    sent = push_service.delivered_to(phone)
    assert [note.payload["notification"]["body"] for note in sent] == [WEEKLY_MESSAGE] * 2
    assert all(note.payload["notification"]["navigate"].endswith("/reflect") for note in sent)
    looks = [slot for slot in deliveries(app) if slot.local_time == time(18)]
    weekly = [(str(s.local_date), str(s.local_time), s.outcome) for s in looks]
    assert weekly == [("2026-10-18", "18:00:00", "sent"), ("2026-10-25", "18:00:00", "sent")]
    assert [s.due_at for s in looks] == [
        at("2026-10-18T16:00:00+00:00"),
        at("2026-10-25T17:00:00+00:00"),
    ]


def test_the_weekly_look_back_is_quiet_on_a_low_capacity_day(
    app, push_service, application_server_key
):
    river, phone = on_a_phone(app, push_service, application_server_key)
    plan_nudges(app, river, at("2026-11-21T12:00:00+01:00"), weekly={"weekday": 6, "time": "18:00"})
    river.api("PUT", "/api/v1/days/2026-11-22", json={"low_capacity": True})

    send_due(app, "2026-11-22T18:00:30+01:00")

    assert push_service.delivered_to(phone) == []
    looks = [slot for slot in deliveries(app) if slot.local_time == time(18)]
    assert [slot.outcome for slot in looks] == ["low_capacity"]


def test_a_daily_nudge_at_the_weekly_time_gives_way_to_it(
    app, push_service, application_server_key
):
    river, phone = on_a_phone(app, push_service, application_server_key)
    plan_nudges(
        app,
        river,
        at("2026-11-21T12:00:00+01:00"),
        times=["18:00"],
        only_if_no_win_today=False,
        weekly={"weekday": 6, "time": "18:00"},
    )

    send_due(app, "2026-11-22T18:00:30+01:00")

    [note] = push_service.delivered_to(phone)
    assert note.payload["notification"]["body"] == WEEKLY_MESSAGE
