"""Helpers for nudge tests: people, plans saved at a chosen moment, and dispatcher runs."""

import json
import os
from datetime import datetime

from sqlalchemy import select

from smallsteps.extensions import db
from smallsteps.models import NudgeAttempt, NudgeDelivery, PushSubscription, User
from smallsteps.services.nudges import plans
from tests.conftest import Person, make_person


def sign_up(app, email: str, time_zone: str = "Europe/Amsterdam") -> Person:
    """Return a new person with an account, signed in."""
    return make_person(app, email, time_zone)


def plan_nudges(app, person: Person, saved_at: datetime, **changes) -> dict:
    """Save a nudge plan as if the person pressed Save at `saved_at`."""
    with app.app_context():
        user = db.session.query(User).filter_by(email=person.email).one()
        wanted = {"enabled": True, "quiet_hours": None, **changes}
        plan, errors = plans.validate(wanted, plans.as_json(plans.plan_of(user)))
        assert errors == {}
        plans.save(user, plan, now=saved_at)
        return plan


def send_due(app, at: str) -> str:
    """Run `flask nudges send-due --at` and return what it printed."""
    result = app.test_cli_runner().invoke(args=["nudges", "send-due", "--at", at])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def subscribe(person: Person, device) -> None:
    """Send the device's subscription the way the page does."""
    response = person.api("POST", "/api/v1/push/subscriptions", json=device.subscription())
    assert response.status_code in (200, 201), response.get_json()


def deliveries(app) -> list[NudgeDelivery]:
    """Return every claimed slot, oldest first."""
    with app.app_context():
        rows = db.session.scalars(select(NudgeDelivery).order_by(NudgeDelivery.id)).all()
        db.session.expunge_all()
        return rows


def attempts(app) -> list[NudgeAttempt]:
    """Return every recorded attempt, oldest first."""
    with app.app_context():
        rows = db.session.scalars(select(NudgeAttempt).order_by(NudgeAttempt.id)).all()
        db.session.expunge_all()
        return rows


def device_count(app) -> int:
    """Return how many devices are stored."""
    with app.app_context():
        return len(db.session.scalars(select(PushSubscription)).all())


def dispatcher_env(app, push_service, vapid_pem) -> dict:
    """Return the environment a separate dispatcher process needs to reach this test's world."""
    return {
        **os.environ,
        "SMALLSTEPS_SECRET_KEY": "test secret",
        "SMALLSTEPS_INSTANCE_PATH": app.instance_path,
        "SMALLSTEPS_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SMALLSTEPS_VAPID_PRIVATE_KEY": vapid_pem,
        "SMALLSTEPS_VAPID_SUBJECT": "mailto:nudges@example.com",
        "SMALLSTEPS_PUSH_ALLOWED_HOSTS": json.dumps([push_service.host]),
        "SMALLSTEPS_PUSH_ALLOW_HTTP": "true",
    }
