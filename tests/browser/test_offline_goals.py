"""Goals and steps change offline like wins do: at once on the page, then on the server."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import Goal, Step, Win
from tests.browser.test_offline import wait_for_worker_and_cached_today
from tests.browser.walk import send_changes, settle, sign_up, sign_up_at, stamp
from tests.waiting import settled_value, wait_until

pytestmark = pytest.mark.browser

WAITING = "Saved on this device; it syncs when you're back online."


def seed(page, server) -> dict:
    """Give the person two goals, a ladder with a smaller step, and a win toward it."""
    ids = {name: str(uuid.uuid4()) for name in ("sleep", "walk", "phone", "shelf", "lights")}
    ids["corner"], ids["win"] = str(uuid.uuid4()), str(uuid.uuid4())
    now = datetime.now(UTC)
    updated = stamp(now - timedelta(seconds=5))

    def goal(name, title):
        return {"type": "goal", "id": ids[name], "updated_at": updated, "data": {"title": title}}

    def step(name, goal_name, title, parent=None, target=None):
        data = {"title": title, "goal_id": ids[goal_name], "weekly_target": target}
        data["parent_step_id"] = ids[parent] if parent else None
        return {"type": "step", "id": ids[name], "updated_at": updated, "data": data}

    win = {"text": "Left my phone in the hall", "step_id": ids["shelf"]}
    win["occurred_at"] = now.isoformat(timespec="seconds")
    send_changes(
        page,
        server,
        [
            goal("sleep", "Sleep a little better"),
            goal("walk", "Walk more"),
            step("phone", "sleep", "Phone out of the bedroom", target=3),
            step("shelf", "sleep", "Phone on the hall shelf", parent="phone"),
            step("lights", "sleep", "Lights low at ten"),
            step("corner", "walk", "Walk to the corner"),
            {"type": "win", "id": ids["win"], "updated_at": updated, "data": win},
        ],
    )
    return ids


def keep_for_offline(page, url, showing):
    """Open a page online and wait until the service worker keeps this copy of it."""
    page.goto(url)
    settle(page)
    kept = f"""caches.open('smallsteps-pages').then((c) => c.match('{url}'))
        .then((copy) => (copy ? copy.text() : ''))"""
    wait_until(lambda: showing in page.evaluate(kept), f"{url} kept for offline use")


def server_state(app) -> dict:
    """Return what the server holds: live goals and steps, and what was deleted."""
    with app.app_context():
        goals = db.session.scalars(select(Goal)).all()
        steps = db.session.scalars(select(Step)).all()
        wins = db.session.scalars(select(Win)).all()
        return {
            "goals": sorted((g.title, g.archived_at is None) for g in goals if not g.is_deleted),
            "steps": sorted((s.title, s.weekly_target) for s in steps if not s.is_deleted),
            "deleted": sorted(str(record.id) for record in [*goals, *steps] if record.is_deleted),
            "wins": sorted(w.text for w in wins if not w.is_deleted),
        }


def wait_for_server(app, expected, seconds=60):
    return settled_value(lambda: server_state(app), expected, seconds)


def test_goals_and_steps_edited_and_deleted_offline_reach_the_server(context, page, live_server):
    url = live_server.url
    sign_up(page, live_server)
    wait_for_worker_and_cached_today(page)
    ids = seed(page, live_server)
    sleep, walk = f"{url}/goals/{ids['sleep']}", f"{url}/goals/{ids['walk']}"
    keep_for_offline(page, f"{sleep}/edit", "Sleep a little better")
    keep_for_offline(page, sleep, "Phone on the hall shelf")
    keep_for_offline(page, f"{url}/steps/{ids['lights']}/edit", "Lights low at ten")
    keep_for_offline(page, f"{walk}/edit", "Walk more")
    keep_for_offline(page, f"{url}/goals", "Walk more")
    keep_for_offline(page, f"{url}/", "Walk to the corner")
    before = server_state(live_server.app)

    context.set_offline(True)
    page.goto(f"{sleep}/edit")
    page.get_by_label("Goal", exact=True).fill("Sleep well, gently")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text(WAITING)
    page.get_by_role("link", name="Back to the goal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sleep well, gently")

    page.get_by_role("link", name="Edit “Lights low at ten”").click()
    page.get_by_label("How many days a week (optional)").select_option("5")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text(WAITING)
    page.get_by_role("link", name="Back to the goal").click()
    lights = page.locator(f"#step-{ids['lights']}")
    expect(lights.locator(".tag:visible")).to_have_text(["5 days a week"])

    expect(page.locator(".ladder .rung")).to_have_count(3)
    page.get_by_role("button", name="Remove “Phone out of the bedroom”").click()
    expect(page.locator(".ladder .rung-title")).to_have_text(["Lights low at ten"])
    expect(page.locator(".flash")).to_have_text(
        "Step removed. Your wins stay with you. It will sync when you're back online."
    )

    # Archived and brought back again while offline: one change waits, and the goal stays.
    page.get_by_role("button", name="Archive").click()
    expect(page.locator(".flash")).to_have_text(
        "Archived. You can bring it back any time. It will sync when you're back online."
    )
    expect(page.locator("section[data-record=goal] .tag")).to_have_text("Archived")
    page.get_by_role("button", name="Bring back").click()
    brought_back = "Brought back. It will sync when you're back online."
    expect(page.locator(".flash")).to_have_text(brought_back)
    expect(page.locator("section[data-record=goal] .tag")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sleep well, gently")

    page.goto(f"{walk}/edit")
    page.get_by_text("Delete goal", exact=True).click()
    page.get_by_role("button", name="Yes, delete this goal").click()
    expect(page.locator(".flash")).to_contain_text("Goal deleted. The wins you logged toward")
    page.get_by_role("link", name="Back to your goals").click()
    expect(page.locator(".goals > .goal h2")).to_have_text(["Sleep well, gently"])
    page.goto(f"{url}/")
    offered = page.locator("select[name=step_id] option")
    expect(offered.filter(has_text="Lights low at ten")).to_have_count(1)
    for gone in ["Phone out of the bedroom", "Phone on the hall shelf", "Walk to the corner"]:
        expect(offered.filter(has_text=gone)).to_have_count(0)
    assert server_state(live_server.app) == before
    page.close()

    context.set_offline(False)
    again = context.new_page()
    again.goto(f"{url}/goals")
    expected = {
        "goals": [("Sleep well, gently", True)],
        "steps": [("Lights low at ten", 5)],
        "deleted": sorted(ids[name] for name in ("walk", "phone", "shelf", "corner")),
        "wins": ["Left my phone in the hall"],
    }
    assert wait_for_server(live_server.app, expected) == expected
    expect(again.locator("#sync-status")).to_have_text("All synced")
    again.goto(sleep)
    expect(again.locator(".ladder .rung-title")).to_have_text(["Lights low at ten"])
    expect(again.locator(".ladder .tag:visible")).to_have_text(["5 days a week"])


def test_online_a_goal_edit_and_delete_land_where_the_servers_forms_do(context, page, live_server):
    url = live_server.url
    sign_up(page, live_server)
    ids = seed(page, live_server)
    sleep = f"{url}/goals/{ids['sleep']}"

    page.goto(f"{sleep}/edit")
    page.get_by_label("Goal", exact=True).fill(" ")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field-errors")).to_have_text("Give your goal a name.")
    expect(page).to_have_url(f"{sleep}/edit")

    page.get_by_label("Goal", exact=True).fill("Rest more")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(sleep)
    expect(page.locator(".flash")).to_have_text("Saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rest more")

    page.get_by_role("link", name="Edit goal").click()
    page.get_by_text("Delete goal", exact=True).click()
    page.get_by_role("button", name="Yes, delete this goal").click()
    expect(page).to_have_url(f"{url}/goals")
    expect(page.locator(".flash")).to_have_text(
        "Goal deleted. The wins you logged toward it stay with you."
    )
    expect(page.locator(".goals > .goal h2")).to_have_text(["Walk more"])
    state = server_state(live_server.app)
    assert state["goals"] == [("Walk more", True)]
    assert state["steps"] == [("Walk to the corner", None)]
    assert state["wins"] == ["Left my phone in the hall"]
    assert context.console_errors == []


def test_a_goal_is_deleted_with_javascript_switched_off(browser, phone, live_server):
    context = browser.new_context(**phone, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_up_at(page, live_server.url, email="nojs@example.com")
        page.goto(live_server.url + "/goals")
        page.get_by_label("Goal", exact=True).fill("Drink more water")
        page.get_by_role("button", name="Add goal").click()
        page.get_by_role("link", name="Edit goal").click()
        page.get_by_text("Delete goal", exact=True).click()
        page.get_by_role("button", name="Yes, delete this goal").click()
        expect(page.locator(".flash")).to_have_text(
            "Goal deleted. The wins you logged toward it stay with you."
        )
        expect(page.get_by_text("Drink more water")).to_have_count(0)
    finally:
        context.close()
