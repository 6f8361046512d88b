"""Take the manifest's narrow screenshot: Today on a phone-sized screen with a few wins.

Run by hand after the Today page changes, then commit the PNG:

    .venv/bin/python scripts/make_screenshot.py

Needs Chromium (SMALLSTEPS_CHROMIUM, default /usr/bin/chromium) and the test extras.
"""

import os
import sys
import tempfile
import threading
from pathlib import Path

import flask_migrate
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smallsteps import create_app  # noqa: E402

OUTPUT = ROOT / "smallsteps" / "static" / "screenshots" / "today-narrow.png"
SIZE = {"width": 540, "height": 1200}  # the size the manifest declares
WINS = (
    "Asked for help",
    "Took a deep breath instead of snapping",
    "Chose rest when my body needed it",
)


def main() -> None:
    """Serve a throwaway app, log a few wins like a person would, and take the picture."""
    with tempfile.TemporaryDirectory() as folder:
        config = {
            "SECRET_KEY": "screenshot",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/shot.sqlite",
            "INSTANCE_PATH": folder,
        }
        app = create_app(config)
        with app.app_context():
            flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        chromium = os.environ.get("SMALLSTEPS_CHROMIUM", "/usr/bin/chromium")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport=SIZE, device_scale_factor=1, is_mobile=True)
            page.goto(url + "/signup")
            page.get_by_label("Email").fill("river@example.com")
            page.get_by_label("Password").fill("a calm password")
            page.get_by_role("button", name="Create my account").click()
            for text in WINS:
                page.get_by_label("What's one small win?").fill(text)
                page.get_by_role("button", name="Log this win").click()
                page.locator(".wins .win-text", has_text=text).wait_for()
            page.locator("#sync-status", has_text="All synced").wait_for()
            page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
            page.wait_for_timeout(1200)  # let the celebration settle
            page.screenshot(path=str(OUTPUT))
            browser.close()
        server.shutdown()
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
