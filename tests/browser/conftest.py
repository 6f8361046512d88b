"""Browser fixtures: the app served on a loopback port and Debian's Chromium via Playwright."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from smallsteps import assets, create_app
from smallsteps.extensions import db
from tests.conftest import app_config, skip_unless_ci

BROWSER_TESTS = Path(__file__).parent
CHROMIUM = os.environ.get("SMALLSTEPS_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium tries to reach Google's services at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    """Mark every test in this folder `browser`, so `-m "not browser"` leaves them all out."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


class LiveServer:
    """The app served over HTTP on 127.0.0.1 in a background thread."""

    def __init__(self, app):
        """Start serving."""
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        """Stop serving and let go of the database."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def static_build(tmp_path_factory):
    """Compress the static files once, as `make run` does, so browsers get what phones get."""
    folder = tmp_path_factory.mktemp("static-build")
    config = app_config(f"sqlite:///{folder / 'unused.sqlite'}", folder / "instance")
    assets.build(create_app({**config, "ASSET_BUILD_FOLDER": str(folder / "build")}))
    return folder / "build"


@pytest.fixture
def live_app(sqlite_template, static_build, tmp_path):
    """Return the app on a fresh SQLite copy, serving compressed static files, for a browser."""
    path = tmp_path / "browser.sqlite"
    shutil.copy(sqlite_template, path)
    config = app_config(f"sqlite:///{path}", tmp_path / "instance")
    return create_app({**config, "ASSET_BUILD_FOLDER": str(static_build)})


@pytest.fixture
def live_server(live_app):
    """Serve the app on a loopback port for the length of one test."""
    server = LiveServer(live_app)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright_instance():
    """Start Playwright once per run."""
    if not os.path.exists(CHROMIUM):
        skip_unless_ci(f"browser tests skipped: no Chromium at {CHROMIUM}")
    from playwright.sync_api import expect, sync_playwright

    # A busy two-core machine can be slow; these bound waits, they time nothing.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    """Launch Debian's headless Chromium once per run."""
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def phone(playwright_instance):
    """Return the Pixel 7 profile: a phone-sized screen with touch."""
    return dict(playwright_instance.devices["Pixel 7"])


@pytest.fixture
def context(browser, phone):
    """Return a fresh browser profile on a phone; it fails the test on any page error."""
    context = browser.new_context(**phone)
    context.set_default_timeout(30_000)
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    context.console_errors = errors
    yield context
    context.close()


@pytest.fixture
def page(context):
    """Return a page that records console errors (a CSP violation is one)."""
    page = context.new_page()
    page.on(
        "console",
        lambda message: message.type == "error" and context.console_errors.append(message.text),
    )
    return page
