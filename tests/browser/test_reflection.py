"""The weekly reflection on a phone, offline: answered, the app closed, back online once."""

from playwright.sync_api import expect
from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import Reflection
from tests.browser.test_offline import wait_for_worker_and_cached_today
from tests.browser.test_offline_goals import keep_for_offline
from tests.browser.walk import sign_up
from tests.waiting import settled_value

PHONE = {"width": 390, "height": 844}
TINY = "What tiny step did you take this week?"
SHIFTED = "How have your habits shifted, even slightly?"
THEN_AND_NOW = "What are you doing today that you weren't doing six months ago?"


def server_reflections(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [
            (kept.tiny_step, kept.shifted, kept.then_and_now)
            for kept in db.session.scalars(select(Reflection))
        ]


def test_three_answers_given_offline_reach_the_server_once_and_look_back(
    context, page, live_server
):
    page.set_viewport_size(PHONE)
    sign_up(page, live_server)
    wait_for_worker_and_cached_today(page)
    page.goto(live_server.url + "/reflect")
    week = page.url
    keep_for_offline(page, week, "Your week in small steps")

    context.set_offline(True)
    page.reload()
    expect(page.get_by_text("Question 1 of 3")).to_be_visible()
    expect(page.get_by_label(SHIFTED)).to_be_hidden()
    page.get_by_label(TINY).fill("Asked for help at work")
    page.get_by_role("button", name="Next").click()
    page.get_by_label(SHIFTED).fill("I pause before I answer")
    page.get_by_role("button", name="Next").click()
    page.get_by_label(THEN_AND_NOW).fill("Walking to work")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator("#reflect-news")).to_have_text("Kept. Looking back is a small step too.")
    expect(page.locator("#reflect-news")).to_be_in_viewport()
    page.close()
    assert server_reflections(live_server.app) == []

    context.set_offline(False)
    again = context.new_page()
    again.set_viewport_size(PHONE)
    again.goto(live_server.url + "/")
    expected = [("Asked for help at work", "I pause before I answer", "Walking to work")]
    assert settled_value(lambda: server_reflections(live_server.app), expected) == expected
    again.goto(live_server.url + "/look-back")
    expect(again.get_by_text("This week you wrote")).to_be_visible()
    expect(again.get_by_text("“I pause before I answer”")).to_be_visible()
    again.reload()
    assert server_reflections(live_server.app) == expected  # once, not again on a reload
