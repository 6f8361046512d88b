"""Slow down guessing at sign-in, and asking for reset mails, in the database all workers share.

An attempt is checked and recorded in one step, as a failure until it succeeds, so a
burst of parallel guesses is counted as it arrives. Failures are kept under keyed hashes
of the email and the address, never the email or address itself. Each purpose counts
under keys of its own ("reset-…" for reset mails), so one never slows the other.
"""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select

from ..domain.throttle import POLICIES, WINDOW, Policy, wait_before_next_try
from ..extensions import db
from ..models import LoginFailure, utcnow


@dataclass
class Attempt:
    """A sign-in attempt: how long it must wait, or the failures recorded for it up front."""

    wait: timedelta
    failure_ids: list[int] = field(default_factory=list)
    pair_key: str | None = None


def _digest(kind: str, value: str) -> str:
    """Return a keyed hash of an email or address, useless to anyone without the secret."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    message = f"{kind}:{value.strip().lower()}".encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def _prefix(purpose: str) -> str:
    """Return what keys of this purpose begin with; sign-in keys keep their first names."""
    return "" if purpose == "sign-in" else f"{purpose}-"


def keys_for(email: str, address: str | None, purpose: str = "sign-in") -> dict[str, Policy]:
    """Return the throttle keys of an attempt with the policy each follows."""
    policies = POLICIES[purpose]
    prefix = _prefix(purpose)
    email_key = _digest("email", email)
    keys: dict[str, Policy] = {f"{prefix}email:{email_key}": policies["email"]}
    if address:
        address_key = _digest("address", address)
        keys[f"{prefix}pair:{email_key}:{address_key}"] = policies["pair"]
        keys[f"{prefix}address:{address_key}"] = policies["address"]
    return keys


def _hold(keys: list[str]) -> None:
    """Take each key's lock until the transaction ends, so attempts on a key queue up.

    On SQLite the request began with the database's write lock, which does the same.
    """
    if db.engine.dialect.name == "postgresql":
        for key in sorted(keys):
            db.session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


def begin_attempt(
    email: str, address: str | None, now: datetime | None = None, purpose: str = "sign-in"
) -> Attempt:
    """Check whether this email and address may try now and, if so, record a failure up front."""
    now = now or utcnow()
    keys = keys_for(email, address, purpose)
    _hold(list(keys))
    rows = db.session.execute(
        select(LoginFailure.key, LoginFailure.failed_at).where(
            LoginFailure.key.in_(keys), LoginFailure.failed_at > now - WINDOW
        )
    ).all()
    wait = max(
        wait_before_next_try([at for key, at in rows if key == name], now, policy)
        for name, policy in keys.items()
    )
    if wait:
        db.session.commit()
        return Attempt(wait=wait)
    db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - WINDOW))
    failures = [LoginFailure(key=key, failed_at=now) for key in keys]
    db.session.add_all(failures)
    db.session.commit()
    pair_key = next((key for key in keys if key.startswith(f"{_prefix(purpose)}pair:")), None)
    return Attempt(wait=timedelta(0), failure_ids=[row.id for row in failures], pair_key=pair_key)


def succeeded(attempt: Attempt) -> None:
    """Take back the failure recorded for a right password, and this address's earlier ones."""
    matches = [LoginFailure.id.in_(attempt.failure_ids)]
    if attempt.pair_key:
        matches.append(LoginFailure.key == attempt.pair_key)
    db.session.execute(delete(LoginFailure).where(or_(*matches)))
    db.session.commit()


def taken_back(attempt: Attempt) -> None:
    """Take back only the failure recorded for this attempt, leaving earlier ones counted."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.id.in_(attempt.failure_ids)))
    db.session.commit()


def forget_email(email: str) -> None:
    """Remove every attempt kept for an email (its account is going); the caller commits."""
    email_key = _digest("email", email)
    matches = []
    for purpose in POLICIES:
        prefix = _prefix(purpose)
        matches.append(LoginFailure.key == f"{prefix}email:{email_key}")
        matches.append(LoginFailure.key.startswith(f"{prefix}pair:{email_key}:"))
    db.session.execute(delete(LoginFailure).where(or_(*matches)))
