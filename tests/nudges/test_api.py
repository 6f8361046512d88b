"""The nudge API: the VAPID key, a person's devices and their plan, exactly as DESIGN shows."""

import pytest

from tests.nudges.helpers import device_count, subscribe
from tests.nudges.push_service import Device

FCM = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b"


def test_the_key_is_the_one_nudges_are_signed_with(person, application_server_key):
    response = person.api("GET", "/api/v1/push/key")
    assert response.status_code == 200
    assert response.get_json() == {"key": application_server_key}


def test_signed_out_callers_get_401_json(client):
    for method, url in [
        ("GET", "/api/v1/push/key"),
        ("GET", "/api/v1/push/subscriptions"),
        ("GET", "/api/v1/nudges"),
    ]:
        response = client.open(url, method=method)
        assert response.status_code == 401
        assert "error" in response.get_json()


def test_a_subscription_is_stored_once_and_listed_without_its_secrets(
    person, push_service, application_server_key
):
    phone = push_service.new_device(application_server_key)
    first = person.api("POST", "/api/v1/push/subscriptions", json=phone.subscription())
    again = person.api("POST", "/api/v1/push/subscriptions", json=phone.subscription())

    assert (first.status_code, again.status_code) == (201, 200)
    [device] = person.api("GET", "/api/v1/push/subscriptions").get_json()
    assert device["endpoint_origin"] == push_service.url
    assert device["last_success_at"] is None
    assert device["created_at"].startswith("20")
    assert set(device) == {"id", "endpoint_origin", "created_at", "last_success_at"}


def test_a_known_push_service_is_accepted(person, application_server_key):
    keys = Device(application_server_key).subscription()["keys"]
    response = person.api(
        "POST", "/api/v1/push/subscriptions", json={"endpoint": FCM, "keys": keys}
    )
    assert response.status_code == 201
    assert response.get_json()["endpoint_origin"] == "https://fcm.googleapis.com"


def test_nobody_sees_or_removes_another_persons_device(
    app, person, other_person, push_service, application_server_key
):
    phone = push_service.new_device(application_server_key)
    subscribe(person, phone)

    listed = other_person.api("GET", "/api/v1/push/subscriptions").get_json()
    refused = other_person.api(
        "DELETE", "/api/v1/push/subscriptions", json={"endpoint": phone.endpoint}
    )

    assert listed == []
    assert refused.status_code == 404
    assert device_count(app) == 1
    removed = person.api("DELETE", "/api/v1/push/subscriptions", json={"endpoint": phone.endpoint})
    assert removed.status_code == 204
    assert device_count(app) == 0


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://127.0.0.1/push/1",
        "https://localhost/push/1",
        "https://10.1.2.3/push/1",
        "https://[::1]/push/1",
        "https://example.com/push/1",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_an_endpoint_that_could_reach_inside_is_refused_with_a_clear_message(
    app, person, endpoint, application_server_key
):
    keys = Device(application_server_key).subscription()["keys"]
    response = person.api(
        "POST", "/api/v1/push/subscriptions", json={"endpoint": endpoint, "keys": keys}
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "subscription refused"
    assert body["detail"]
    assert device_count(app) == 0


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"endpoint": FCM}, 400),
        ({"endpoint": FCM, "keys": {"p256dh": "AAAA", "auth": "AAAA"}}, 400),
        ({"keys": {}}, 400),
        ([1, 2], 400),
    ],
)
def test_a_malformed_subscription_is_refused(person, body, status):
    response = person.api("POST", "/api/v1/push/subscriptions", json=body)
    assert response.status_code == status
    assert "error" in response.get_json()


def test_a_body_that_is_not_json_gets_415(person):
    response = person.api("POST", "/api/v1/push/subscriptions", data="endpoint=x")
    assert response.status_code == 415


PLAN = {
    "enabled": True,
    "times": ["08:30", "20:00"],
    "weekdays": [0, 1, 2, 3, 4],
    "quiet_hours": {"start": "22:00", "end": "07:00"},
    "only_if_no_win_today": False,
    "weekly": None,
}


def test_the_plan_starts_off_and_round_trips_in_the_designs_shape(person):
    assert person.api("GET", "/api/v1/nudges").get_json() == {
        "enabled": False,
        "times": ["20:00"],
        "weekdays": [0, 1, 2, 3, 4, 5, 6],
        "quiet_hours": {"start": "22:00", "end": "08:00"},
        "only_if_no_win_today": True,
        "weekly": None,  # the weekly reflection's nudge, beside DESIGN's keys
    }
    saved = person.api("PUT", "/api/v1/nudges", json=PLAN)
    assert saved.status_code == 200
    assert saved.get_json() == PLAN
    assert person.api("GET", "/api/v1/nudges").get_json() == PLAN


def test_a_plan_change_may_carry_only_some_keys(person):
    person.api("PUT", "/api/v1/nudges", json=PLAN)
    changed = person.api("PUT", "/api/v1/nudges", json={"quiet_hours": None, "times": ["21:15"]})
    assert changed.get_json() == {**PLAN, "quiet_hours": None, "times": ["21:15"]}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"times": ["25:00"]}, "times", "not a time of day"),
        ({"times": ["8pm"]}, "times", "24-hour"),
        ({"times": ["08:00", "12:00", "16:00", "20:00"]}, "times", "up to 3"),
        ({"times": ["20:00", "20:00"]}, "times", "only once"),
        ({"times": "20:00"}, "times", "list"),
        ({"times": ["23:00"]}, "times", "quiet hours"),
        ({"times": []}, "times", "at least one"),
        ({"weekdays": [7]}, "weekdays", "0 (Monday) to 6"),
        ({"weekdays": ["mon"]}, "weekdays", "whole numbers"),
        ({"weekdays": []}, "weekdays", "at least one"),
        ({"weekdays": [1, 1]}, "weekdays", "only once"),
        ({"quiet_hours": {"start": "22:00", "end": "22:00"}}, "quiet_hours", "differ"),
        ({"quiet_hours": {"start": "22:00"}}, "quiet_hours", "start and an end"),
        ({"quiet_hours": "22-08"}, "quiet_hours", "start and an end"),
        ({"enabled": "yes"}, "enabled", "true or false"),
        ({"only_if_no_win_today": 1}, "only_if_no_win_today", "true or false"),
        ({"snooze": True}, "snooze", "not part"),
        ({"weekly": {"weekday": 7, "time": "18:00"}}, "weekly", "0 = Monday"),
        ({"weekly": {"weekday": 6}}, "weekly", "a weekday"),
        ({"weekly": {"weekday": 6, "time": "6pm"}}, "weekly", "a time like 18:00"),
        ({"weekly": {"weekday": 6, "time": "23:30"}}, "weekly", "quiet hours"),
    ],
)
def test_a_nonsense_plan_is_refused_with_a_clear_message_and_nothing_changes(
    person, change, field, words
):
    person.api("PUT", "/api/v1/nudges", json=PLAN)
    response = person.api("PUT", "/api/v1/nudges", json=change)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "invalid nudge plan"
    assert words in body["detail"][field]
    assert person.api("GET", "/api/v1/nudges").get_json() == PLAN


def test_a_weekly_look_back_nudge_round_trips(person):
    person.api("PUT", "/api/v1/nudges", json=PLAN)
    weekly = {"weekday": 6, "time": "18:00"}

    changed = person.api("PUT", "/api/v1/nudges", json={"weekly": weekly})

    assert changed.get_json() == {**PLAN, "weekly": weekly}
    off = person.api("PUT", "/api/v1/nudges", json={"weekly": None})
    assert off.get_json()["weekly"] is None
