"""Leaving a shared phone: after a sign-out or a deletion, nothing of the person stays on it."""

import shutil

import pytest
from playwright.sync_api import expect

from smallsteps import create_app
from tests.browser.conftest import LiveServer
from tests.browser.walk import PASSWORD, WIN_FIELD, go, sign_up, under_worker
from tests.conftest import app_config

# The module shares one server: its tests stay on one worker.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("leaving-device")]

CLEARED = "Nothing of yours is left on this device."

# Every place this origin keeps something, as [place, body] pairs: each IndexedDB store and
# each cached response. A database is opened only if the browser lists it, then closed; one
# deleted meanwhile is not made again (its creation is rolled back).
DEVICE = """async () => {
  const places = [];
  for (const { name } of await indexedDB.databases()) {
    const db = await new Promise((resolve) => {
      const opening = indexedDB.open(name);
      opening.onupgradeneeded = () => opening.transaction.abort();
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => resolve(null);
    });
    if (!db) continue;
    for (const store of db.objectStoreNames) {
      const rows = await new Promise((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
      });
      places.push([`indexedDB ${name}/${store}`, JSON.stringify(rows)]);
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      places.push([`cache ${name} ${request.url}`, await response.text()]);
    }
  }
  return places;
}"""

# Wait, polling every 50 ms for up to 30 s, until every text is kept somewhere (`kept`) or
# none is anywhere; return where the texts are found.
WAIT_FOR_DEVICE = (
    """async ([texts, kept]) => {
  const device = """
    + DEVICE
    + """;
  const deadline = Date.now() + 30000;
  for (;;) {
    const places = await device();
    const found = places.filter(([, body]) => texts.some((text) => body.includes(text)));
    const keptAll = texts.every((text) => found.some(([, body]) => body.includes(text)));
    if ((kept ? keptAll : !found.length) || Date.now() > deadline) {
      return found.map(([place, body]) => [place, texts.filter((t) => body.includes(t))]);
    }
    await new Promise((next) => setTimeout(next, 50));
  }
}"""
)

# Wait, polling as above, until the worker keeps the offline page; return whether it does.
WAIT_FOR_OFFLINE_PAGE = """async () => {
  const deadline = Date.now() + 30000;
  while (!(await caches.match("/offline")) && Date.now() < deadline) {
    await new Promise((next) => setTimeout(next, 50));
  }
  return Boolean(await caches.match("/offline"));
}"""


class Server(LiveServer):
    """The app on a loopback port; `browser_clears` off drops Clear-Site-Data from answers."""

    def __init__(self, app):
        """Serve the app through a filter that can play a browser ignoring Clear-Site-Data."""
        self.browser_clears = True
        wsgi_app = app.wsgi_app

        def serve(environ, start_response):
            def start(status, headers, *rest):
                if not self.browser_clears:
                    headers = [(k, v) for k, v in headers if k.lower() != "clear-site-data"]
                return start_response(status, headers, *rest)

            return wsgi_app(environ, start)

        app.wsgi_app = serve
        super().__init__(app)


@pytest.fixture(scope="module")
def server(sqlite_template, tmp_path_factory):
    """Serve one app on SQLite for the whole module."""
    folder = tmp_path_factory.mktemp("leaving")
    shutil.copy(sqlite_template, folder / "app.sqlite")
    server = Server(create_app(app_config(f"sqlite:///{folder / 'app.sqlite'}", folder)))
    yield server
    server.stop()


@pytest.fixture(params=["the page alone", "the browser too"])
def clearing(request, server):
    """Clear the device by the page's own script alone, or by Clear-Site-Data as well."""
    server.browser_clears = request.param == "the browser too"
    yield request.param
    server.browser_clears = True


@pytest.fixture
def phone_context(browser, phone):
    """Return a fresh browser profile on a 390×844 phone screen."""
    context = browser.new_context(**{**phone, "viewport": {"width": 390, "height": 844}})
    context.set_default_timeout(30_000)
    yield context
    context.close()


def wait_for_device(page, texts, kept):
    """Return where the device keeps any of `texts`, once it keeps all (or none) of them."""
    return dict(page.evaluate(WAIT_FOR_DEVICE, [texts, kept]))


