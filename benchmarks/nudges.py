"""Benchmark the nudge dispatcher: 10,000 due nudges against a plain pywebpush.webpush() loop.

Run by hand, not by the test suite:

    .venv/bin/python benchmarks/nudges.py [--people 10000] [--baseline 10000] [--rounds 1]

Both sides send to the same local push service (tests/nudges/push_service.py), which runs in a
process of its own and does what a strict push service does for every request: it checks
the VAPID JWT's ES256 signature, `aud` and `exp`, checks the headers, and decrypts the
aes128gcm body with the device's private key. Every delivery is counted; a run that loses
or duplicates one fails.

- dispatcher: `send_due()` end to end on a migrated SQLite database (and PostgreSQL when
  SMALLSTEPS_BENCH_POSTGRES_URL or SMALLSTEPS_TEST_POSTGRES_URL names a server) holding
  `--people` people, each with one device and a plan due now: claiming the slots,
  encrypting, sending over one aiohttp session, and recording every attempt. Encryption
  runs in the default pool (every core but one); SQLite also runs once encrypting in the
  sending thread, to show what the pool adds.
- baseline: a plain loop calling pywebpush.webpush() once per device, with the same
  payload and headers, a ready-made Vapid key object (so the loop does not even re-read
  the key), and no database work at all.
"""

import argparse
import contextlib
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import pywebpush
from py_vapid import Vapid
from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import MIGRATIONS, databases  # noqa: E402
from smallsteps import create_app  # noqa: E402
from smallsteps.config import Defaults  # noqa: E402
from smallsteps.domain.nudges import MESSAGES  # noqa: E402
from smallsteps.extensions import db  # noqa: E402
from smallsteps.models import NudgePlan, PushSubscription, User  # noqa: E402
from smallsteps.services.nudges.claims import payload  # noqa: E402
from smallsteps.services.nudges.dispatcher import send_due, sender_for  # noqa: E402
from smallsteps.services.nudges.plans import schedule  # noqa: E402
from smallsteps.webpush import vapid as vapid_keys  # noqa: E402
from tests.nudges.push_service import Device, PushService  # noqa: E402

SUBJECT = "mailto:bench@example.com"
FIRST_DAY = datetime.fromisoformat("2026-11-01T20:00:30+01:00")


def serve(connection) -> None:
    """Run the push service in this process and answer the parent's requests."""
    service = PushService(cache_tokens=True)
    connection.send(service.host)
    while True:
        command, argument = connection.recv()
        if command == "add":
            for device_id, secret, key in argument:
                device = Device(key, secret)
                device.id = device_id
                service.add(device)
            connection.send(len(service.devices))
        elif command == "count":
            with service._lock:
                per_device = {}
                for delivery in service.deliveries:
                    per_device[delivery.device_id] = per_device.get(delivery.device_id, 0) + 1
                connection.send((len(service.deliveries), len(per_device), service.rejections[:3]))
        elif command == "reset":
            with service._lock:
                service.deliveries.clear()
                service.rejections.clear()
            connection.send(True)
        else:
            service.stop()
            connection.send(True)
            return


class Service:
    """The parent's handle on the push service process."""

    def __init__(self):
        self.connection, child = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("spawn").Process(target=serve, args=(child,))
        self.process.start()
        self.host = self.connection.recv()
        self.url = f"http://{self.host}"

    def ask(self, command, argument=None):
        self.connection.send((command, argument))
        return self.connection.recv()

    def stop(self):
        self.ask("stop")
        self.process.join(10)


def make_devices(service: Service, count: int, key: str) -> list[dict]:
    """Create `count` devices known to the push service; return their subscriptions."""
    subscriptions, batch = [], []
    for _ in range(count):
        device = Device(key)
        batch.append((device.id, device.secret(), key))
        device.endpoint = f"{service.url}/push/{device.id}"
        subscriptions.append(device.subscription())
    for start in range(0, len(batch), 2000):
        service.ask("add", batch[start : start + 2000])
    return subscriptions


def seed(subscriptions: list[dict]) -> None:
    """Store one person per device, each with a plan due at 20:00 in Amsterdam."""
    people = [
        {"email": f"p{n}@example.com", "password_hash": "-", "timezone": "Europe/Amsterdam"}
        for n in range(len(subscriptions))
    ]
    for start in range(0, len(people), 2000):
        db.session.execute(insert(User), people[start : start + 2000])
    users = db.session.query(User).order_by(User.id).all()
    plans, devices = [], []
    for user, subscription in zip(users, subscriptions, strict=True):
        plan = NudgePlan(user_id=user.id, enabled=True, times="20:00", weekdays="0123456")
        schedule(plan, user, FIRST_DAY - timedelta(hours=8))
        plans.append({"user_id": user.id, "enabled": True, "times": "20:00",
                      "weekdays": "0123456", "zone": plan.zone, "next_due_at": plan.next_due_at,
                      "only_if_no_win_today": True, "updated_at": datetime.now(UTC)})  # fmt: skip
        devices.append({"user_id": user.id, "endpoint": subscription["endpoint"],
                        "p256dh": subscription["keys"]["p256dh"],
                        "auth": subscription["keys"]["auth"], "app_origin": "http://localhost",
                        "created_at": datetime.now(UTC), "failure_count": 0})  # fmt: skip
    for start in range(0, len(plans), 2000):
        db.session.execute(insert(NudgePlan), plans[start : start + 2000])
        db.session.execute(insert(PushSubscription), devices[start : start + 2000])
    db.session.commit()


