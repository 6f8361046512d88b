"""Slow down and then refuse repeated failed sign-ins, in the database all workers share."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ..domain.throttle import PER_ADDRESS, PER_EMAIL, WINDOW, wait_before_next_try
from ..extensions import db
from ..models import LoginFailure, utcnow
from .accounts import normalize_email


def keys_for(email: str, address: str | None) -> dict[str, object]:
    """Return the throttle keys of an attempt with the policy each follows."""
    keys = {f"email:{normalize_email(email)}"[:300]: PER_EMAIL}
    if address:
        keys[f"address:{address}"[:300]] = PER_ADDRESS
    return keys


def wait_for(email: str, address: str | None, now: datetime | None = None) -> timedelta:
    """Return how long this email and address must wait before another try."""
    now = now or utcnow()
    keys = keys_for(email, address)
    rows = db.session.execute(
        select(LoginFailure.key, LoginFailure.failed_at).where(
            LoginFailure.key.in_(keys), LoginFailure.failed_at > now - WINDOW
        )
    ).all()
    waits = [
        wait_before_next_try([at for key, at in rows if key == name], now, policy)
        for name, policy in keys.items()
    ]
    return max(waits, default=timedelta(0))


def record_failure(email: str, address: str | None, now: datetime | None = None) -> None:
    """Remember a failed attempt and forget those older than the window."""
    now = now or utcnow()
    db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - WINDOW))
    for key in keys_for(email, address):
        db.session.add(LoginFailure(key=key, failed_at=now))
    db.session.commit()


def forget_failures(email: str) -> None:
    """Clear an email's failures after it signed in."""
    key = next(iter(keys_for(email, None)))
    db.session.execute(delete(LoginFailure).where(LoginFailure.key == key))
    db.session.commit()
