"""`nudges run`, and the launcher `make run` uses: the dispatcher runs beside the app."""

import signal
import socket
import subprocess
import sys
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.nudges.helpers import dispatcher_env, plan_nudges, sign_up, subscribe
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def plan_due_a_minute_ago(app, push_service, application_server_key):
    """Give a person a device and a plan whose slot fell due a couple of minutes ago."""
    river = sign_up(app, "river@example.com")
    phone = push_service.new_device(application_server_key)
    subscribe(river, phone)
    now = datetime.now(AMSTERDAM)
    due = (now - timedelta(minutes=2)).strftime("%H:%M")
    plan_nudges(app, river, now - timedelta(minutes=10), times=[due], only_if_no_win_today=False)
    return phone


@pytest.fixture(autouse=True)
def once(database_url):
    """Run these on SQLite only: they test processes and signals, not the database."""
    if not database_url.startswith("sqlite"):
        pytest.skip("process tests run once, on SQLite")


def test_nudges_run_sends_what_is_due_and_stops_on_sigterm(
    app, push_service, application_server_key, vapid_pem
):
    phone = plan_due_a_minute_ago(app, push_service, application_server_key)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "nudges", "run", "--interval", "0.5"],
        cwd=ROOT,
        env=dispatcher_env(app, push_service, vapid_pem),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until(lambda: push_service.delivered_to(phone), "the nudge to arrive")
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
    assert "Stopped sending nudges." in output
    assert len(push_service.delivered_to(phone)) == 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def is_running(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "\nState:\tZ" not in status.read_text()


def test_the_launcher_serves_the_app_sends_nudges_and_stops_both(
    app, push_service, application_server_key, vapid_pem
):
    phone = plan_due_a_minute_ago(app, push_service, application_server_key)
    port = free_port()
    launcher = subprocess.Popen(
        [sys.executable, "-m", "smallsteps.launcher", "--", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "wsgi:app"],
        cwd=ROOT,
        env=dispatcher_env(app, push_service, vapid_pem),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def serving() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as page:
                    return page.status == 200
            except OSError:
                return False

        wait_until(serving, "the app to answer")
        wait_until(lambda: push_service.delivered_to(phone), "the nudge to arrive")
        # The daily backup, taken at start, comes and goes beside the server and dispatcher.
        backups = Path(app.instance_path) / "backups"
        wait_until(lambda: backups.is_dir() and len(list(backups.iterdir())) == 1, "a backup")
        wait_until(lambda: len(children_of(launcher.pid)) == 2, "the backup to finish")
        children = children_of(launcher.pid)
    finally:
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=30)
    assert launcher.returncode == 0
    assert not [pid for pid in children if is_running(pid)]
    assert not serving()
