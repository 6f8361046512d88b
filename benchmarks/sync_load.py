"""Load test: twelve phones syncing at once against `make run`'s server, on SQLite.

Run by hand, not by the test suite:

    .venv/bin/python benchmarks/sync_load.py [--seconds 60] [--clients 12]

A fresh SQLite database in a temporary folder gets every migration and `--clients`
people, made directly as rows with one precomputed password hash. gunicorn then serves
`wsgi:app` the way `make run` does (2 workers, 4 threads each, access log on) on a free
port of 127.0.0.1, told the database and a secret key through SMALLSTEPS_* variables; the
nudge dispatcher is not started. Each person signs in once through the sign-in page and
then runs as one phone in a thread of its own, on one kept-alive connection, for
`--seconds`, as fast as the server answers:

- POST /api/v1/sync with 1–3 new wins (fresh UUIDs, `occurred_at` with an offset,
  `updated_at` now) and the cursor its last answer gave it, with the token from
  GET /api/v1/csrf in `X-CSRFToken`;
- now and then the same request again, as if the answer had been lost on the way back:
  every record must come back `unchanged` and be pulled again;
- now and then GET / and GET /api/v1/summary, as the app does when it opens.

A request that fails stays in the phone's outbox and is sent again. When time is up, each
phone empties its outbox and gunicorn is stopped. Then the database is read directly: each
person's live wins must be exactly the wins their phone sent, nothing lost and nothing
doubled, and every win must have come back `applied` the first time. The run exits
non-zero on any error, loss or duplicate, and prints what gunicorn logged as an error.
"""

import argparse
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import requests
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import migrated_app, win_change  # noqa: E402
from benchmarks.served import logged_errors, serving  # noqa: E402
from smallsteps.extensions import db  # noqa: E402
from smallsteps.models import User, Win  # noqa: E402
from smallsteps.services import passwords  # noqa: E402

PASSWORD = "a calm benchmark password"
SECRET_KEY = "sync-load-benchmark"
REQUEST_TIMEOUT = 60.0  # above gunicorn's 30-second worker timeout, so that one shows
RESEND_CHANCE = 0.1
PAGE_CHANCE = 0.05
SUMMARY_CHANCE = 0.1
MAX_REQUESTS = 100_000  # per phone, whatever the clock says
DRAIN_TRIES = 5
OFFSETS = [timezone(timedelta(hours=hours)) for hours in (-5, 0, 1, 9)]
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass
class Tally:
    """What one phone saw: requests, failures, record statuses and sync latencies."""

    requests: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    sync_ms: list[float] = field(default_factory=list)
    sent: set[str] = field(default_factory=set)
    first_status: dict[str, str] = field(default_factory=dict)
    resend_status: Counter = field(default_factory=Counter)
    pulled: set[str] = field(default_factory=set)
    resends: int = 0
    pending: int = 0


def new_wins(rng: random.Random) -> list[dict]:
    """Return 1–3 new wins as a phone sends them."""
    now = datetime.now(UTC)
    stamp = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    wins = []
    for _ in range(rng.randint(1, 3)):
        lived = now - timedelta(minutes=rng.randint(0, 600))
        occurred = lived.astimezone(rng.choice(OFFSETS)).isoformat("T", "seconds")
        wins.append(win_change(occurred, stamp, energy=rng.choice(["low", "ok", "high", None])))
    return wins


