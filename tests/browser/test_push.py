"""Nudges in Chromium: a pushed nudge shows a notification, and its action opens the log form."""

import json

import pytest
from playwright.sync_api import expect

from smallsteps import assets
from smallsteps.domain.nudges import MESSAGES
from smallsteps.services.nudges.claims import payload
from tests.browser.test_today import sign_up
from tests.browser.walk import under_worker
from tests.waiting import wait_until

pytestmark = pytest.mark.browser

NOTIFICATIONS = """
navigator.serviceWorker.ready
  .then((worker) => worker.getNotifications())
  .then((shown) => shown.map((n) => ({
    title: n.title, body: n.body, tag: n.tag, icon: n.icon, badge: n.badge,
    actions: n.actions.map((a) => a.title),
  })))
"""


def registration_id(cdp, scope: str) -> str:
    """Return the DevTools id of the service worker registration for a scope."""
    found: dict[str, str] = {}

    def remember(event):
        for registration in event["registrations"]:
            if registration["scopeURL"] == scope and not registration["isDeleted"]:
                found["id"] = registration["registrationId"]

    cdp.on("ServiceWorker.workerRegistrationUpdated", remember)
    cdp.send("ServiceWorker.enable")

    def registered():
        cdp.send("Runtime.evaluate", {"expression": "1"})  # let events arrive
        return "id" in found

    wait_until(registered, "the app's service worker to be registered", seconds=10)
    return found["id"]


def shown(page) -> list[dict]:
    """Return the notifications shown, waiting a while for the first; none is an answer too."""
    try:
        return wait_until(lambda: page.evaluate(NOTIFICATIONS), "a notification", seconds=10)
    except AssertionError:
        return []


def test_a_pushed_nudge_shows_a_notification_that_opens_the_log_form(page, context, live_server):
    context.grant_permissions(["notifications"], origin=live_server.url)
    sign_up(page, live_server)
    under_worker(page)
    cdp = context.new_cdp_session(page)
    worker_id = registration_id(cdp, live_server.url + "/")

    data = payload(MESSAGES[0], live_server.url).decode()
    assert json.loads(data)["web_push"] == 8030
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": worker_id, "data": data},
    )

    [notification] = shown(page)
    assert notification["title"] == "Small Steps"
    assert notification["body"] == MESSAGES[0]
    assert notification["tag"] == "nudge"
    assert notification["actions"] == ["Log a win", "Not today"]
    static = f"{live_server.url}/static/{assets.current_version(live_server.app)}/"
    assert notification["icon"] == f"{static}icons/icon-192.png"
    assert notification["badge"] == f"{static}icons/badge-96.png"
    for icon in (notification["icon"], notification["badge"]):
        assert page.request.get(icon).ok

    page.goto(live_server.url + "/goals")
    [worker] = context.service_workers
    # DevTools cannot click a system notification, so the worker runs its click handler on it.
    worker.evaluate(
        """self.registration.getNotifications()
             .then(([nudge]) => self.smallStepsNudges.openLogForm(nudge, "log"))
             .then(() => true)"""
    )

    expect(page).to_have_url(live_server.url + "/#log-form")
    expect(page.get_by_label("What's one small win?")).to_be_focused()
    assert page.evaluate(NOTIFICATIONS) == []
    assert context.console_errors == []


def test_a_push_with_an_unreadable_payload_still_shows_a_kind_notification(
    page, context, live_server
):
    context.grant_permissions(["notifications"], origin=live_server.url)
    sign_up(page, live_server)
    under_worker(page)
    cdp = context.new_cdp_session(page)
    worker_id = registration_id(cdp, live_server.url + "/")

    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": worker_id, "data": "not json"},
    )

    [notification] = shown(page)
    assert notification["body"] == "What's one small win from today?"


def test_the_nudges_page_shows_the_turn_on_button_and_explains_first(page, live_server):
    sign_up(page, live_server)
    page.goto(live_server.url + "/settings/nudges")
    expect(page.get_by_text("never mentions streaks", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Turn on nudges on this device")).to_be_visible()


def test_on_an_iphone_outside_the_home_screen_the_page_explains_how_to_get_nudges(
    browser, playwright_instance, live_server
):
    iphone = dict(playwright_instance.devices["iPhone 13"])
    iphone.pop("default_browser_type", None)
    context = browser.new_context(**iphone)
    page = context.new_page()
    sign_up(page, live_server)
    page.goto(live_server.url + "/settings/nudges")
    expect(page.get_by_text("need Small Steps on your Home Screen", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Turn on nudges on this device")).to_be_hidden()
    context.close()
