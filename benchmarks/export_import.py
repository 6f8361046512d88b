"""Benchmark your data at the import limit: export, CSV, re-import and import into a new account.

Run by hand, not by the test suite:

    .venv/bin/python benchmarks/export_import.py [--rounds 3]

SQLite always; PostgreSQL too when SMALLSTEPS_BENCH_POSTGRES_URL (or
SMALLSTEPS_TEST_POSTGRES_URL) names a server. A database of its own is made and dropped.

One person holds as many records as one import takes (20,000): 2 goals, 8 steps and
19,990 wins, half of them linked to a step, synced in batches of 500 as phones do. Timed,
through Flask's test client (the app's own cost, no network):

- **export**: `GET /api/v1/export`, every record as JSON;
- **CSV**: `GET /export.csv`, every live win;
- **re-import**: `POST /api/v1/import` of that export into the same account (all unchanged);
- **import, new account**: the account is deleted, a new one made, and the export imported
  into it (every record applied): leaving one server for another.

The goal: the largest import finishes well inside a 30-second worker timeout.
"""

import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import migrated_app, run_benchmark  # noqa: E402
from smallsteps.extensions import db  # noqa: E402
from smallsteps.services import accounts  # noqa: E402
from smallsteps.services.importing import MAX_RECORDS  # noqa: E402

PASSWORD = "a calm benchmark password"
GOALS, STEPS_PER_GOAL = 2, 4
BATCH = 500


def stamp(moment: datetime) -> str:
    """Return an instant as a phone writes updated_at."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def history() -> list[dict]:
    """Return MAX_RECORDS changes: goals, steps, then wins over the past years."""
    now = datetime.now(UTC) - timedelta(minutes=5)
    changes, step_ids = [], []
    for g in range(GOALS):
        goal_id = str(uuid.uuid4())
        changes.append(
            {"type": "goal", "id": goal_id, "updated_at": stamp(now), "data": {"title": f"G{g}"}}
        )
        for s in range(STEPS_PER_GOAL):
            step_id = str(uuid.uuid4())
            step_ids.append(step_id)
            data = {"title": f"S{s}", "goal_id": goal_id, "parent_step_id": None}
            changes.append({"type": "step", "id": step_id, "updated_at": stamp(now), "data": data})
    for n in range(MAX_RECORDS - len(changes)):
        occurred = (now - timedelta(hours=7 * n)).astimezone()
        data = {
            "text": "Paused before reacting, then answered kindly",
            "occurred_at": occurred.isoformat(timespec="seconds"),
            "step_id": step_ids[n % len(step_ids)] if n % 2 else None,
            "energy": "low",
            "note": "",
        }
        changes.append(
            {"type": "win", "id": str(uuid.uuid4()), "updated_at": stamp(now), "data": data}
        )
    return changes


def signed_in(app, email: str):
    """Return a test client signed in as a new person."""
    with app.app_context():
        accounts.create_account(email, PASSWORD, "Europe/Amsterdam")
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def timed(call, *args, **kwargs) -> tuple[float, object]:
    """Return the milliseconds a request took and its response."""
    started = time.perf_counter()
    response = call(*args, **kwargs)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:300]
    return elapsed, response


def measure(database_url: str, instance: Path, rounds: int) -> dict[str, list[float]]:
    """Time each request `rounds` times, each round on a fresh account."""
    app = migrated_app(database_url, instance)
    times: dict[str, list[float]] = {
        "export": [],
        "CSV": [],
        "re-import": [],
        "import, new account": [],
    }
    for round_number in range(rounds):
        client = signed_in(app, f"river{round_number}@example.com")
        changes = history()
        for start in range(0, len(changes), BATCH):
            body = {"since": None, "changes": changes[start : start + BATCH]}
            assert client.post("/api/v1/sync", json=body).status_code == 200
        elapsed, response = timed(client.get, "/api/v1/export")
        times["export"].append(elapsed)
        exported = response.get_data()
        times["CSV"].append(timed(client.get, "/export.csv")[0])
        post = {"data": exported, "content_type": "application/json"}
        elapsed, response = timed(client.post, "/api/v1/import", **post)
        assert response.json["counts"]["unchanged"] == MAX_RECORDS
        times["re-import"].append(elapsed)
        client.post("/settings/delete", data={"password": PASSWORD})
        newcomer = signed_in(app, f"sky{round_number}@example.com")
        elapsed, response = timed(newcomer.post, "/api/v1/import", **post)
        assert response.json["counts"]["applied"] == MAX_RECORDS, response.json["counts"]
        times["import, new account"].append(elapsed)
        newcomer.post("/settings/delete", data={"password": PASSWORD})
        print(f"  round {round_number + 1}: {len(exported) / 1e6:.1f} MB export", file=sys.stderr)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return times


def rows_for(label: str, url: str, folder: Path, rounds: int) -> list[str]:
    """Return a table row per request: median and slowest, in milliseconds."""
    return [
        f"| {label} | {name} | {statistics.median(values):.0f} | {max(values):.0f} |"
        for name, values in measure(url, folder, rounds).items()
    ]


def main() -> None:
    """Run on SQLite and, where configured, PostgreSQL; print a table."""
    run_benchmark(
        __doc__,
        3,
        rows_for,
        f"{MAX_RECORDS} records, {{rounds}} rounds, milliseconds",
        ["database", "request", "median ms", "slowest ms"],
    )


if __name__ == "__main__":
    main()
