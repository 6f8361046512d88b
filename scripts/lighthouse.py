"""Run Lighthouse (mobile) on the sign-in page, Today and Look back; print the four scores.

Run by hand, never in the test suite (figures go in docs/quality.md):

    .venv/bin/python scripts/lighthouse.py

It migrates a throwaway SQLite database, gives one person half a year of wins, serves the app
with gunicorn on a free loopback port, signs in over HTTP and hands the session cookie to
Lighthouse (`--extra-headers`). Lighthouse comes from `npx --yes lighthouse@VERSION` (kept in
npm's own cache, not in this project) unless LIGHTHOUSE names a lighthouse binary; it drives
the system Chromium (CHROME_PATH, default /usr/bin/chromium). Each page is measured `--runs`
times and the median of each category is printed, with every audit that kept a page from 100.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smallsteps import assets, create_app  # noqa: E402

VERSION = "13.5.0"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
METRICS = [
    ("first-contentful-paint", "FCP", "s"),
    ("largest-contentful-paint", "LCP", "s"),
    ("total-blocking-time", "TBT", "ms"),
    ("cumulative-layout-shift", "CLS", ""),
    ("speed-index", "SI", "s"),
]
EMAIL, PASSWORD = "river@example.com", "a calm password"
# A day's page two days back: never today in any zone, so never redirected to Today.
A_DAY = (datetime.now(UTC).date() - timedelta(days=2)).isoformat()
PAGES = [
    ("Sign in", "/login", False),
    ("Today", "/", True),
    ("Look back", "/look-back", True),
    ("A day", f"/days/{A_DAY}", True),
]


def free_port() -> int:
    """Return a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def history(now: datetime) -> list[dict]:
    """Return one goal with a three-step ladder and about 180 days of wins, as sync changes."""
    stamp = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    goal, steps = str(uuid.uuid4()), [str(uuid.uuid4()) for _ in range(3)]
    changes = [
        {
            "type": "goal",
            "id": goal,
            "updated_at": stamp,
            "data": {"title": "Sleep a little better", "why": "Mornings are kinder."},
        }
    ]
    titles = ["In bed by eleven", "Screens off at half ten", "Phone on the charger in the hall"]
    for index, (step, title) in enumerate(zip(steps, titles, strict=True)):
        data = {
            "title": title,
            "goal_id": goal,
            "parent_step_id": steps[index - 1] if index else None,
            "weekly_target": 3 if index == 0 else None,
            "pairing": "",
        }
        changes.append({"type": "step", "id": step, "updated_at": stamp, "data": data})
    texts = ["Paused before reacting", "Asked for help", "Went for a short walk"]
    for day in range(200):
        if day % 7 in (3, 5):  # rest days
            continue
        moment = now - timedelta(days=day, minutes=5)
        data = {
            "text": texts[day % 3],
            "occurred_at": moment.isoformat(timespec="seconds"),
            "step_id": steps[day % 3] if day % 2 else None,
            "energy": "ok",
            "note": "",
        }
        changes.append({"type": "win", "id": str(uuid.uuid4()), "updated_at": stamp, "data": data})
    return changes


def prepare(folder: str) -> dict:
    """Migrate a fresh database, add one person with history, and return the app's config."""
    config = {
        "SECRET_KEY": uuid.uuid4().hex,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/lighthouse.sqlite",
        "INSTANCE_PATH": folder,
    }
    app = create_app({**config, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
    # Compressed static files, as `make run` builds them.
    assets.build(app)
    client = app.test_client()
    form = {"email": EMAIL, "password": PASSWORD, "timezone": "UTC"}
    assert client.post("/signup", data=form).status_code == 302, "signed up"
    changes = history(datetime.now(UTC))
    answer = client.post("/api/v1/sync", json={"since": None, "changes": changes})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return config


def serve(config: dict, port: int) -> subprocess.Popen:
    """Start gunicorn with the app factory on the port and wait until it answers."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        f"smallsteps:create_app({config!r})",
    ]
    server = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the app did not start")


def sign_in(base: str) -> str:
    """Sign in through the form and return the Cookie header a signed-in browser sends."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "email": EMAIL, "password": PASSWORD, "remember": "y"}
    opener.open(base + "/login", data=urllib.parse.urlencode(form).encode()).close()
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
    assert "session=" in cookies, "signed in"
    return cookies


def lighthouse_command() -> list[str]:
    """Return the command that runs Lighthouse."""
    if os.environ.get("LIGHTHOUSE"):
        return shlex.split(os.environ["LIGHTHOUSE"])
    return ["npx", "--yes", f"lighthouse@{VERSION}"]


def audit(url: str, cookie: str | None, output: Path) -> dict:
    """Run Lighthouse once on a URL, mobile settings, and return its JSON report."""
    command = [
        *lighthouse_command(),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    environment = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    # Now and then Chromium's trace misses the navigation (NO_NAVSTART); one more try fixes it.
    if subprocess.run(command, env=environment).returncode:
        subprocess.run(command, check=True, env=environment)
    return json.loads(output.read_text())


def shortfalls(reports: list[dict]) -> list[str]:
    """Name every scored audit that was not perfect in some run, with how many runs."""
    missed: dict[str, int] = {}
    for report in reports:
        for category in report["categories"].values():
            for ref in category["auditRefs"]:
                score = report["audits"][ref["id"]].get("score")
                if ref["weight"] and score is not None and score < 1:
                    key = f"{category['id']}: {ref['id']}"
                    missed[key] = missed.get(key, 0) + 1
    return [f"    below 100: {key} ({runs} of {len(reports)} runs)" for key, runs in missed.items()]


def metrics(reports: list[dict]) -> str:
    """Return the median of each performance metric and the spread of the score."""
    parts = []
    for audit_id, label, unit in METRICS:
        value = statistics.median(r["audits"][audit_id]["numericValue"] for r in reports)
        if unit == "s":
            parts.append(f"{label} {value / 1000:.1f} s")
        elif unit == "ms":
            parts.append(f"{label} {value:.0f} ms")
        else:
            parts.append(f"{label} {value:.3f}")
    performance = sorted(round(100 * r["categories"]["performance"]["score"]) for r in reports)
    parts.append(f"performance {performance[0]}–{performance[-1]}")
    return "    " + ", ".join(parts)


def main() -> None:
    """Measure each page and print the median scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        config = prepare(folder)
        port = free_port()
        server = serve(config, port)
        base = f"http://127.0.0.1:{port}"
        try:
            cookie = sign_in(base)
            print(f"Lighthouse {VERSION}, mobile, median of {arguments.runs} runs")
            print(f"{'page':<10} " + " ".join(f"{name:>15}" for name in CATEGORIES))
            for name, path, signed_in in PAGES:
                reports = [
                    audit(base + path, cookie if signed_in else None, Path(folder, "report.json"))
                    for _ in range(arguments.runs)
                ]
                scores = [
                    round(100 * statistics.median(r["categories"][c]["score"] for r in reports))
                    for c in CATEGORIES
                ]
                print(f"{name:<10} " + " ".join(f"{score:>15}" for score in scores))
                print(metrics(reports))
                for line in shortfalls(reports):
                    print(line)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
