import contextlib

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import func, select

from smallsteps.extensions import db
from smallsteps.models import Win
from tests.browser.walk import WIN_FIELD, settle, sign_up, sign_up_at
from tests.waiting import settled_value

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


# The phone the first screen is designed for: 390 by 844 CSS pixels, with touch.
SMALL_PHONE = {"width": 390, "height": 844}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def small_phone(browser, phone):
    """Return a page on a 390×844 phone that fails the test on any page error."""
    context = browser.new_context(**{**phone, "viewport": SMALL_PHONE})
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.console_errors = errors
    yield page
    context.close()


def server_wins(app) -> int:
    """Count the wins the server keeps."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Win))


def on_first_screen(locator) -> bool:
    """Say whether an element lies wholly inside the first screen, unscrolled."""
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SMALL_PHONE["height"]


def test_the_field_and_its_button_are_on_the_first_screen_of_a_phone(small_phone, live_server):
    page = small_phone
    sign_up(page, live_server)
    assert page.evaluate("scrollY") == 0
    assert on_first_screen(page.get_by_label(WIN_FIELD))
    assert on_first_screen(page.get_by_role("button", name="Log this win"))
    assert on_first_screen(page.get_by_role("button", name="Asked for help"))


def test_a_suggestion_fills_the_field_without_calling_up_the_keyboard(small_phone, live_server):
    page = small_phone
    sign_up(page, live_server)
    page.get_by_role("button", name="Asked for help").tap()
    field = page.get_by_label(WIN_FIELD)
    expect(field).to_have_value("Asked for help")
    expect(field).not_to_be_focused()

    page.get_by_text("More ideas").tap()
    page.get_by_role("button", name="Said no without guilt").tap()
    expect(field).to_have_value("Said no without guilt")
    expect(field).not_to_be_focused()


def test_the_celebration_is_said_where_the_person_is_looking(small_phone, live_server):
    page = small_phone
    sign_up(page, live_server)
    page.get_by_label(WIN_FIELD).fill("Drank a glass of water")
    page.get_by_role("button", name="Log this win").tap()
    celebration = page.locator(".flash-celebrate")
    expect(celebration).to_be_in_viewport()
    expect(page.get_by_role("status").filter(has=celebration)).to_have_count(1)
    assert page.console_errors == []


def test_undo_appears_in_view_after_a_delete_far_down_the_list(small_phone, live_server):
    page = small_phone
    sign_up(page, live_server)
    texts = ["Made my bed", "Opened the curtains", "Ate breakfast", "Answered one email"]
    for text in texts:
        page.get_by_label(WIN_FIELD).fill(text)
        page.get_by_role("button", name="Log this win").tap()
        expect(page.locator(".wins .win-text").filter(has_text=text)).to_be_visible()
    settle(page)  # the list is drawn again as each win syncs
    oldest = page.get_by_role("button", name="Delete “Made my bed”")
    oldest.scroll_into_view_if_needed()
    oldest.tap()
    expect(page.locator(".wins .win-text")).to_have_count(3)
    undo = page.get_by_role("button", name="Undo")
    expect(undo).to_be_in_viewport()
    expect(page.get_by_role("status").filter(has=undo)).to_contain_text("Deleted “Made my bed”.")
    undo.tap()
    expect(page.locator(".wins .win-text")).to_have_count(4)
    expect(page.get_by_role("status").filter(has_text="Brought back.")).to_be_in_viewport()


def test_the_tabs_are_at_the_bottom_of_a_phone_and_the_menu_on_top_of_a_desktop(
    browser, small_phone, live_server
):
    page = small_phone
    sign_up(page, live_server)
    tabs = page.get_by_role("navigation", name="Main")
    expect(tabs).to_have_count(1)
    expect(tabs.get_by_role("link", name="Today")).to_have_attribute("aria-current", "page")
    box = tabs.bounding_box()
    assert abs(box["y"] + box["height"] - SMALL_PHONE["height"]) <= 1, box
    for link in tabs.get_by_role("link").all():
        size = link.bounding_box()
        assert size["height"] >= 44 and size["width"] >= 44, size
    page.evaluate("scrollTo(0, document.documentElement.scrollHeight)")
    last = page.get_by_role("button", name="Sign out").bounding_box()
    assert last["y"] + last["height"] <= box["y"], "the tabs cover none of the page"
    tabs.get_by_role("link", name="Goals").tap()
    expect(tabs.get_by_role("link", name="Goals")).to_have_attribute("aria-current", "page")

    desktop = browser.new_context(**DESKTOP)
    wide = desktop.new_page()
    sign_up(wide, live_server, email="wide@example.com")
    menu = wide.get_by_role("navigation", name="Main")
    expect(menu).to_have_count(1)
    box = menu.bounding_box()
    assert box["y"] < 100 and box["height"] < 100, "the menu sits at the top, not at the bottom"
    desktop.close()


def test_the_status_says_checking_until_the_server_answers(small_phone, live_server):
    page = small_phone
    sign_up(page, live_server)
    page.get_by_label(WIN_FIELD).fill("Put the kettle on")
    page.get_by_role("button", name="Log this win").tap()
    status = page.locator("#sync-status")
    expect(page.locator(".wins .win-text")).to_have_text(["Put the kettle on"])
    assert settled_value(lambda: server_wins(live_server.app), 1) == 1, "the win reached the server"
    expect(status).to_have_text("All synced")

    held = []  # the server is slow: each sync waits here until the test lets it through

    def hold(route):
        held.append(route)

    page.route("**/api/v1/sync*", hold)
    with page.expect_request("**/api/v1/sync*"):
        page.reload()
    expect(page.locator(".wins .win-text")).to_have_text(["Put the kettle on"])
    expect(status).to_have_text("Checking…")
    assert held, "a sync is on its way to the server"

    page.unroute("**/api/v1/sync*")
    for route in held:
        with contextlib.suppress(PlaywrightError):  # a sync the reload cancelled
            route.continue_()
    expect(status).to_have_text("All synced")