class Phone:
    """One person's phone: a signed-in session that syncs until told to stop."""

    def __init__(self, base: str, email: str, seed: int):
        """Sign in through the sign-in page and fetch the API's CSRF token."""
        self.base = base
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.cursor: str | None = None
        self.http = requests.Session()
        page = self.http.get(f"{base}/login", timeout=REQUEST_TIMEOUT)
        page.raise_for_status()
        token = CSRF_META.search(page.text).group(1)
        form = {"csrf_token": token, "email": email, "password": PASSWORD}
        signed_in = self.http.post(
            f"{base}/login", data=form, allow_redirects=False, timeout=REQUEST_TIMEOUT
        )
        if signed_in.status_code != 302:
            raise RuntimeError(f"sign-in as {email} answered {signed_in.status_code}")
        answer = self.http.get(f"{base}/api/v1/csrf", timeout=REQUEST_TIMEOUT)
        answer.raise_for_status()
        self.http.headers["X-CSRFToken"] = answer.json()["csrf_token"]

    def request(self, kind: str, method: str, path: str, **kwargs) -> requests.Response | None:
        """Send one request; count it, and count and return None for any failure."""
        self.tally.requests[kind] += 1
        try:
            response = self.http.request(
                method, self.base + path, timeout=REQUEST_TIMEOUT, allow_redirects=False, **kwargs
            )
        except requests.RequestException as error:
            self.tally.failures[f"{kind}: {type(error).__name__}: {error}"[:200]] += 1
            return None
        if not 200 <= response.status_code < 300:
            detail = response.text.strip().replace("\n", " ")[:120]
            self.tally.failures[f"{kind}: {response.status_code} {detail}"] += 1
            return None
        return response

    def sync(self, body: dict) -> dict | None:
        """POST a sync body, timing it; return the answer or None when it failed."""
        started = time.perf_counter()
        response = self.request("sync", "POST", "/api/v1/sync", json=body)
        self.tally.sync_ms.append((time.perf_counter() - started) * 1000)
        if response is None:
            return None
        answer = response.json()
        self.tally.pulled.update(change["id"] for change in answer["changes"])
        return answer

    def send(self, changes: list[dict]) -> bool:
        """Send new wins from the cursor; perhaps lose the answer and send them again."""
        body = {"since": self.cursor, "changes": changes}
        self.tally.sent.update(change["id"] for change in changes)
        answer = self.sync(body)
        if answer is None:
            return False
        for result in answer["results"]:
            self.tally.first_status.setdefault(result["id"], result["status"])
        if self.rng.random() < RESEND_CHANCE:
            # The answer never reached the phone: the same body goes again, same cursor.
            self.tally.resends += 1
            again = self.sync(body)
            if again is None:
                return False
            self.tally.resend_status.update(result["status"] for result in again["results"])
            answer = again
        self.cursor = answer["cursor"]
        return True

    def run(self, deadline: float, stop: threading.Event) -> None:
        """Sync and look until the deadline, then empty the outbox."""
        outbox: list[dict] = []
        for _ in range(MAX_REQUESTS):
            if stop.is_set() or time.monotonic() >= deadline:
                break
            if not outbox:
                outbox = new_wins(self.rng)
            if self.send(outbox):
                outbox = []
            if self.rng.random() < PAGE_CHANCE:
                self.request("GET /", "GET", "/")
            if self.rng.random() < SUMMARY_CHANCE:
                self.request("summary", "GET", "/api/v1/summary")
        for _ in range(DRAIN_TRIES):
            if not outbox or stop.is_set():
                break
            if self.send(outbox):
                outbox = []
        self.tally.pending = len(outbox)
        self.http.close()


def seed_people(app, count: int) -> list[str]:
    """Make `count` people directly as rows sharing one password hash; return their emails."""
    emails = [f"phone{number}@example.com" for number in range(count)]
    with app.app_context():
        password_hash = passwords.hash_password(PASSWORD)
        db.session.add_all(
            User(email=email, password_hash=password_hash, timezone="Europe/Amsterdam")
            for email in emails
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return emails


def run_phones(phones: list[Phone], seconds: float) -> float:
    """Run every phone in a thread of its own; return the seconds they took."""
    stop = threading.Event()
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=phone.run, args=(deadline, stop)) for phone in phones]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)
    except KeyboardInterrupt:
        stop.set()
        for thread in threads:
            thread.join()
        raise
    return time.monotonic() - started


def live_wins(app, emails: list[str]) -> dict[str, tuple[set[str], int]]:
    """Return each person's live win ids and how many rows of wins they have in all."""
    found: dict[str, tuple[set[str], int]] = {}
    with app.app_context():
        for email in emails:
            user_id = db.session.scalar(select(User.id).where(User.email == email))
            rows = db.session.execute(
                select(Win.id, Win.deleted_at).where(Win.user_id == user_id)
            ).all()
            live = {str(win_id) for win_id, deleted_at in rows if deleted_at is None}
            found[email] = (live, len(rows))
        db.session.remove()
        db.engine.dispose()
    return found


