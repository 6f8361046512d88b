"""Two dispatcher processes at once over 1,000 due people: every slot is sent exactly once."""

import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import NudgeDelivery, NudgePlan, PushSubscription, User
from smallsteps.services.nudges import plans
from tests.nudges.helpers import dispatcher_env

PEOPLE = 1000
ROOT = Path(__file__).resolve().parents[2]
SAVED_AT = datetime.fromisoformat("2026-11-20T12:00:00+01:00")
DUE_AT = "2026-11-20T20:00:30+01:00"


def seed(app, push_service, application_server_key) -> list:
    """Store PEOPLE people, each with one device and a plan due at 20:00 in Amsterdam."""
    devices = [push_service.new_device(application_server_key) for _ in range(PEOPLE)]
    with app.app_context():
        people = [
            User(email=f"person{n}@example.com", password_hash="-", timezone="Europe/Amsterdam")
            for n in range(PEOPLE)
        ]
        db.session.add_all(people)
        db.session.flush()
        for person, device in zip(people, devices, strict=True):
            plan = NudgePlan(user_id=person.id, enabled=True, times="20:00", weekdays="0123456")
            plans.schedule(plan, person, SAVED_AT)
            keys = device.subscription()["keys"]
            db.session.add(plan)
            db.session.add(
                PushSubscription(
                    user_id=person.id,
                    endpoint=device.endpoint,
                    p256dh=keys["p256dh"],
                    auth=keys["auth"],
                    app_origin="http://localhost",
                )
            )
        db.session.commit()
    return devices


# Each process gets ready (imports, app, VAPID key), then waits for "go" so both really
# claim at the same time, in small batches so their claims interleave.
DISPATCHER = """
import sys
from datetime import datetime, timedelta
from wsgi import app
from smallsteps.services.nudges.dispatcher import send_due, sender_for
with app.app_context():
    sender = sender_for(app)
    print("ready", flush=True)
    sys.stdin.readline()
    at = datetime.fromisoformat(sys.argv[1])
    report = send_due(at, sender, timedelta(hours=2), batch_size=25)
    sender.close()
    print(report.describe(), flush=True)
"""


def dispatcher(app, push_service, vapid_pem) -> subprocess.Popen:
    """Start a dispatcher process on the app's database; it waits for a line on stdin."""
    env = dispatcher_env(app, push_service, vapid_pem)
    process = subprocess.Popen(
        [sys.executable, "-c", DISPATCHER, DUE_AT],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        # Log lines go to standard error, so the first line on standard output is "ready".
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    return process


def test_two_dispatchers_at_once_send_every_slot_exactly_once(
    app, push_service, application_server_key, vapid_pem
):
    devices = seed(app, push_service, application_server_key)

    first = dispatcher(app, push_service, vapid_pem)
    second = dispatcher(app, push_service, vapid_pem)
    for process in (first, second):
        process.stdin.write("go\n")
        process.stdin.flush()
    outputs = ["".join(process.communicate(timeout=120)) for process in (first, second)]

    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert push_service.rejections == []
    per_device = Counter(delivery.device_id for delivery in push_service.deliveries)
    assert per_device == Counter({device.id: 1 for device in devices})
    with app.app_context():
        outcomes = Counter(db.session.scalars(select(NudgeDelivery.outcome)))
    assert outcomes == Counter({"sent": PEOPLE})
    sent = [int(output.split("Sent ")[1].split(" ")[0]) for output in outputs]
    assert sum(sent) == PEOPLE
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # SKIP LOCKED lets both take their own share instead of waiting for each other.
        assert min(sent) > 0, outputs
