"""The past within reach on a phone: yesterday's page, wins for an earlier time, a win moved,
offline from the device's copy; and Today drawn from that copy while the server is slow."""

import threading
from datetime import timedelta

from flask import request
from playwright.sync_api import expect
from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import User, Win
from smallsteps.services.accounts import today_for
from tests.browser.test_offline import wait_for_worker_and_cached_today
from tests.browser.walk import WIN_FIELD, settle, sign_up
from tests.waiting import settled_value, wait_until

PHONE = {"width": 390, "height": 844}


def server_days(app) -> dict[str, str]:
    """Return each live win's words with the day it counts for, and the person's today."""
    with app.app_context():
        wins = db.session.scalars(select(Win).where(Win.deleted_at.is_(None))).all()
        return {win.text: win.local_date.isoformat() for win in wins}


def person_today(app):
    with app.app_context():
        return today_for(db.session.scalars(select(User)).one())


def kept_pages(page) -> list[str]:
    """Return the paths of the pages the service worker keeps for offline use."""
    return page.evaluate(
        """() => caches.open('smallsteps-pages')
            .then((cache) => cache.keys())
            .then((keys) => keys.map((key) => new URL(key.url).pathname))"""
    )


def test_a_win_for_yesterday_and_a_moved_win_land_on_yesterday_offline_and_count(
    context, page, live_server
):
    page.set_viewport_size(PHONE)
    sign_up(page, live_server)
    wait_for_worker_and_cached_today(page)
    yesterday = (person_today(live_server.app) - timedelta(days=1)).isoformat()
    wait_until(lambda: f"/days/{yesterday}" in kept_pages(page), "yesterday kept for offline")

    context.set_offline(True)
    page.reload()
    page.get_by_label(WIN_FIELD).fill("Called my sponsor")
    page.get_by_text("Earlier, a step, energy or a note").click()
    page.get_by_label("Yesterday evening").check()
    page.get_by_role("button", name="Log this win").click()
    news = page.locator("#log-news")
    expect(news).to_contain_text("Kept for")
    expect(news).to_be_in_viewport()
    expect(page.locator(".wins .win-text")).to_have_count(0)

    page.get_by_label(WIN_FIELD).fill("Went for a walk")
    page.get_by_role("button", name="Log this win").click()
    page.locator(".win", has_text="Went for a walk").get_by_role("button", name="Edit").click()
    editor = page.locator(".win-edit")
    editor.get_by_label("Day").fill(yesterday)
    editor.get_by_label("Time").fill("18:30")
    editor.get_by_role("button", name="Save").click()
    expect(page.locator("#toast")).to_contain_text("Moved to")
    expect(page.locator("#toast")).to_be_in_viewport()
    expect(page.locator(".wins .win-text")).to_have_count(0)

    page.get_by_role("link", name="Yesterday", exact=True).click()
    expect(page.locator("#day-title")).to_be_visible()
    expect(page.locator(".wins .win-text")).to_have_text(["Called my sponsor", "Went for a walk"])
    page.get_by_role("link", name="Day before").click()  # never opened: drawn from yesterday's
    expect(page.locator(".empty")).to_have_text("Nothing logged this day. Rest is part of it too.")
    expect(page.locator("#day-kicker")).to_be_hidden()
    assert server_days(live_server.app) == {}
    page.close()

    context.set_offline(False)
    again = context.new_page()
    again.set_viewport_size(PHONE)
    again.goto(live_server.url + "/")
    expected = {"Called my sponsor": yesterday, "Went for a walk": yesterday}
    assert settled_value(lambda: server_days(live_server.app), expected) == expected
    again.get_by_label(WIN_FIELD).fill("Made tea slowly")
    again.get_by_role("button", name="Log this win").click()
    settle(again)
    summary = again.evaluate("() => fetch('/api/v1/summary').then((answer) => answer.json())")
    assert summary["streak"]["current"] == 2, "yesterday and today are one run"
    again.goto(f"{live_server.url}/days/{yesterday}")
    expect(again.locator(".wins .win-text")).to_have_text(["Called my sponsor", "Went for a walk"])


def test_today_paints_from_the_device_while_the_server_takes_its_time(context, page, live_server):
    app = live_server.app
    release = threading.Event()
    slow = {"on": False, "answered": 0}

    @app.before_request
    def take_time():
        if slow["on"] and request.path == "/":
            release.wait(8)  # the server takes 8 s, unless the test lets it go sooner
            slow["answered"] += 1

    page.set_viewport_size(PHONE)
    sign_up(page, live_server)
    page.get_by_label(WIN_FIELD).fill("Opened the curtains")
    page.get_by_role("button", name="Log this win").click()
    wait_for_worker_and_cached_today(page)
    settle(page)

    slow["on"] = True
    try:
        page.goto(live_server.url + "/")
        expect(page.get_by_role("button", name="Log this win")).to_be_in_viewport()
        expect(page.locator(".wins .win-text")).to_have_text(["Opened the curtains"])
        assert slow["answered"] == 0, "Today came from the device while the server was busy"
        # The one figure this issue sets for a test: the browser's own first paint, in ms.
        paint = page.evaluate(
            "() => performance.getEntriesByName('first-contentful-paint')[0].startTime"
        )
        assert paint < 1000, f"Today painted after {paint:.0f} ms"
    finally:
        release.set()
    expect(page.locator("#sync-status")).to_have_text("All synced")
