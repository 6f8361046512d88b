"""No third parties: every request every page makes goes to the app's own origin."""

from urllib.parse import urlsplit

import pytest

from smallsteps import assets
from tests.browser.walk import under_worker, walk

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


def test_no_page_asks_another_host_for_anything(browser, phone, live_server):
    context = browser.new_context(**phone)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    links = {}

    def look(page, name):
        found = page.evaluate(LINKS_ELSEWHERE)
        if found:
            links[name] = found

    walk(page, live_server, look)
    # The worker's warm-up and precache, and the last sync, are part of the visit too.
    under_worker(page)
    page.wait_for_load_state("networkidle")
    context.close()

    elsewhere = sorted({url for url in requests if origin(url) != live_server.url})
    assert elsewhere == []
    assert links == {}
    # The recording saw the whole visit: pages, styles, scripts, icons, the worker and sync.
    paths = {urlsplit(url).path for url in requests}
    static = f"/static/{assets.current_version(live_server.app)}/"
    for path in ["/", "/look-back", f"{static}css/app.css", f"{static}js/app.js", "/sw.js"]:
        assert path in paths
    assert "/api/v1/sync" in paths
    assert any(path.startswith(f"{static}icons/") for path in paths)
