import re
import shutil

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import Win
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.browser.walk import sign_up, under_worker
from tests.waiting import settled_value, wait_until

pytestmark = pytest.mark.browser

PASSWORD = "a calm password"
WIN_FIELD = "What's one small win?"
# The page's own stylesheet, by the versioned URL the page links it with.
STYLESHEET_URL = "document.querySelector('link[rel=stylesheet]').href"
STYLESHEET = f"fetch({STYLESHEET_URL}).then((r) => r.text())"


def log_in(page, server, email="river@example.com"):
    page.goto(server.url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("textbox", name=WIN_FIELD)).to_be_visible()


def log_win(page, text):
    page.get_by_label(WIN_FIELD).fill(text)
    page.get_by_role("button", name="Log this win").click()


def wait_for_worker_and_cached_today(page):
    """Wait until the service worker controls the page and keeps Today for offline use."""
    under_worker(page)
    kept = "caches.open('smallsteps-pages').then((c) => c.match(location.origin + '/'))"
    wait_until(lambda: page.evaluate(f"{kept}.then(Boolean)"), "Today kept for offline use")


def server_wins(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(Win.text).where(Win.deleted_at.is_(None))))


def wait_for_server_wins(app, expected, seconds=60):
    return settled_value(lambda: server_wins(app), expected, seconds)


def outbox_size(page) -> int:
    return page.evaluate(
        """() => new Promise((resolve) => {
            const opening = indexedDB.open("smallsteps");
            opening.onsuccess = () => {
                const request = opening.result.transaction("outbox").objectStore("outbox").count();
                request.onsuccess = () => { opening.result.close(); resolve(request.result); };
            };
        })"""
    )


def test_chrome_finds_the_app_installable_and_the_worker_controls_the_page(
    playwright_instance, phone, live_server, tmp_path
):
    profile = {key: value for key, value in phone.items() if key != "default_browser_type"}
    # An incognito profile is never installable; a profile on disk is what a phone has.
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        **profile,
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        sign_up(page, live_server)
        under_worker(page)
        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
    finally:
        context.close()


def test_wins_logged_offline_reach_the_server_exactly_once(context, page, live_server):
    sign_up(page, live_server)
    wait_for_worker_and_cached_today(page)

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("textbox", name=WIN_FIELD)).to_be_visible()
    expect(page.locator("#sync-status")).to_have_text("Offline — your wins are safe on this device")
    log_win(page, "Paused before reacting")
    log_win(page, "Drank a glass of water")
    expect(page.locator(".wins .win-text")).to_have_text(
        ["Drank a glass of water", "Paused before reacting"]
    )
    page.close()
    assert server_wins(live_server.app) == []

    context.set_offline(False)
    again = context.new_page()
    again.goto(live_server.url + "/")
    expected = ["Drank a glass of water", "Paused before reacting"]
    assert wait_for_server_wins(live_server.app, expected) == expected
    expect(again.locator("#sync-status")).to_have_text("All synced")
    again.reload()
    expect(again.locator("#sync-status")).to_have_text("All synced")
    expect(again.locator(".wins .win-text")).to_have_text(expected)
    assert server_wins(live_server.app) == expected


def test_a_win_logged_on_one_device_appears_on_the_other(browser, phone, live_server):
    phone_one = browser.new_context(**phone)
    phone_two = browser.new_context(**phone)
    try:
        first, second = phone_one.new_page(), phone_two.new_page()
        sign_up(first, live_server)
        log_in(second, live_server)
        log_win(first, "Called my sister")
        assert wait_for_server_wins(live_server.app, ["Called my sister"]) == ["Called my sister"]
        expect(first.locator("#sync-status")).to_have_text("All synced")
        second.get_by_role("button", name="Sync now").click()
        expect(second.locator(".wins .win-text")).to_have_text(["Called my sister"])
    finally:
        phone_one.close()
        phone_two.close()


