import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from smallsteps.extensions import db
from smallsteps.models import Win
from tests.browser.walk import sign_up, under_worker
from tests.waiting import settled_value, wait_until

pytestmark = pytest.mark.browser


def log_win(page, text):
    page.get_by_label("What's one small win?").fill(text)
    page.get_by_role("button", name="Log this win").click()
    expect(page.locator(".wins .win-text").filter(has_text=text)).to_be_visible()


def wait_until_the_server_has(server, count):
    """Wait until the wins logged on the phone have synced to the server."""

    def synced():
        with server.app.app_context():
            number = db.session.scalar(select(func.count()).select_from(Win))
            db.session.remove()
        return number

    assert settled_value(synced, count) == count, "the phone's wins reached the server"


def test_a_person_looks_back_on_a_phone_and_sees_how_far_they_have_come(page, live_server, context):
    sign_up(page, live_server)
    log_win(page, "Asked for help")
    log_win(page, "Paused before reacting")
    wait_until_the_server_has(live_server, 2)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Look back").click()
    expect(page.get_by_role("heading", name="How far you've come")).to_be_visible()
    expect(page.get_by_text("You've shown up 1 of the last 14 days.")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Momentum \d+ out of 100$"))).to_be_visible()
    expect(page.get_by_text("Your first win:")).to_be_visible()

    year = page.get_by_role("img", name=re.compile("Your year"))
    expect(year).to_be_visible()
    days = year.locator("rect.heat-day")
    assert 371 <= days.count() <= 377
    expect(days.last.locator("title")).to_have_text(re.compile(r": 2 wins$"))
    box = year.bounding_box()
    assert box and box["width"] <= page.viewport_size["width"]

    page.get_by_text("Your year in words").click()
    expect(page.get_by_role("table").get_by_role("rowheader").last).to_be_visible()
    expect(page.get_by_role("table").get_by_role("row").last).to_contain_text("2")

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert context.console_errors == []


def test_the_last_look_back_opens_again_without_a_connection(page, live_server, context):
    sign_up(page, live_server)
    log_win(page, "Chose rest when my body needed it")
    wait_until_the_server_has(live_server, 1)
    under_worker(page)
    page.goto(live_server.url + "/look-back")
    expect(page.get_by_text("You've shown up 1 of the last 14 days.")).to_be_visible()
    # Polled with evaluate: wait_for_function would poll an expression with eval, which the
    # CSP refuses.
    kept = "caches.open('smallsteps-pages').then((c) => c.match(location.href)).then(Boolean)"
    wait_until(lambda: page.evaluate(kept), "the look-back page kept for offline")

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="How far you've come")).to_be_visible()
    expect(page.get_by_text("You've shown up 1 of the last 14 days.")).to_be_visible()
    context.set_offline(False)
