"""Settings, a low-capacity day and archiving change offline and reach the server once."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from flask import request
from playwright.sync_api import expect
from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import Goal, User
from smallsteps.services.accounts import today_for
from smallsteps.services.nudges import plans
from tests.browser.test_offline import outbox_size, wait_for_worker_and_cached_today
from tests.browser.test_offline_goals import WAITING, keep_for_offline
from tests.browser.walk import send_changes, settle, sign_up, stamp
from tests.waiting import settled_value, wait_until

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
GENTLE = "A gentle day, kept on this device. Nudges will quiet down once it syncs."


def count_puts(app) -> list[str]:
    """Record the path of every PUT the server receives, from pages and worker alike."""
    seen: list[str] = []

    @app.before_request
    def note_put():
        if request.method == "PUT":
            seen.append(request.path)

    return seen


def server_person(app) -> dict:
    """Return what the server holds of the person's day and settings."""
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        goals = db.session.scalars(select(Goal)).all()
        return {
            "low_capacity_today": plans.is_low_capacity_day(user),
            "grace": user.grace,
            "display_name": user.display_name,
            "archived": sorted(goal.title for goal in goals if goal.archived_at is not None),
        }


def test_a_day_and_settings_changed_offline_reach_the_server_once(context, page, live_server):
    puts = count_puts(live_server.app)
    url = live_server.url
    page.set_viewport_size(PHONE)
    sign_up(page, live_server)
    wait_for_worker_and_cached_today(page)
    goal_id = str(uuid.uuid4())
    updated = stamp(datetime.now(UTC) - timedelta(seconds=5))
    data = {"title": "Sleep a little better", "why": "Mornings"}
    goal = {"type": "goal", "id": goal_id, "updated_at": updated, "data": data}
    send_changes(page, live_server, [goal])
    keep_for_offline(page, f"{url}/goals/{goal_id}", "Sleep a little better")
    keep_for_offline(page, f"{url}/settings", "Save settings")
    keep_for_offline(page, f"{url}/", "Low-capacity day")
    before = server_person(live_server.app)

    context.set_offline(True)
    page.get_by_role("button", name="Low-capacity day").click()
    expect(page.locator(".flash")).to_have_text(GENTLE)
    expect(page.get_by_role("region", name="A low-capacity day")).to_be_visible()
    expect(page.get_by_role("button", name="Low-capacity day")).to_have_count(0)

    page.goto(f"{url}/settings")
    page.get_by_label("Your name (optional)").fill("Rivka")
    page.get_by_label("Rest days a streak carries through").select_option("3")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".flash")).to_have_text(WAITING)

    page.goto(f"{url}/goals/{goal_id}")
    page.get_by_role("button", name="Archive").click()
    expect(page.locator(".flash")).to_contain_text("Archived. You can bring it back any time.")
    assert outbox_size(page) == 3

    # The app is closed while offline; opened again, still offline, it shows what waits.
    page.close()
    later = context.new_page()
    later.set_viewport_size(PHONE)
    later.goto(f"{url}/")
    expect(later.get_by_role("region", name="A low-capacity day")).to_be_visible()
    later.goto(f"{url}/goals/{goal_id}")
    expect(later.get_by_role("button", name="Bring back")).to_be_visible()
    later.goto(f"{url}/settings")
    expect(later.get_by_label("Your name (optional)")).to_have_value("Rivka")
    expect(later.get_by_label("Rest days a streak carries through")).to_have_value("3")
    later.close()
    assert server_person(live_server.app) == before

    context.set_offline(False)
    back = context.new_page()
    back.set_viewport_size(PHONE)
    back.goto(f"{url}/")
    settle(back)
    wait_until(lambda: outbox_size(back) == 0, "the outbox sent")
    expected = {
        "low_capacity_today": True,
        "grace": 3,
        "display_name": "Rivka",
        "archived": ["Sleep a little better"],
    }
    assert settled_value(lambda: server_person(live_server.app), expected) == expected
    back.reload()
    expect(back.get_by_role("region", name="A low-capacity day")).to_be_visible()
    expect(back.get_by_role("button", name="Back to a usual day")).to_be_visible()
    assert sorted(puts) == sorted(["/api/v1/settings", f"/api/v1/days/{day_of(live_server.app)}"])


def day_of(app) -> str:
    """Return the person's today as the server reckons it."""
    with app.app_context():
        return today_for(db.session.scalars(select(User)).one()).isoformat()


def test_online_the_low_capacity_day_comes_back_from_the_server(context, page, live_server):
    page.set_viewport_size(PHONE)
    sign_up(page, live_server)

    page.get_by_role("button", name="Low-capacity day").click()
    expect(page.locator(".flash")).to_have_text(
        "A gentle day. Nudges are quiet today, and your smallest steps come first."
    )
    expect(page.get_by_role("region", name="A low-capacity day")).to_be_visible()
    page.get_by_role("button", name="Back to a usual day").click()
    expect(page.locator(".flash")).to_have_text("Back to your usual day.")
    expect(page.get_by_role("button", name="Low-capacity day")).to_be_visible()
    assert server_person(live_server.app)["low_capacity_today"] is False


def test_online_saved_settings_come_back_from_the_server(context, page, live_server):
    sign_up(page, live_server)
    page.goto(f"{live_server.url}/settings")
    settle(page)
    page.get_by_label("Your name (optional)").fill("Rivka")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".flash")).to_have_text("Settings saved.")
    expect(page.get_by_label("Your name (optional)")).to_have_value("Rivka")
    assert server_person(live_server.app)["display_name"] == "Rivka"


def server_plan(app) -> dict | None:
    """Return the person's saved nudge plan in the API's shape, or None."""
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        plan = plans.plan_of(user)
        return plans.as_json(plan) if plan else None


def test_a_nudge_plan_saved_offline_reaches_the_server(context, page, live_server):
    url = live_server.url
    page.set_viewport_size(PHONE)
    sign_up(page, live_server)
    wait_for_worker_and_cached_today(page)
    keep_for_offline(page, f"{url}/settings/nudges", "Save plan")

    context.set_offline(True)
    page.get_by_label("Nudge time 1").fill("08:30")
    page.get_by_role("button", name="Save plan").click()
    expect(page.locator(".flash")).to_have_text(WAITING)
    assert server_plan(live_server.app) is None

    context.set_offline(False)
    page.reload()
    settle(page)
    plan = settled_value(lambda: (server_plan(live_server.app) or {}).get("times"), ["08:30"])
    assert plan == ["08:30"]
    assert server_plan(live_server.app)["enabled"] is False  # on and off is the other control