def report(args, phones: dict[str, Phone], stored: dict, elapsed: float, log: list[str]) -> bool:
    """Print the figures and every problem found; return whether the run was clean."""
    requests_made: Counter = Counter()
    failures: Counter = Counter()
    first: Counter = Counter()
    resent: Counter = Counter()
    sync_ms: list[float] = []
    sent = lost = doubled = missed = pending = resends = 0
    for email, phone in phones.items():
        tally = phone.tally
        requests_made += tally.requests
        failures += tally.failures
        first.update(tally.first_status.get(win_id, "no answer") for win_id in tally.sent)
        resent += tally.resend_status
        sync_ms += tally.sync_ms
        live, rows = stored[email]
        sent += len(tally.sent)
        lost += len(tally.sent - live)
        doubled += len(live - tally.sent) + (rows - len(live))
        missed += len(tally.sent - tally.pulled)
        pending += tally.pending
        resends += tally.resends
    total = sum(requests_made.values())
    errors = sum(failures.values())
    centiles = statistics.quantiles(sync_ms, n=100) if len(sync_ms) > 1 else [0.0] * 99
    rows = [
        ("clients", f"{len(phones)}"),
        ("seconds", f"{elapsed:.1f}"),
        ("requests", f"{total:,}"),
        ("… sync (of them resends)", f"{requests_made['sync']:,} ({resends:,})"),
        (
            "… GET / and GET /api/v1/summary",
            f"{requests_made['GET /']:,} and {requests_made['summary']:,}",
        ),
        ("requests per second", f"{total / elapsed:,.0f}"),
        ("errors (non-2xx or no answer)", f"{errors}"),
        ("wins sent", f"{sent:,}"),
        ("first answer", ", ".join(f"{s} {n:,}" for s, n in first.most_common())),
        ("answer to a resend", ", ".join(f"{s} {n:,}" for s, n in resent.most_common()) or "–"),
        ("lost (sent, not stored)", f"{lost}"),
        ("doubled (stored, not sent)", f"{doubled}"),
        ("missed by a pull", f"{missed}"),
        ("left in an outbox", f"{pending}"),
        ("sync p50 / p99 ms", f"{centiles[49]:.1f} / {centiles[98]:.1f}"),
        ("sync slowest ms", f"{max(sync_ms, default=0):.1f}"),
        ("syncs over 1 s", f"{sum(ms > 1000 for ms in sync_ms)}"),
    ]
    print(f"\n{len(phones)} phones syncing for {args.seconds:g} s on SQLite\n")
    print("| measure | value |\n| --- | --- |")
    print("\n".join(f"| {name} | {value} |" for name, value in rows))
    for failure, count in failures.most_common(20):
        print(f"error ×{count}: {failure}", file=sys.stderr)
    if log:
        print(f"\ngunicorn logged {len(log)} error lines; the first 40:", file=sys.stderr)
        print("\n".join(log[:40]), file=sys.stderr)
    wrong_first = sent - first["applied"]
    wrong_resend = sum(resent.values()) - resent["unchanged"]
    problems = [errors, lost, doubled, missed, pending, wrong_first, wrong_resend, log]
    return not any(problems)


def main() -> int:
    """Seed the people, serve, run the phones, check the database, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        database_url = f"sqlite:///{folder / 'load.sqlite'}"
        app = migrated_app(database_url, folder)
        emails = seed_people(app, args.clients)
        variables = {
            "SMALLSTEPS_SQLALCHEMY_DATABASE_URI": database_url,
            "SMALLSTEPS_SECRET_KEY": SECRET_KEY,
        }
        with serving("wsgi:app", variables, folder, "/login") as (base, error_log):
            print(f"Signing in {len(emails)} people …", file=sys.stderr)
            phones = {email: Phone(base, email, seed) for seed, email in enumerate(emails)}
            print(f"Syncing for {args.seconds:g} s …", file=sys.stderr)
            elapsed = run_phones(list(phones.values()), args.seconds)
        stored = live_wins(app, emails)
        clean = report(args, phones, stored, elapsed, logged_errors(error_log))
    print("\nNo errors, nothing lost, nothing doubled." if clean else "\nFAILED", file=sys.stderr)
    return 0 if clean else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the server and the folder are gone by now
        sys.exit(130)
