"""Arabic reads right to left: the page, its tabs and the year's heatmap run that way."""

import pytest
from playwright.sync_api import expect

from tests.browser import axe
from tests.browser.walk import seed, sign_up, speak

pytestmark = pytest.mark.browser


def open_still(page, url):
    """Open a page and wait until it has synced and stopped moving, whatever its language."""
    page.goto(url)
    status = page.locator("#sync-status")
    expect(status).to_be_visible()
    # "" once a round has reached the server (not "checking", "offline" or "signed-out").
    expect(status).to_have_attribute("data-state", "synced")
    page.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished))")


def test_arabic_pages_read_right_to_left_and_time_runs_to_the_left(page, live_server):
    sign_up(page, live_server)
    seed(page, live_server)
    speak(page, live_server, "ar")
    found: dict[str, list[str]] = {}
    check = axe.check_both_schemes(found)

    open_still(page, live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    # The tabs at the bottom of the phone run right to left: Today, the first, is rightmost.
    tabs = page.locator("nav.site-nav a")
    expect(tabs).to_have_count(4)
    expect(tabs.first).to_have_attribute("href", "/")
    edges = [tabs.nth(index).bounding_box() for index in range(4)]
    lefts = [box["x"] for box in edges]
    assert lefts == sorted(lefts, reverse=True), lefts
    assert edges[0]["x"] + edges[0]["width"] > page.viewport_size["width"] - 16, edges[0]
    check(page, "Today")

    open_still(page, live_server.url + "/look-back")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    heatmap = page.locator(".heat-recent svg.heatmap")
    expect(heatmap).to_be_visible()
    days = heatmap.locator("rect.heat-day")
    frame = heatmap.bounding_box()
    oldest, newest = days.first.bounding_box(), days.last.bounding_box()
    # Today's week is the column at the left edge; the year reaches back to the right.
    assert newest["x"] < oldest["x"], (newest, oldest)
    assert newest["x"] - frame["x"] < 16, (newest, frame)
    # The weekday letters stand at the start of the line, on the right, and read unmirrored.
    letters = heatmap.locator('text.heat-label[x="2"]')
    expect(letters).to_have_count(4)
    for index in range(4):
        letter = letters.nth(index).bounding_box()
        assert letter["x"] >= oldest["x"] + oldest["width"], (letter, oldest)
    facing = heatmap.evaluate(
        """(svg) => ({
          labels: [...svg.querySelectorAll("text")].map((t) => Math.sign(t.getScreenCTM().a)),
          days: Math.sign(svg.querySelector("rect.heat-day").getScreenCTM().a),
        })"""
    )
    assert facing["days"] == -1 and set(facing["labels"]) == {1}, facing
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check(page, "Look back")

    assert not found, axe.report(found)
