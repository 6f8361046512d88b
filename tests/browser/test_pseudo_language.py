"""What the JavaScript says escapes no catalog either: read in Chromium, in the pseudo-language.

The pages' own words are checked without a browser (tests/test_pseudo_language.py); this
walks what only the scripts write: the sync status, the celebration, the counter, flashes
from a goal made on the device, the time-zone finder, the nudge switch, and being offline.
"""

import pytest
from playwright.sync_api import expect

from smallsteps import create_app
from tests.browser.conftest import LiveServer
from tests.browser.walk import sign_up_at
from tests.catalogs import PSEUDO, build_pseudo
from tests.conftest import app_config
from tests.test_pseudo_language import escaped

pytestmark = pytest.mark.browser

SEEN = """() => {
  const lists = "select[name=timezone], select[name=language]";
  const said = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const holder = node.parentElement;
    if (!holder || holder.closest(`script, style, ${lists}`)) continue;
    if (holder.checkVisibility() && node.data.trim()) said.push(node.data);
  }
  for (const element of document.querySelectorAll("[title], [aria-label], [placeholder], [alt]")) {
    if (element.closest(lists)) continue;
    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
      const value = element.getAttribute(name);
      if (value) said.push(value);
    }
  }
  return said;
}"""


@pytest.fixture
def pseudo_server(sqlite_template, static_build, tmp_path, tmp_path_factory):
    """Serve the app with the pseudo-language among its languages."""
    import shutil

    path = tmp_path / "pseudo.sqlite"
    shutil.copy(sqlite_template, path)
    folder = build_pseudo(tmp_path_factory.mktemp("pseudo-catalogs"))
    config = app_config(f"sqlite:///{path}", tmp_path / "instance")
    app = create_app(
        {
            **config,
            "ASSET_BUILD_FOLDER": str(static_build),
            "BABEL_TRANSLATION_DIRECTORIES": str(folder),
        }
    )
    server = LiveServer(app)
    yield server
    server.stop()


def read(page) -> list[str]:
    """Return what a person sees on the page now, the data lists' options set aside."""
    return page.evaluate(SEEN)


def test_the_scripts_say_everything_in_the_persons_language(browser, phone, pseudo_server):
    context = browser.new_context(**phone, locale=PSEUDO)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    url = pseudo_server.url
    said: list[str] = []

    sign_up_at(page, url)
    settle_in_any_language(page)
    assert page.evaluate("document.documentElement.lang") == PSEUDO  # the browser chose it
    page.locator("#log-form textarea, #log-form input[name=text]").first.fill("Φως και ανάσα")
    said += read(page)  # the counter, as the person types
    page.locator("#log-form button[type=submit]").click()
    expect(page.locator(".wins li").first).to_be_visible()
    said += read(page)  # the celebration

    for path in ("/goals", "/look-back", "/settings", "/settings/nudges", "/days"):
        page.goto(url + path)
        settle_in_any_language(page)
        said += read(page)

    page.goto(url + "/goals")
    page.locator("form[action$='/goals'] input[name=title]").fill("Ύπνος")
    page.locator("form[action$='/goals'] button[type=submit]").click()
    page.wait_for_load_state("load")
    said += read(page)

    page.goto(url + "/")
    settle_in_any_language(page)
    context.set_offline(True)
    page.locator("#log-form textarea, #log-form input[name=text]").first.fill("Ήπια μέρα")
    page.locator("#log-form button[type=submit]").click()
    expect(page.locator("#sync-status")).not_to_have_text("")
    said += read(page)  # offline: safe on this device
    context.set_offline(False)
    context.close()

    assert len(said) > 50
    assert not escaped(said), escaped(said)
    assert errors == []


def settle_in_any_language(page):
    """Wait until the page has loaded and its sync status says something."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        """() => {
          const status = document.getElementById("sync-status");
          return !status || (!status.hidden && status.textContent.trim() !== "");
        }"""
    )