def a_person_uses_the_phone(context, page, server, email, texts) -> None:
    """Sign up, log a win online and one offline, and keep the main pages for offline use.

    The offline win stays in the outbox: the server is out of reach for sync afterwards.
    """
    online, offline = texts
    sign_up(page, server, email)
    page.get_by_label(WIN_FIELD).fill(online)
    page.get_by_role("button", name="Log this win").click()
    expect(page.locator("#sync-status")).to_have_text("All synced")
    under_worker(page)
    for path in ["/goals", "/look-back", "/"]:  # the worker keeps each; Today comes last
        go(page, server.url + path)

    context.set_offline(True)
    page.get_by_label(WIN_FIELD).fill(offline)
    page.get_by_role("button", name="Log this win").click()
    expect(page.locator(".wins .win-text")).to_have_text([offline, online])
    context.route("**/api/v1/sync", lambda route: route.abort())
    context.set_offline(False)

    found = wait_for_device(page, texts, kept=True)
    assert f"cache smallsteps-pages {server.url}/" in found, found
    assert found["indexedDB smallsteps/outbox"] == [offline], found
    assert found["indexedDB smallsteps/records"] == texts, found


def nothing_of_them_is_left(context, page, server, texts) -> None:
    """Check the device keeps none of `texts`, and that offline, Today shows none of them."""
    assert wait_for_device(page, texts, kept=False) == {}
    expect(page.get_by_text(CLEARED)).to_be_visible()
    # The worker keeps its shell again (after Clear-Site-Data, a new worker does), offline page too.
    under_worker(page)
    assert page.evaluate(WAIT_FOR_OFFLINE_PAGE), "the offline page is kept again"
    context.set_offline(True)
    page.goto(server.url + "/")
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
    for text in texts:
        expect(page.get_by_text(text)).to_have_count(0)
    context.set_offline(False)
    context.unroute("**/api/v1/sync")


def the_next_person_sees_none_of_it(page, server, email, texts) -> None:
    """Sign up as someone else on the same phone: their Today is empty."""
    sign_up(page, server, email)
    expect(page.locator("#sync-status")).to_have_text("All synced")
    expect(page.locator(".wins .win-text")).to_have_count(0)
    for text in texts:
        expect(page.get_by_text(text)).to_have_count(0)
    assert wait_for_device(page, texts, kept=False) == {}


def test_deleting_the_account_leaves_nothing_of_it_on_the_phone(phone_context, server, clearing):
    page = phone_context.new_page()
    who = "page" if clearing == "the page alone" else "browser"
    texts = [f"Fed the heron at Lake Tinnery ({who})", f"Phoned Aunt Marguerite back ({who})"]
    a_person_uses_the_phone(phone_context, page, server, f"heron-{who}@example.com", texts)

    page.goto(server.url + "/settings/delete")
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Delete my account and everything in it").click()
    expect(page.get_by_text("That isn't your current password.")).to_be_visible()
    # A deletion the server refused leaves the device as it was, the outbox included.
    found = wait_for_device(page, texts, kept=True)
    assert found["indexedDB smallsteps/outbox"] == [texts[1]], found

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and everything in it").click()
    expect(page.get_by_text("Your account and everything in it are deleted.")).to_be_visible()
    nothing_of_them_is_left(phone_context, page, server, texts)
    the_next_person_sees_none_of_it(page, server, f"next-{who}@example.com", texts)


def test_signing_out_leaves_nothing_of_the_person_on_the_phone(phone_context, server, clearing):
    page = phone_context.new_page()
    who = "page" if clearing == "the page alone" else "browser"
    texts = [f"Mended the blue kite ({who})", f"Walked Pepperpot round the quay ({who})"]
    a_person_uses_the_phone(phone_context, page, server, f"kite-{who}@example.com", texts)

    # A win still waits to sync: signing out asks before it is dropped.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You're signed out.")).to_be_visible()
    assert asked == ["1 win waiting to sync and would be lost from this device. Sign out anyway?"]
    nothing_of_them_is_left(phone_context, page, server, texts)
    the_next_person_sees_none_of_it(page, server, f"after-kite-{who}@example.com", texts)
