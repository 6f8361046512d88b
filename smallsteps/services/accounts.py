"""Accounts: signing up, signing in, and the settings a person's days follow."""

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _
from sqlalchemy import Date, cast, func, select, update
from sqlalchemy.exc import IntegrityError

from .. import i18n
from ..domain.days import today_in_zone
from ..extensions import db
from ..models import User, Win, new_session_token, utcnow
from . import invitations, passwords, throttle

DISPLAY_NAME_MAX = 80


class EmailTaken(ValueError):
    """Someone already signed up with this email."""


@cache
def time_zones() -> frozenset[str]:
    """Return the IANA time zone names this machine's tz database knows."""
    return frozenset(available_timezones())


def normalize_email(email: str) -> str:
    """Return the email as it is stored: trimmed and lower-case."""
    return email.strip().lower()


def valid_time_zone(name: str | None) -> str | None:
    """Return the zone name if the tz database knows it, else None."""
    return name if name in time_zones() else None


def create_account(
    email: str,
    password: str,
    time_zone: str | None,
    invitation: str | None = None,
    language: str = i18n.SOURCE_LANGUAGE,
) -> User:
    """Create and return a person's account; refuse an email already in use.

    With an `invitation`, the account is made only if the invitation is used up by it, in
    the same transaction (invitations.NotUsable otherwise).
    """
    email = normalize_email(email)
    # Hashed before the database is touched, so no lock is held through the slow part.
    password_hash = passwords.hash_password(password)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken(email)
    user = User(
        email=email,
        password_hash=password_hash,
        timezone=valid_time_zone(time_zone) or "UTC",
        language=language,
    )
    db.session.add(user)
    try:
        if invitation is not None:
            db.session.flush()  # the new id, for the invitation to name
            if not invitations.use(invitation, user.id):
                db.session.rollback()
                raise invitations.NotUsable()
        db.session.commit()
    except IntegrityError as error:  # the same email signed up a moment ago, in parallel
        db.session.rollback()
        raise EmailTaken(email) from error
    return user


def find_by_email(email: str) -> User | None:
    """Return the person with this email, if there is one."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def everyone() -> list[tuple[str, datetime, int]]:
    """Return each person's email, when they signed up and how many wins they kept, oldest first."""
    wins = func.count(Win.id)
    rows = db.session.execute(
        select(User.email, User.created_at, wins)
        .outerjoin(Win, (Win.user_id == User.id) & Win.deleted_at.is_(None))
        .group_by(User.id, User.email, User.created_at)
        .order_by(User.created_at, User.id)
    ).all()
    return [(email, created_at, count) for email, created_at, count in rows]


def authenticate(email: str, password: str) -> User | None:
    """Return the person these credentials belong to, or None; upgrade a dated hash."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    stored_hash = user.password_hash if user is not None else None
    # End the transaction before the slow check, so no write lock is held through it.
    db.session.commit()
    matches, new_hash = passwords.verify(stored_hash, password)
    if user is None or not matches:
        return None
    if new_hash is not None:
        user.password_hash = new_hash
        db.session.commit()
    return user


def load_user(session_token: str) -> User | None:
    """Return the person a session or remember-me cookie names by their token."""
    if not session_token:
        return None
    return db.session.scalar(select(User).where(User.session_token == session_token))


def end_every_session(user: User) -> None:
    """Sign the person out on every device: cookies naming the old token open nothing."""
    user.session_token = new_session_token()
    db.session.commit()


def change_password(user: User, new_password: str) -> None:
    """Set a new password and sign out every device."""
    set_password_hash(user, passwords.hash_password(new_password))


def set_password_hash(user: User, password_hash: str) -> None:
    """Keep the hash of a new password, made beforehand, and sign out every device."""
    user.password_hash = password_hash
    end_every_session(user)


def delete_account(user: User) -> None:
    """Delete the person and every row of theirs, leaving no copy of their words behind."""
    email = user.email
    # The token goes first: a cookie racing the deletion opens nothing either way.
    user.session_token = new_session_token()
    db.session.delete(user)
    throttle.forget_email(email)
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        # Deleted text would otherwise linger in the write-ahead log until the next checkpoint.
        # A checkpoint runs outside any transaction, on a connection of its own.
        connection = db.engine.raw_connection()
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()


def today_for(user: User, now: datetime | None = None) -> date:
    """Return the person's current local date."""
    return today_in_zone(now or utcnow(), ZoneInfo(user.timezone), user.day_start)


def settings_of(user: User) -> dict[str, Any]:
    """Return the settings as the API shows them."""
    return {
        "timezone": user.timezone,
        "week_start": user.week_start,
        "grace": user.grace,
        "day_start": user.day_start,
        "display_name": user.display_name,
        "show_streak": user.show_streak,
        "language": user.language,
    }


def _whole_number(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def validate_settings(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Split a settings change into clean values and a message for each bad one."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    ranges = {"week_start": (0, 6), "grace": (0, 3), "day_start": (0, 4)}
    for key, value in data.items():
        if key in ranges:
            low, high = ranges[key]
            number = _whole_number(value, low, high)
            if number is None:
                errors[key] = _(
                    "Choose a whole number from %(low)d to %(high)d.", low=low, high=high
                )
            else:
                clean[key] = number
        elif key == "timezone":
            zone = valid_time_zone(value) if isinstance(value, str) else None
            if zone is None:
                errors[key] = _("Choose a time zone from the list, like Europe/Amsterdam.")
            else:
                clean[key] = zone
        elif key == "display_name":
            if not isinstance(value, str) or len(value.strip()) > DISPLAY_NAME_MAX:
                errors[key] = _("Keep your name to %(limit)d characters.", limit=DISPLAY_NAME_MAX)
            else:
                clean[key] = value.strip()
        elif key == "show_streak":
            if not isinstance(value, bool):
                errors[key] = _("Choose true to show streak numbers or false to hide them.")
            else:
                clean[key] = value
        elif key == "language":
            if not isinstance(value, str) or value not in i18n.languages():
                codes = ", ".join(i18n.languages())
                errors[key] = _("Choose one of: %(codes)s.", codes=codes)
            else:
                clean[key] = value
        else:
            errors[key] = _("This is not a setting.")
    return clean, errors


def update_settings(user: User, changes: Mapping[str, Any]) -> None:
    """Apply clean settings and recompute the wins' local dates if the day start moved."""
    day_start_moved = "day_start" in changes and changes["day_start"] != user.day_start
    for key, value in changes.items():
        setattr(user, key, value)
    if day_start_moved:
        recompute_local_dates(user)
    db.session.commit()


def recompute_local_dates(user: User) -> None:
    """Give each of the person's wins the local date its wall time has under the day start."""
    shift = f"-{user.day_start} hours"
    if db.engine.dialect.name == "sqlite":
        new_date = func.date(Win.local_time, shift)
    else:
        hours_back = func.make_interval(0, 0, 0, 0, user.day_start)
        new_date = cast(Win.local_time - hours_back, Date)
    db.session.execute(
        update(Win).where(Win.user_id == user.id).values(local_date=new_date),
        execution_options={"synchronize_session": False},
    )
