"""A phone reaching a home server: over https through Caddy, and over plain http by LAN name.

Caddy (Debian's package) runs with `tls internal` in front of gunicorn, as the README's
recipe has it, and Chromium trusts Caddy's root the way a phone is told to: once, in its
certificate store. Chromium reaches Caddy over IPv6 (::1) while Caddy reaches gunicorn over
IPv4, so the app sees the phone's address only through Caddy's X-Forwarded-For
(PROXY_FIX_HOPS=1).
"""

import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from smallsteps import create_app
from smallsteps.extensions import db
from smallsteps.models import LoginFailure
from smallsteps.services import throttle
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.walk import sign_up_at
from tests.conftest import app_config, skip_unless_ci
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
SECRET = "https test secret"
PHONE_ADDRESS = "::1"


# The module shares one Caddy and one gunicorn: its tests stay on one worker.
pytestmark = pytest.mark.xdist_group("https")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def accepts(port: int, host: str) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def served(sqlite_template, tmp_path_factory):
    """Serve the app with gunicorn, as `make run` does, told one proxy stands in front."""
    folder = tmp_path_factory.mktemp("served")
    database = folder / "smallsteps.sqlite"
    shutil.copy(sqlite_template, database)
    port = free_port()
    env = {
        **os.environ,
        "SMALLSTEPS_SECRET_KEY": SECRET,
        "SMALLSTEPS_INSTANCE_PATH": str(folder / "instance"),
        "SMALLSTEPS_SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SMALLSTEPS_PROXY_FIX_HOPS": "1",
        "SMALLSTEPS_PASSWORD_HASH_PROFILE": "CHEAPEST",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        + ["--threads", "4", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: answers(f"http://127.0.0.1:{port}/healthz"), "gunicorn")
        yield {"port": port, "database": database, "folder": folder}
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def caddy(served, tmp_path_factory):
    """Run Caddy with `tls internal` in front of gunicorn; return its https port and root."""
    if not shutil.which("caddy"):
        skip_unless_ci("https tests skipped: no Caddy (Debian: apt-get install caddy)")
    folder = tmp_path_factory.mktemp("caddy")
    http_port, https_port = free_port(), free_port()
    caddyfile = folder / "Caddyfile"
    caddyfile.write_text(
        "{\n"
        "\tadmin off\n"
        "\tskip_install_trust\n"
        "\tauto_https disable_redirects\n"
        f"\thttp_port {http_port}\n"
        f"\thttps_port {https_port}\n"
        "}\n"
        f"https://smallsteps.test:{https_port} {{\n"
        "\ttls internal\n"
        "\tencode zstd gzip\n"
        f"\treverse_proxy 127.0.0.1:{served['port']}\n"
        "}\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(folder / "data"), "XDG_CONFIG_HOME": str(folder)}
    process = subprocess.Popen(
        ["caddy", "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = folder / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    try:
        wait_until(lambda: root.exists() and accepts(https_port, "::1"), "Caddy")
        yield {"port": https_port, "root": root}
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def phone_browser(playwright_instance, caddy, tmp_path_factory):
    """Launch a Chromium that trusts Caddy's root and finds the server by its names."""
    if not shutil.which("certutil"):
        skip_unless_ci("https tests skipped: no certutil (Debian: apt-get install libnss3-tools)")
    home = tmp_path_factory.mktemp("home")
    store = home / ".pki" / "nssdb"
    store.mkdir(parents=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{store}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{store}", "-t", "C,,", "-n", "Small Steps at home"]
        + ["-i", str(caddy["root"])],
        check=True,
    )
    rules = "MAP smallsteps.test [::1], MAP smallsteps.lan 127.0.0.1"
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules={rules}"],
        env={**os.environ, "HOME": str(home)},
    )
    yield browser
    browser.close()


@pytest.fixture
def phone_page(phone_browser):
    context = phone_browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    yield context.new_page()
    context.close()


def address_keys(served, email: str) -> set[str]:
    """Return the throttle keys an attempt from the phone's address would be kept under."""
    app = create_app(app_config(f"sqlite:///{served['database']}", served["folder"] / "check"))
    app.config["SECRET_KEY"] = SECRET
    with app.app_context():
        keys = set(throttle.keys_for(email, PHONE_ADDRESS))
        kept = set(db.session.scalars(select(LoginFailure.key)))
        db.engine.dispose()
    return keys & kept


def test_over_https_through_caddy_the_app_is_secure_and_installs(phone_page, caddy, served):
    page = phone_page
    url = f"https://smallsteps.test:{caddy['port']}"
    response = page.goto(url + "/signup")
    assert response.ok and page.url.startswith("https://")
    assert "max-age" in response.headers["strict-transport-security"]
    assert page.locator("#https-notice").count() == 0

    sign_up_at(page, url, "caddy@example.com")
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["session"]["secure"] and cookies["session"]["httpOnly"]
    assert page.evaluate("async () => (await navigator.serviceWorker.ready).active !== null")

    # A wrong password: the throttle counts it against the phone's address, not Caddy's.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Email")).to_be_visible()
    page.get_by_label("Email").fill("caddy@example.com")
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That email and password don't match")).to_be_visible()
    kept = address_keys(served, "caddy@example.com")
    assert any(key.startswith("address:") for key in kept)
    assert any(key.startswith("pair:") for key in kept)


def test_over_plain_http_at_a_lan_name_it_signs_up_and_says_https_is_needed(phone_page, served):
    page = phone_page
    url = f"http://smallsteps.lan:{served['port']}"
    page.goto(url + "/signup")
    notice = page.locator("#https-notice")
    expect(notice).to_contain_text("need a secure (https) address")
    sign_up_at(page, url, "lan@example.com")
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert not cookies["session"]["secure"]
    # Said once, kindly: not again on every page.
    assert page.locator("#https-notice").count() == 0
    page.goto(url + "/help/https")
    expect(page.get_by_role("heading", name="A secure address for Small Steps")).to_be_visible()
