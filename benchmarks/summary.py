"""Benchmark GET /api/v1/summary: ten years of history against one year and a trivial endpoint.

Run by hand, not by the test suite:

    .venv/bin/python benchmarks/summary.py [--rounds 200]

SQLite always; PostgreSQL too when SMALLSTEPS_BENCH_POSTGRES_URL (or
SMALLSTEPS_TEST_POSTGRES_URL) names a server, for example
postgresql+psycopg://postgres@127.0.0.1:5432/postgres. A database of its own is created
there and dropped afterwards.

Three signed-in people are served by the same app in the same run, requests interleaved
round by round so that all three meet the same machine: "ten years" (3,650 days,
15,000 wins), "one year" (365 days, 1,500 wins), and a trivial signed-in JSON call
(GET /api/v1/settings). The app runs in process through Flask's test client, so the
figures are the app's own cost: routing, session, queries and JSON, without a network.
"""

import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import delete, insert, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import migrated_app, run_benchmark, win_change  # noqa: E402
from smallsteps.domain.days import local_date, today_in_zone  # noqa: E402
from smallsteps.extensions import db  # noqa: E402
from smallsteps.models import Goal, SettledHistory, Step, SummaryCache, User, Win  # noqa: E402
from smallsteps.services import accounts  # noqa: E402

PASSWORD = "a calm benchmark password"
OFFSET = timezone(timedelta(hours=1))
SHOWED_UP_SHARE = 0.85
LINKED_SHARE = 0.6
DELETED_SHARE = 0.02
# Goal ladders: (title, [(step title, parent index or None, weekly target)]).
LADDERS = [
    (
        "Feel calmer",
        [
            ("Breathe before answering", None, 3),
            ("Two-minute breathing", 0, 3),
            ("One slow breath", 1, None),
            ("Walk after lunch", None, 5),
        ],
    ),
    ("Stay in touch", [("Call someone I love", None, 1), ("Send one message", 0, None)]),
]


def seed(email: str, days: int, wins: int, today: date, rng: random.Random) -> None:
    """Create a person with ``wins`` wins over the ``days`` days ending ``today``, in bulk."""
    user = accounts.create_account(email, PASSWORD, "Europe/Amsterdam")
    user_id = user.id
    seq = 0
    started = datetime.now(UTC) - timedelta(days=days + 1)

    def next_seq():
        nonlocal seq
        seq += 1
        return seq

    goal_rows, step_rows = [], []
    for title, ladder in LADDERS:
        goal_id = uuid.uuid4()
        goal_rows.append(
            dict(
                id=goal_id, user_id=user_id, title=title, why="", change_seq=next_seq(),
                created_at=started, updated_at=started,
            )
        )  # fmt: skip
        ids = []
        for step_title, parent, target in ladder:
            step_id = uuid.uuid4()
            ids.append(step_id)
            step_rows.append(
                dict(
                    id=step_id, user_id=user_id, goal_id=goal_id, title=step_title,
                    parent_step_id=ids[parent] if parent is not None else None,
                    weekly_target=target, pairing="", change_seq=next_seq(),
                    created_at=started, updated_at=started,
                )
            )  # fmt: skip
    step_ids = [row["id"] for row in step_rows]

    lived = [today - timedelta(days=i) for i in range(days) if rng.random() < SHOWED_UP_SHARE]
    per_day = [1] * len(lived)
    for _ in range(wins - len(lived)):
        per_day[rng.randrange(len(lived))] += 1
    win_rows = []
    for day, count in zip(lived, per_day, strict=True):
        for _ in range(count):
            wall = datetime.combine(day, datetime.min.time()) + timedelta(
                minutes=rng.randrange(6 * 60, 24 * 60)
            )
            occurred = wall.replace(tzinfo=OFFSET)
            win_rows.append(
                dict(
                    id=uuid.uuid4(), user_id=user_id, text="Paused before reacting", note="",
                    energy=None,
                    step_id=rng.choice(step_ids) if rng.random() < LINKED_SHARE else None,
                    occurred_at=occurred.astimezone(UTC), utc_offset_minutes=60,
                    local_time=wall, local_date=local_date(occurred, 0),
                    change_seq=next_seq(), created_at=occurred, updated_at=occurred,
                    deleted_at=occurred if rng.random() < DELETED_SHARE else None,
                )
            )  # fmt: skip
    db.session.execute(insert(Goal), goal_rows)
    db.session.execute(insert(Step), step_rows)
    for start in range(0, len(win_rows), 2000):
        db.session.execute(insert(Win), win_rows[start : start + 2000])
    db.session.execute(update(User).where(User.id == user_id).values(change_seq=seq))
    db.session.commit()


