"""One walk on a phone through every page, checked two ways: axe finds nothing in either
colour scheme, and every request every page makes goes to the app's own origin.

The walk is long, so one test walks once and asserts both.
"""

import shutil
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from smallsteps import assets, create_app
from tests.browser.axe import AXE, axe_source, check_both_schemes, report
from tests.browser.conftest import LiveServer
from tests.browser.walk import under_worker, walk
from tests.conftest import app_config

pytestmark = pytest.mark.browser

# Every attribute that makes a browser fetch or navigate, resolved against the page.
LINKS_ELSEWHERE = """() => {
  const found = [];
  const names = ["src", "href", "action", "formaction", "srcset", "poster", "data", "xlink:href"];
  for (const el of document.querySelectorAll("*")) {
    for (const name of names) {
      const value = el.getAttribute(name);
      if (!value) continue;
      const urls =
        name === "srcset" ? value.split(",").map((part) => part.trim().split(" ")[0]) : [value];
      for (const url of urls) {
        const resolved = new URL(url, document.baseURI);
        if (resolved.protocol.startsWith("http") && resolved.origin !== location.origin) {
          found.push(`<${el.tagName.toLowerCase()} ${name}="${value}">`);
        }
      }
    }
  }
  for (const meta of document.querySelectorAll("meta[content]")) {
    const content = meta.content.trim();
    if (/^(https?:)?\\/\\//i.test(content)) found.push(`<meta content="${content}">`);
  }
  return found;
}"""


def origin(url: str) -> str:
    """Return scheme://host:port of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Walked:
    """What the phone's walk found: axe's findings, links elsewhere, and every request."""

    axe: dict[str, list[str]]
    links: dict[str, list[str]]
    requests: list[str]
    origin: str
    version: str


@pytest.fixture
def phone_walk(browser, playwright_instance, sqlite_template, static_build, tmp_path_factory):
    """Walk every page once on a phone, running axe in both schemes and recording requests."""
    folder = tmp_path_factory.mktemp("phone-walk")
    shutil.copy(sqlite_template, folder / "walk.sqlite")
    config = app_config(f"sqlite:///{folder / 'walk.sqlite'}", folder / "instance")
    server = LiveServer(create_app({**config, "ASSET_BUILD_FOLDER": str(static_build)}))
    context = browser.new_context(**playwright_instance.devices["Pixel 7"], timezone_id="UTC")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    found: dict[str, list[str]] = {}
    links: dict[str, list[str]] = {}
    axe = check_both_schemes(found)

    def look(page, name):
        elsewhere = page.evaluate(LINKS_ELSEWHERE)
        if elsewhere:
            links[name] = elsewhere
        if AXE.is_file():  # else the test says why axe could not run
            axe(page, name)

    walk(page, server, look)
    # The worker's warm-up and precache, and the last sync, are part of the visit too.
    under_worker(page)
    page.wait_for_load_state("networkidle")
    context.close()
    walked = Walked(found, links, requests, server.url, assets.current_version(server.app))
    server.stop()
    return walked


def test_on_a_phone_axe_finds_nothing_and_no_page_asks_another_host_for_anything(phone_walk):
    elsewhere = sorted({url for url in phone_walk.requests if origin(url) != phone_walk.origin})
    assert elsewhere == []
    assert phone_walk.links == {}
    # The recording saw the whole visit: pages, styles, scripts, icons, the worker and sync.
    paths = {urlsplit(url).path for url in phone_walk.requests}
    static = f"/static/{phone_walk.version}/"
    for path in ["/", "/look-back", f"{static}css/app.css", f"{static}js/app.js", "/sw.js"]:
        assert path in paths
    assert "/api/v1/sync" in paths
    assert any(path.startswith(f"{static}icons/") for path in paths)
    axe_source()  # skips, or in CI fails, where axe-core is not installed
    assert not phone_walk.axe, report(phone_walk.axe)
