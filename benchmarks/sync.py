"""Benchmark POST /api/v1/sync: a 500-change batch against a one-change sync and a no-op.

Run by hand, not by the test suite:

    .venv/bin/python benchmarks/sync.py [--rounds 40]

SQLite always; PostgreSQL too when SMALLSTEPS_BENCH_POSTGRES_URL (or
SMALLSTEPS_TEST_POSTGRES_URL) names a server, for example
postgresql+psycopg://postgres@127.0.0.1:5432/postgres. A database of its own is created
there and dropped afterwards.

Three signed-in people, each with 2,000 wins already synced, are served by the same app in
the same run, requests interleaved round by round: one sends a batch of 500 new wins, one
sends a single new win, and one sends nothing (a no-op pull with an up-to-date cursor).
Each keeps the cursor its last answer gave it, as a phone does. The app runs in process
through Flask's test client, so the figures are the app's own cost: routing, session,
parsing, queries and JSON, without a network. The goal: a record in the 500-change batch
costs at most a twentieth of what a one-change sync costs.
"""

import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import migrated_app, run_benchmark, win_change  # noqa: E402
from smallsteps.extensions import db  # noqa: E402
from smallsteps.services import accounts  # noqa: E402

PASSWORD = "a calm benchmark password"
BATCH = 500
HISTORY_BATCHES = 4
WARMUP_ROUNDS = 3


def new_wins(count: int) -> list[dict]:
    """Return `count` new wins as a phone sends them."""
    now = datetime.now(UTC)
    stamp = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    occurred = now.astimezone().isoformat(timespec="seconds")
    return [win_change(occurred, stamp, energy="low") for _ in range(count)]


class Phone:
    """One person's device: a signed-in client that remembers its cursor."""

    def __init__(self, app, email: str):
        """Sign up and sign in."""
        with app.app_context():
            accounts.create_account(email, PASSWORD, "Europe/Amsterdam")
        self.client = app.test_client()
        response = self.client.post("/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        self.cursor = None

    def sync(self, changes: list[dict]) -> float:
        """Send changes, keep the new cursor, and return the milliseconds it took."""
        body = {"since": self.cursor, "changes": changes}
        started = time.perf_counter()
        response = self.client.post("/api/v1/sync", json=body)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.get_data(as_text=True)
        answer = response.json
        assert all(result["status"] == "applied" for result in answer["results"])
        assert len(answer["changes"]) == len(changes)
        self.cursor = answer["cursor"]
        return elapsed * 1000


def measure(database_url: str, instance: Path, rounds: int) -> dict[str, list[float]]:
    """Time the three syncs, interleaved, ``rounds`` times each."""
    app = migrated_app(database_url, instance)
    phones = {
        f"{BATCH}-change batch": (Phone(app, "batch@example.com"), BATCH),
        "one-change sync": (Phone(app, "one@example.com"), 1),
        "no-op sync": (Phone(app, "noop@example.com"), 0),
    }
    for phone, _ in phones.values():
        for _ in range(HISTORY_BATCHES):
            phone.sync(new_wins(BATCH))
    times: dict[str, list[float]] = {name: [] for name in phones}
    for round_number in range(rounds + WARMUP_ROUNDS):
        for name, (phone, count) in phones.items():
            elapsed = phone.sync(new_wins(count))
            if round_number >= WARMUP_ROUNDS:
                times[name].append(elapsed)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return times


def report(label: str, times: dict[str, list[float]]) -> list[str]:
    """Return markdown rows: median, 90th percentile and per-record cost, and the ratio."""
    rows = []
    medians = {name: statistics.median(values) for name, values in times.items()}
    sizes = {f"{BATCH}-change batch": BATCH, "one-change sync": 1, "no-op sync": None}
    for name, values in times.items():
        p90 = statistics.quantiles(values, n=10)[-1]
        size = sizes[name]
        per_record = f"{medians[name] / size:.3f}" if size else "–"
        rows.append(f"| {label} | {name} | {medians[name]:.2f} | {p90:.2f} | {per_record} |")
    batch, one, _ = medians.values()
    ratio = (batch / BATCH) / one
    rows.append(
        f"| {label} | **per record: batch / one-change** | **1/{1 / ratio:.0f}** "
        "(goal ≤ 1/20) | | |"
    )
    return rows


def main() -> None:
    """Run the benchmark on SQLite and, where configured, PostgreSQL; print a table."""
    run_benchmark(
        __doc__,
        40,
        lambda label, url, folder, rounds: report(label, measure(url, folder, rounds)),
        "{rounds} rounds, median and 90th percentile in milliseconds",
        ["database", "request", "median ms", "p90 ms", "ms per record"],
    )


if __name__ == "__main__":
    main()
