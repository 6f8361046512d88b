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

    weeks = page.get_by_role("group", name=re.compile("Your year"))
    expect(weeks).to_have_count(1)  # a phone gets the last weeks, not both pictures
    expect(weeks).to_be_visible()
    days = weeks.locator("rect.heat-day")
    assert 113 <= days.count() <= 119
    expect(days.last).to_have_accessible_name(re.compile(r": 2 wins$"))
    box = weeks.bounding_box()
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


def test_on_a_small_phone_every_day_of_the_heatmap_is_big_enough_to_read_and_tap(
    browser, live_server
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    sign_up(page, live_server)
    log_win(page, "Made the bed")
    wait_until_the_server_has(live_server, 1)
    page.goto(live_server.url + "/look-back")
    heatmap = page.get_by_role("group", name=re.compile("Your year"))
    expect(heatmap).to_be_visible()
    sizes = heatmap.evaluate(
        """(svg) => ({
          cells: [...svg.querySelectorAll("rect.heat-day")]
            .map((r) => r.getBoundingClientRect().width),
          fonts: [...svg.querySelectorAll("text")]
            .map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a),
          labels: svg.querySelectorAll("text").length,
        })"""
    )
    assert len(sizes["cells"]) >= 17 * 7 - 6 and min(sizes["cells"]) >= 12, sizes["cells"][:3]
    assert sizes["labels"] >= 4 and min(sizes["fonts"]) >= 12, sizes["fonts"]
    today = heatmap.get_by_role("link").last
    today.focus()
    expect(today).to_be_focused()
    expect(today).to_have_accessible_name(re.compile(r"^\w+day, \w+ \d+, \d{4}: 1 win$"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_a_wide_screen_shows_the_whole_year_at_the_same_size(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_up(page, live_server)
    page.goto(live_server.url + "/look-back")
    year = page.get_by_role("group", name=re.compile("Your year"))
    expect(year).to_have_count(1)
    days = year.locator("rect.heat-day")
    assert 371 <= days.count() <= 377
    box = days.first.bounding_box()
    assert box and box["width"] >= 12
    frame = year.bounding_box()
    assert frame and frame["x"] >= 0 and frame["x"] + frame["width"] <= 1280
    context.close()