def signed_in(app, email: str):
    """Return a test client signed in as ``email`` through the login form."""
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def log_a_win(client) -> None:
    """Log a win now through sync, as the app does after each change, keeping the cursor."""
    now = datetime.now(OFFSET).isoformat()
    change = win_change(now, now, text="Asked for help")
    since = getattr(client, "sync_cursor", None)
    response = client.post("/api/v1/sync", json={"since": since, "changes": [change]})
    assert response.status_code == 200, response.status_code
    client.sync_cursor = response.json["cursor"]


def forget(app, email: str) -> None:
    """Drop the person's kept summary and settled history, so both are built again."""
    with app.app_context():
        whose = select(User.id).where(User.email == email).scalar_subquery()
        db.session.execute(delete(SummaryCache).where(SummaryCache.user_id == whose))
        db.session.execute(delete(SettledHistory).where(SettledHistory.user_id == whose))
        db.session.commit()


def measure(database_url: str, instance: Path, rounds: int) -> dict[str, list[float]]:
    """Seed one database and time the requests, interleaved, ``rounds`` times each."""
    app = migrated_app(database_url, instance)
    with app.app_context():
        rng = random.Random(2026)
        today = today_in_zone(datetime.now(UTC), OFFSET)
        started = time.perf_counter()
        seed("ten@example.com", 3650, 15_000, today, rng)
        seed("one@example.com", 365, 1_500, today, rng)
        seeded = time.perf_counter() - started
        print(f"  seeded 16,500 wins in {seeded:.1f} s", file=sys.stderr)
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does soon after a bulk load: statistics and a visibility map.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as vacuum:
                vacuum.execute(text("VACUUM ANALYZE"))
    one, ten = signed_in(app, "one@example.com"), signed_in(app, "ten@example.com")
    # Before a timed request, untimed: "new win" logs one through sync, as a phone does
    # (what happens between most looks); "new week" leaves history folded up to a week
    # earlier, as when the start day moves on each week; "rebuilt" drops what was kept, as
    # a change to a step or to a win lived weeks ago does; "again" changes nothing.
    requests = {
        "trivial (GET /api/v1/settings)": (one, "/api/v1/settings", None),
        "summary after a new win, one year": (one, "/api/v1/summary", "win"),
        "summary after a new win, ten years": (ten, "/api/v1/summary", "win"),
        "summary in a new week, one year": (one, "/api/v1/summary", ("week", "one@example.com")),
        "summary in a new week, ten years": (ten, "/api/v1/summary", ("week", "ten@example.com")),
        "summary rebuilt, one year": (one, "/api/v1/summary", "one@example.com"),
        "summary rebuilt, ten years": (ten, "/api/v1/summary", "ten@example.com"),
        "summary again, one year": (one, "/api/v1/summary", None),
        "summary again, ten years": (ten, "/api/v1/summary", None),
    }
    times: dict[str, list[float]] = {name: [] for name in requests}
    for round_number in range(rounds + 10):
        for name, (client, url, before) in requests.items():
            if before == "win":
                log_a_win(client)
            elif isinstance(before, tuple):
                forget(app, before[1])
                a_week_ago = (datetime.now(OFFSET).date() - timedelta(days=7)).isoformat()
                assert client.get(f"{url}?as_of={a_week_ago}").status_code == 200
            elif before is not None:
                forget(app, before)
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (name, response.status_code)
            if round_number >= 10:  # the first rounds warm caches and connections
                times[name].append(elapsed * 1000)
    check = ten.get("/api/v1/summary").json
    print(
        f"  ten years: {check['since_start']['wins']} live wins on "
        f"{check['since_start']['days']} days",
        file=sys.stderr,
    )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return times


def report(label: str, times: dict[str, list[float]]) -> list[str]:
    """Return markdown table rows: median and 90th percentile per request, and the ratios."""
    medians = {name: statistics.median(values) for name, values in times.items()}
    trivial, *pairs = medians.values()
    rows = []
    for name, values in times.items():
        p90 = statistics.quantiles(values, n=10)[-1]
        rows.append(f"| {label} | {name} | {medians[name]:.2f} | {p90:.2f} |")
    kinds = ("after a new win", "in a new week", "rebuilt", "again")
    for kind, one, ten in zip(kinds, pairs[0::2], pairs[1::2], strict=True):
        rows.append(
            f"| {label} | **{kind}: ten years / one year** | **{ten / one:.2f}x** (goal ≤ 4x) | |"
        )
        ratio = ten / trivial
        rows.append(
            f"| {label} | **{kind}: ten years / trivial** | **{ratio:.2f}x** (goal ≤ 10x) | |"
        )
    return rows


def main() -> None:
    """Run the benchmark on SQLite and, where configured, PostgreSQL; print a table."""
    run_benchmark(
        __doc__,
        200,
        lambda label, url, folder, rounds: report(label, measure(url, folder, rounds)),
        "{rounds} rounds, median and 90th percentile in milliseconds",
        ["database", "request", "median ms", "p90 ms"],
    )


if __name__ == "__main__":
    main()
