import pytest
from playwright.sync_api import expect

from tests.browser.walk import sign_up, sign_up_at

pytestmark = pytest.mark.browser


def test_a_win_is_logged_from_a_suggestion_on_a_phone(page, live_server, context):
    sign_up(page, live_server)
    page.get_by_role("button", name="Asked for help").click()
    expect(page.get_by_label("What's one small win?")).to_have_value("Asked for help")
    page.get_by_role("button", name="Log this win").click()

    expect(page.locator(".flash-celebrate")).to_be_visible()
    expect(page.locator(".wins .win-text")).to_have_text(["Asked for help"])
    assert context.console_errors == []


def test_sign_up_fills_in_the_browsers_time_zone(page, live_server, context):
    sign_up(page, live_server)
    page.goto(live_server.url + "/settings")
    expect(page.get_by_label("Time zone")).to_have_value(
        page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    )


def test_the_form_works_with_javascript_switched_off(browser, phone, live_server):
    context = browser.new_context(**phone, java_script_enabled=False)
    page = context.new_page()
    sign_up_at(page, live_server.url, email="nojs@example.com")
    page.get_by_label("What's one small win?").fill("Wrote down one thought")
    page.get_by_role("button", name="Log this win").click()
    expect(page.locator(".wins .win-text")).to_have_text(["Wrote down one thought"])
    context.close()
