"""The JavaScript and the service worker speak the person's language, online and offline.

The catalogs are still empty, so these tests check the structure: the page's catalog loads
(from the worker's copy offline) and the JavaScript runs with it; its words, where a test
needs them, come from a catalog the test serves itself.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_push import registration_id
from tests.browser.walk import sign_up, speak, under_worker
from tests.waiting import wait_until

pytestmark = pytest.mark.browser

LOG_FIELD = "#log-form input[name=text]"
LOG_BUTTON = "#log-form button[type=submit]"
CATALOG = "document.documentElement.dataset.catalog"
# The words a page shows for a text: its catalog's, else the English source text.
SAID = """([url, text]) => fetch(url).then((r) => r.json()).then((words) => words[text] || text)"""
LANGUAGES = """
navigator.serviceWorker.ready
  .then((worker) => worker.getNotifications())
  .then((shown) => shown.map((n) => ({
    body: n.body, lang: n.lang, dir: n.dir, actions: n.actions.map((a) => a.title),
  })))
"""


def said(page, text: str) -> str:
    """Return what this page's catalog says for an English text (the text itself if nothing)."""
    return page.evaluate(SAID, [page.evaluate(CATALOG), text])


def test_an_arabic_page_loads_its_catalog_and_its_javascript_runs_right_to_left(
    page, context, live_server
):
    sign_up(page, live_server)
    speak(page, live_server, "ar")
    asked: list[str] = []
    page.on("request", lambda request: "/i18n/" in request.url and asked.append(request.url))
    page.goto(live_server.url + "/")

    status = page.locator("#sync-status")
    expect(status).to_have_attribute("data-state", "synced")  # a round reached the server
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    url = page.evaluate(CATALOG)
    assert re.fullmatch(r"/i18n/ar\.json\?v=[0-9a-f]{16}", url)
    assert live_server.url + url in asked
    expect(status).to_have_text(said(page, "All synced"))

    page.locator(LOG_FIELD).fill("Asked for help")
    page.locator(LOG_BUTTON).click()
    expect(page.locator(".flash-celebrate")).to_be_visible()
    expect(page.locator(".wins .win-text")).to_have_text(["Asked for help"])
    assert context.console_errors == []


def test_offline_the_page_speaks_from_the_catalog_the_worker_kept(page, context, live_server):
    sign_up(page, live_server)
    speak(page, live_server, "ar")
    page.goto(live_server.url + "/")
    under_worker(page)
    url = page.evaluate(CATALOG)
    # Every shipped language's catalog is kept with the shell, this person's among them.
    kept = f"caches.match({json.dumps(url)}).then(Boolean)"
    wait_until(lambda: page.evaluate(kept), "the Arabic catalog kept by the worker")
    today = "caches.open('smallsteps-pages').then((c) => c.match('/')).then((r) => r && r.text())"
    wait_until(lambda: 'lang="ar"' in (page.evaluate(today) or ""), "Today kept in Arabic")
    offline_words = said(page, "Offline — your wins are safe on this device")

    context.set_offline(True)
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#sync-status")).to_have_text(offline_words)
    page.locator(LOG_FIELD).fill("Drank a glass of water")
    page.locator(LOG_BUTTON).click()
    expect(page.locator(".wins .win-text")).to_have_text(["Drank a glass of water"])
    # Offline, sync's requests fail; nothing else may.
    errors = [error for error in context.console_errors if "Failed to load resource" not in error]
    assert errors == []


