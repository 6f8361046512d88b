"""Invitations: sign-up links the owner makes, each good once and for a few days.

Only a SHA-256 hash of a link's token is kept, so a copy of the database opens no door.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from ..extensions import db
from ..models import Invitation, utcnow


class NotUsable(ValueError):
    """The invitation is unknown, already used or past its day."""


def token_hash(token: str) -> str:
    """Return the hash an invitation is kept under."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _live(token: str, now: datetime):
    """Return the condition an invitation that still works meets."""
    return (
        Invitation.token_hash == token_hash(token),
        Invitation.used_at.is_(None),
        Invitation.expires_at > now,
    )


def create(days: int, now: datetime | None = None) -> str:
    """Keep a new invitation good for `days` days and return the token for its link."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=token_hash(token), created_at=now, expires_at=now + timedelta(days=days)
    )
    db.session.add(invitation)
    db.session.commit()
    return token


def is_usable(token: str | None, now: datetime | None = None) -> bool:
    """Tell whether an invitation still works; end the transaction, so nothing stays held."""
    if not token:
        return False
    found = db.session.scalar(select(Invitation.id).where(*_live(token, now or utcnow())))
    db.session.commit()
    return found is not None


def use(token: str, user_id: int, now: datetime | None = None) -> bool:
    """Mark the invitation used by this person if it still works; the caller commits.

    One conditional update: of two people racing with one link, only one changes the row.
    """
    now = now or utcnow()
    result = db.session.execute(
        update(Invitation)
        .where(*_live(token, now))
        .values(used_at=now, used_by_user_id=user_id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