def run_dispatcher(app, service: Service, day: int) -> float:
    """Time one send_due() pass over everyone; return nudges per second."""
    with app.app_context():
        sender = sender_for(app)
        service.ask("reset")
        started = time.perf_counter()
        report = send_due(FIRST_DAY + timedelta(days=day), sender, timedelta(hours=2))
        elapsed = time.perf_counter() - started
        sender.close()
        db.session.remove()
    delivered, devices, rejections = service.ask("count")
    assert report.delivered == delivered == devices, (report.describe(), delivered, rejections)
    return delivered / elapsed


def run_baseline(subscriptions: list[dict], vapid: Vapid, service: Service) -> float:
    """Time a plain loop of pywebpush.webpush(); return nudges per second."""
    service.ask("reset")
    data = payload(MESSAGES[0], "http://localhost").decode()
    headers = {"Content-Type": "application/octet-stream", "Topic": "nudge", "Urgency": "normal"}
    started = time.perf_counter()
    for subscription in subscriptions:
        pywebpush.webpush(
            subscription,
            data=data,
            vapid_private_key=vapid,
            vapid_claims={"sub": SUBJECT},
            ttl=4 * 3600,
            headers=headers,
            timeout=15,
        )
    elapsed = time.perf_counter() - started
    delivered, devices, rejections = service.ask("count")
    assert delivered == devices == len(subscriptions), (delivered, rejections)
    return delivered / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()

    key = Vapid()
    key.generate_keys()
    pem = key.private_pem().decode()
    public = vapid_keys.public_key(key)
    with contextlib.ExitStack() as stack:
        service = Service()
        stack.callback(service.stop)
        print(f"{os.cpu_count()} CPUs; push service at {service.url} in its own process")
        subscriptions = make_devices(service, args.people, public)
        folder = Path(tempfile.mkdtemp(prefix="smallsteps-bench-nudges-"))
        found = stack.enter_context(databases(folder))
        apps = []
        for label, url in found:
            app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                              "INSTANCE_PATH": str(folder / label), "VAPID_PRIVATE_KEY": pem,
                              "VAPID_SUBJECT": SUBJECT, "PUSH_ALLOWED_HOSTS": [service.host],
                              "PUSH_ALLOW_HTTP": True})  # fmt: skip
            with app.app_context():
                flask_migrate.upgrade(directory=MIGRATIONS)
                seed(subscriptions)
                if label == "PostgreSQL":
                    # Fresh statistics after the bulk load, as autovacuum would gather.
                    with db.engine.connect() as connection:
                        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                            text("VACUUM ANALYZE")
                        )
            apps.append((label, app))

        results: dict[str, list[float]] = {}
        days = dict.fromkeys([label for label, _ in apps], 0)
        for round_number in range(args.rounds):
            runs = [(label, app, None) for label, app in apps]
            runs.insert(1, (apps[0][0], apps[0][1], 0))  # SQLite again, encrypting inline
            for label, app, processes in runs:
                app.config["NUDGE_ENCRYPT_PROCESSES"] = Defaults.NUDGE_ENCRYPT_PROCESSES
                if processes is not None:
                    app.config["NUDGE_ENCRYPT_PROCESSES"] = processes
                    label_as = f"dispatcher, {label}, encrypting in the sending thread"
                else:
                    label_as = f"dispatcher, {label}"
                rate = run_dispatcher(app, service, days[label])
                days[label] += 1
                results.setdefault(label_as, []).append(rate)
                print(f"round {round_number + 1}: {label_as}: {rate:,.0f} nudges/s")
            rate = run_baseline(subscriptions[: args.baseline], key, service)
            results.setdefault("pywebpush.webpush() loop", []).append(rate)
            print(f"round {round_number + 1}: pywebpush.webpush() loop: {rate:,.0f} nudges/s")

        baseline = statistics.median(results["pywebpush.webpush() loop"])
        print(f"\n| sender | nudges | nudges/s (median of {args.rounds}) | vs. plain loop |")
        print("| --- | ---: | ---: | ---: |")
        for label, rates in results.items():
            count = args.baseline if label.startswith("pywebpush") else args.people
            rate = statistics.median(rates)
            print(f"| {label} | {count:,} | {rate:,.0f} | {rate / baseline:.1f}x |")
        for _, app in apps:
            with app.app_context():
                db.engine.dispose()


if __name__ == "__main__":
    main()