def test_the_javascripts_words_and_plurals_come_from_the_catalog_else_english(
    browser, phone, live_server
):
    # No worker here: the test's own catalog answers the page, not a kept copy.
    context = browser.new_context(**phone, service_workers="block")
    page = context.new_page()
    sign_up(page, live_server)
    speak(page, live_server, "ar")

    # No catalog to be had: the page still works, in English, right to left.
    context.route("**/i18n/ar.json*", lambda route: route.abort())
    page.goto(live_server.url + "/")
    expect(page.locator("#sync-status")).to_have_text("All synced")
    expect(page.locator("#text-count")).to_have_text("Up to 280 characters.")
    assert page.evaluate("document.documentElement.dir") == "rtl"

    categories = ("zero", "one", "two", "few", "many", "other")
    forms = {category: f"{category} {{count}}" for category in categories}
    words = {"All synced": "⟦All synced⟧", "{count} character left": forms}
    context.unroute("**/i18n/ar.json*")
    context.route("**/i18n/ar.json*", lambda route: route.fulfill(json=words))
    page.goto(live_server.url + "/")
    expect(page.locator("#sync-status")).to_have_text("⟦All synced⟧")
    # Not in the catalog: English, its number filled in.
    expect(page.locator("#text-count")).to_have_text("Up to 280 characters.")
    # Arabic's own plural categories, and its digits: 1 is "one", 5 "few", 30 "many".
    for left, category in ((1, "one"), (5, "few"), (30, "many")):
        page.locator(LOG_FIELD).fill("x" * (280 - left))
        number = page.evaluate(f"({left}).toLocaleString('ar')")
        expect(page.locator("#text-count")).to_have_text(f"{category} {number}")
    context.close()


def test_a_nudge_speaks_the_payloads_language_else_the_browsers(browser, phone, live_server):
    context = browser.new_context(**phone, locale="ar")
    try:
        context.grant_permissions(["notifications"], origin=live_server.url)
        page = context.new_page()
        sign_up(page, live_server)
        under_worker(page)
        cdp = context.new_cdp_session(page)
        worker_id = registration_id(cdp, live_server.url + "/")
        url = page.evaluate(
            "caches.keys().then((names) => Promise.all(names.map((n) => caches.open(n)"
            ".then((c) => c.keys())))).then((all) => all.flat().map((r) => r.url)"
            ".find((u) => u.includes('/i18n/ar.json')))"
        )
        assert url, "the worker keeps the Arabic catalog"

        def push(data: str) -> dict:
            page.evaluate(
                "navigator.serviceWorker.ready.then((w) => w.getNotifications())"
                ".then((all) => all.forEach((n) => n.close()))"
            )
            cdp.send(
                "ServiceWorker.deliverPushMessage",
                {"origin": live_server.url, "registrationId": worker_id, "data": data},
            )
            wait_until(lambda: page.evaluate(LANGUAGES), "a notification", seconds=10)
            [notification] = page.evaluate(LANGUAGES)
            return notification

        # No language in the payload: the browser's (Arabic), from the catalog the worker kept.
        unreadable = push("not json")
        assert unreadable["lang"] == "ar" and unreadable["dir"] == "rtl"
        assert unreadable["body"] == said_at(page, url, "What's one small win from today?")
        assert unreadable["actions"] == [
            said_at(page, url, "Log a win"),
            said_at(page, url, "Not today"),
        ]

        # The server's words, in the language it says, its action titles too.
        payload = {
            "notification": {
                "title": "Small Steps",
                "body": "¿Cuál es un pequeño logro de hoy?",
                "lang": "es",
                "dir": "ltr",
                "actions": [{"action": "log", "title": "Anotar un logro"}],
            }
        }
        spanish = push(json.dumps(payload))
        assert spanish["lang"] == "es" and spanish["dir"] == "ltr"
        assert spanish["body"] == "¿Cuál es un pequeño logro de hoy?"
        assert spanish["actions"][0] == "Anotar un logro"
        assert len(spanish["actions"]) == 2

        # Without the catalog (none kept, and the server has it no more), a nudge still comes,
        # in English.
        page.evaluate(
            "caches.keys().then((names) => Promise.all(names.map((n) => caches.open(n)"
            ".then((c) => c.keys().then((keys) => Promise.all(keys"
            ".filter((r) => r.url.includes('/i18n/')).map((r) => c.delete(r))))))))"
        )
        [worker] = context.service_workers
        worker.evaluate("SHELL.catalogs.ar = '/i18n/gone.json'")
        english = push("not json")
        assert english["body"] == "What's one small win from today?"
        assert english["actions"] == ["Log a win", "Not today"]
        assert english["lang"] == "en"
    finally:
        context.close()


def said_at(page, url: str, text: str) -> str:
    """Return what the catalog at `url` says for an English text (the text itself if nothing)."""
    return page.evaluate(SAID, [url, text])