def test_a_win_is_edited_and_deleted_on_the_page_and_the_server_follows(page, live_server):
    sign_up(page, live_server)
    log_win(page, "Walked to the corner")
    page.get_by_role("button", name="Edit “Walked to the corner”").click()
    page.get_by_label("Your win").fill("Walked around the block")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".wins .win-text")).to_have_text(["Walked around the block"])
    assert wait_for_server_wins(live_server.app, ["Walked around the block"]) == [
        "Walked around the block"
    ]
    page.get_by_role("button", name="Delete “Walked around the block”").click()
    expect(page.locator(".wins .win-text")).to_have_count(0)
    assert wait_for_server_wins(live_server.app, []) == []
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".wins .win-text")).to_have_text(["Walked around the block"])
    assert wait_for_server_wins(live_server.app, ["Walked around the block"]) == [
        "Walked around the block"
    ]


def test_a_goal_and_a_step_made_offline_sync_when_back_online(context, page, live_server):
    sign_up(page, live_server)
    page.goto(live_server.url + "/goals")
    page.get_by_label("Goal", exact=True).fill("Sleep a little better")
    page.get_by_role("button", name="Add goal").click()
    # The new goal shows on the list at once, then its own page opens once it has synced.
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + "/goals/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name="Sleep a little better", level=1)).to_be_visible()
    wait_for_worker_and_cached_today(page)
    page.reload()  # keep this goal's page for offline use

    context.set_offline(True)
    page.reload()
    page.get_by_label("Step", exact=True).last.fill("Phone out of the bedroom")
    page.get_by_role("button", name="Add step").click()
    expect(page.locator(".rung-title")).to_have_text(["Phone out of the bedroom"])

    context.set_offline(False)
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("#sync-status")).to_have_text("All synced")
    page.reload()
    expect(page.locator(".rung-title")).to_have_text(["Phone out of the bedroom"])


def test_signing_out_clears_this_devices_copy(page, live_server):
    sign_up(page, live_server)
    log_win(page, "Asked for help")
    expect(page.locator("#sync-status")).to_have_text("All synced")
    wait_for_worker_and_cached_today(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Email")).to_be_visible()
    expect(page.get_by_text("Nothing of yours is left on this device.")).to_be_visible()
    names = page.evaluate("indexedDB.databases().then((all) => all.map((d) => d.name))")
    assert "smallsteps" not in names
    kept_today = "caches.match(location.origin + '/').then(Boolean)"
    assert page.evaluate(kept_today) is False


@pytest.fixture
def updatable_server(live_app, tmp_path):
    """Serve the app from a copy of its static files, so a test can deploy a new version."""
    static = tmp_path / "static"
    shutil.copytree(live_app.static_folder, static)
    live_app.static_folder = str(static)
    server = LiveServer(live_app)
    yield server
    server.stop()


def test_a_new_version_waits_for_consent_then_serves_new_files_and_keeps_the_outbox(
    context, page, updatable_server
):
    server = updatable_server
    sign_up(page, server)
    wait_for_worker_and_cached_today(page)
    # The server is out of reach for sync, so the win waits in the outbox.
    context.route("**/api/v1/sync", lambda route: route.abort())
    log_win(page, "Made my bed")
    expect(page.locator("#sync-status")).to_have_text("Offline — your wins are safe on this device")
    assert outbox_size(page) == 1

    # Deploy: a changed stylesheet and a new shell version.
    css = server.app.static_folder + "/css/app.css"
    with open(css, "a", encoding="utf-8") as stylesheet:
        stylesheet.write("\n/* version two */\n")
    server.app.config["ASSET_VERSION"] = "version-two"
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    expect(page.get_by_text("A new version is ready")).to_be_visible()
    old_css = page.evaluate(STYLESHEET)
    assert "version two" not in old_css

    page.evaluate("document.documentElement.dataset.before = 'update'")
    page.get_by_role("button", name="Update now").click()
    expect(page.locator("html[data-before]")).to_have_count(0)  # the page reloaded
    expect(page.get_by_role("textbox", name=WIN_FIELD)).to_be_visible()
    assert page.evaluate(STYLESHEET_URL).endswith("/static/version-two/css/app.css")
    new_css = page.evaluate(STYLESHEET)
    assert "version two" in new_css
    shells = [name for name in page.evaluate("caches.keys()") if "shell" in name]
    assert shells == ["smallsteps-shell-version-two"]
    assert outbox_size(page) == 1
    expect(page.locator(".wins .win-text")).to_have_text(["Made my bed"])

    context.unroute("**/api/v1/sync")
    page.get_by_role("button", name="Sync now").click()
    assert wait_for_server_wins(server.app, ["Made my bed"]) == ["Made my bed"]
