import re
import struct
from pathlib import Path

from smallsteps import pwa

STATIC = Path(pwa.__file__).parent / "static"
TODAY_BUDGET = 60 * 1024


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_the_service_worker_is_served_at_the_root_and_always_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    first_lines = response.get_data(as_text=True).splitlines()[:5]
    assert 'importScripts("/static/js/sw-push.js");' in first_lines


def test_a_new_deploy_gives_the_worker_a_new_version(app, client):
    before = client.get("/sw.js").get_data(as_text=True)
    assert "/static/js/today.js" in before and "/static/css/app.css" in before
    app.config["ASSET_VERSION"] = "next"
    after = client.get("/sw.js").get_data(as_text=True)
    assert after != before and after.startswith('const SHELL = {"version": "next"')


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    for key in ("id", "name", "short_name", "description", "start_url", "scope"):
        assert manifest[key]
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for image in manifest["icons"] + manifest["screenshots"]:
        with client.get(image["src"]) as response:
            assert response.status_code == 200
        width, height = png_size(STATIC / image["src"].removeprefix("/static/"))
        assert image["sizes"] == f"{width}x{height}"
    assert any(shot["form_factor"] == "narrow" for shot in manifest["screenshots"])


def test_pages_link_the_manifest_and_the_ios_home_screen_icon(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'name="apple-mobile-web-app-capable" content="yes"' in page
    match = re.search(r'rel="apple-touch-icon" href="([^"]+)"', page)
    assert match and png_size(STATIC / match.group(1).removeprefix("/static/")) == (180, 180)


def test_the_offline_page_needs_no_sign_in(client):
    response = client.get("/offline")
    assert response.status_code == 200
    assert "Your wins are safe on this device" in " ".join(response.get_data(as_text=True).split())


def test_the_today_page_ships_under_60_kb_of_its_own_script_and_style(person):
    page = person.client.get("/").get_data(as_text=True)
    pending = re.findall(r'<script type="module" src="/static/([^"]+)"', page)
    styles = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', page)
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        source = (STATIC / name).read_text(encoding="utf-8")
        folder = str(Path(name).parent)
        for imported in re.findall(r'import\s*(?:[^"\'()]*from\s*)?\(?\s*"\./([^"]+)"', source):
            pending.append(f"{folder}/{imported}")
    total = sum((STATIC / name).stat().st_size for name in seen | set(styles))
    assert {"js/app.js", "js/today.js", "js/sync.js", "js/store.js"} <= seen
    assert total < TODAY_BUDGET
