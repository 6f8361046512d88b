"""The nudges page, its plan form and devices, and the one-tap low-capacity day on Today."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from smallsteps.extensions import db
from smallsteps.models import User
from smallsteps.services import records
from tests.nudges.helpers import deliveries, plan_nudges, send_due, subscribe

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def page(person, url: str = "/settings/nudges") -> str:
    response = person.client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_explains_nudges_before_anything_is_turned_on(person):
    html = page(person)
    assert "What's one small win from today?" in html
    assert "never mentions streaks" in html
    assert "Turn on nudges on this device" in html
    assert "Home Screen" in html and "iOS 16.4" in html
    assert "Nudges are off." in html
    assert 'href="/settings/nudges"' in page(person, "/settings")


def test_the_plan_form_saves_what_the_api_shows(person):
    response = person.post(
        "/settings/nudges",
        {
            "enabled": "on",
            "times": ["19:30", "", "08:00:00"],
            "weekdays": ["0", "2", "4"],
            "quiet_start": "22:00",
            "quiet_end": "07:00",
        },
    )
    assert response.status_code == 302
    assert person.api("GET", "/api/v1/nudges").get_json() == {
        "enabled": True,
        "times": ["08:00", "19:30"],
        "weekdays": [0, 2, 4],
        "quiet_hours": {"start": "22:00", "end": "07:00"},
        "only_if_no_win_today": False,
        "weekly": None,
    }
    assert "Your plan is on, but no device gets nudges yet." in page(person)


def test_the_status_is_true_of_the_plan_and_the_devices_together(
    person, push_service, application_server_key
):
    subscribe(person, push_service.new_device(application_server_key))
    assert "Nudges are off." in page(person)

    person.post("/settings/nudges/switch", {"on": "1"})
    html = page(person)
    assert "Nudges are on for 1 device, every day at 20:00." in html
    assert "Turn nudges off" in html
    assert "Send me gentle nudges" not in html  # one control, not two

    person.post("/settings/nudges", {"enabled": "on", "times": ["07:45"], "weekdays": ["5"]})
    assert "Nudges are on for 1 device, on Saturday at 07:45." in page(person)
    person.post("/settings/nudges/switch", {"on": "0"})
    assert person.api("GET", "/api/v1/nudges").get_json()["enabled"] is False
    assert "Nudges are off." in page(person)


def test_saving_the_plan_keeps_nudges_on_or_off_as_they_were(person):
    person.post("/settings/nudges/switch", {"on": "1"})
    person.post("/settings/nudges", {"enabled": "on", "times": ["09:00"], "weekdays": ["0"]})

    assert person.api("GET", "/api/v1/nudges").get_json()["enabled"] is True


def test_the_form_refuses_nonsense_and_keeps_what_was_typed(person):
    response = person.post(
        "/settings/nudges",
        {"enabled": "on", "times": ["23:15"], "weekdays": ["5"], "quiet_start": "22:00"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give quiet hours a start and an end, or leave both empty." in html
    assert 'value="23:15"' in html

    response = person.post(
        "/settings/nudges",
        {"enabled": "on", "times": ["23:15"], "quiet_start": "22:00", "quiet_end": "07:00"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "23:15 falls in your quiet hours (22:00–07:00)" in html
    assert "Pick at least one day for your nudges." in html
    assert person.api("GET", "/api/v1/nudges").get_json()["enabled"] is False


def test_the_page_lists_devices_and_each_can_be_removed(
    person, other_person, push_service, application_server_key
):
    phone = push_service.new_device(application_server_key)
    subscribe(person, phone)
    html = page(person)
    assert f"A device using 127.0.0.1:{push_service.port}" in html
    [device] = person.api("GET", "/api/v1/push/subscriptions").get_json()

    refused = other_person.post(f"/settings/nudges/devices/{device['id']}/remove")
    assert refused.status_code == 404
    removed = person.post(f"/settings/nudges/devices/{device['id']}/remove")
    assert removed.status_code == 302
    assert "get nudges any more" in page(person)
    assert "No devices yet" in page(person)


def add_ladder(app, email: str) -> None:
    """Give the person a goal with a step and a smaller step, and a second goal of one step."""
    with app.app_context():
        user = db.session.query(User).filter_by(email=email).one()
        sleep = records.create_goal(user, "Sleep better")
        screens = records.create_step(user, sleep, title="No screens after ten")
        records.create_step(user, sleep, screens, title="Phone on the charger at ten")
        calm = records.create_goal(user, "Feel calmer")
        records.create_step(user, calm, title="Two-minute breathing")


def test_a_low_capacity_day_puts_the_smallest_steps_first_and_logs_one_with_a_tap(app, person):
    add_ladder(app, person.email)
    assert "Low-capacity day" in page(person, "/")

    tapped = person.post("/today/low-capacity", {"on": "1"})
    html = page(person, "/")

    assert tapped.status_code == 302
    assert "A low-capacity day" in html
    top = html.index("A low-capacity day")
    assert top < html.index('id="log-form"')
    assert top < html.index("Phone on the charger at ten") < html.index('id="log-form"')
    assert top < html.index("Two-minute breathing") < html.index('id="log-form"')
    assert "No screens after ten</button>" not in html  # the bigger step is not a smallest one

    with app.app_context():
        user = db.session.query(User).filter_by(email=person.email).one()
        smallest = next(s for s in records.steps_of(user) if s.title.startswith("Phone"))
    logged = person.post("/wins", {"text": smallest.title, "step_id": str(smallest.id)})
    assert logged.status_code == 302
    assert '<p class="win-text" dir="auto">Phone on the charger at ten</p>' in page(person, "/")

    person.post("/today/low-capacity", {"on": "0"})
    assert "A low-capacity day" not in page(person, "/")


def test_a_low_capacity_day_quiets_that_days_nudges(
    app, person, push_service, application_server_key
):
    phone = push_service.new_device(application_server_key)
    subscribe(person, phone)
    today = datetime.now(AMSTERDAM).date()
    plan_nudges(app, person, datetime.combine(today, time(0, 0, 1), AMSTERDAM), times=["20:00"])

    person.post("/today/low-capacity", {"on": "1"})
    send_due(app, datetime.combine(today, time(20, 0, 30), AMSTERDAM).isoformat())

    assert push_service.delivered_to(phone) == []
    assert [slot.outcome for slot in deliveries(app)] == ["low_capacity"]


def test_the_plan_form_sets_a_weekly_look_back(person):
    person.post(
        "/settings/nudges",
        {
            "enabled": "on",
            "times": ["20:00"],
            "weekdays": ["0"],
            "weekly_on": "on",
            "weekly_day": "6",
            "weekly_time": "18:30",
        },
    )

    assert person.api("GET", "/api/v1/nudges").get_json()["weekly"] == {
        "weekday": 6,
        "time": "18:30",
    }
    assert 'name="weekly_on" aria-describedby="weekly-hint" checked' in page(person)
