"""Typed SQLAlchemy models: people, their goals, steps and wins."""

import secrets
import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db


def utcnow() -> datetime:
    """Return the current instant in UTC."""
    return datetime.now(UTC)


def new_session_token() -> str:
    """Return a fresh random token that names a person in their cookies."""
    return secrets.token_urlsafe(32)


class UTCDateTime(TypeDecorator):
    """An aware UTC instant on every database, SQLite included."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Store the instant in UTC; SQLite keeps it without an offset."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("an instant needs its UTC offset")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        """Give back an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def render_item(type_, obj, autogen_context):
    """Write UTCDateTime into migrations as the plain column type it stores as."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


class User(UserMixin, db.Model):
    """A person using Small Steps, with the settings their days are computed by."""

    __tablename__ = "users"
    # SQLite would otherwise hand a deleted person's id to the next sign-up.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    week_start: Mapped[int] = mapped_column(Integer, default=0)
    grace: Mapped[int] = mapped_column(Integer, default=1)
    day_start: Mapped[int] = mapped_column(Integer, default=0)
    # Streak numbers can feel like pressure; a person may keep them off the look-back.
    show_streak: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    # The language every page, message and nudge speaks to them in (i18n.languages()).
    language: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    # The last change number handed out; every synced record carries one.
    change_seq: Mapped[int] = mapped_column(Integer, default=0)
    # The change number of the last change that reached settled history (domain.lookback.settled):
    # a step, or a win lived weeks ago.
    settled_seq: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # What session and remember-me cookies name the person by, never the row's id; a new
    # one signs out every device.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def get_id(self) -> str:
        """Return the token Flask-Login keeps in the session and remember cookie."""
        return self.session_token


class SyncedRecord:
    """Columns every record that can be created offline and synced shares."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The writer's clock, for last-writer-wins.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    change_seq: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def is_deleted(self) -> bool:
        """Tell whether this record is a tombstone."""
        return self.deleted_at is not None


class Goal(SyncedRecord, db.Model):
    """A long-term goal, broken down into steps."""

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("user_id", "change_seq"),)

    title: Mapped[str] = mapped_column(String(120))
    why: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class Step(SyncedRecord, db.Model):
    """One step toward a goal; a smaller step points at the step it makes smaller."""

    __tablename__ = "steps"
    __table_args__ = (
        UniqueConstraint("user_id", "change_seq"),
        Index("ix_steps_goal_id", "goal_id"),
    )

    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"))
    parent_step_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("steps.id", ondelete="CASCADE"), default=None
    )
    title: Mapped[str] = mapped_column(String(120))
    weekly_target: Mapped[int | None] = mapped_column(Integer, default=None)
    pairing: Mapped[str] = mapped_column(String(120), default="")


class Win(SyncedRecord, db.Model):
    """A small win, kept with the instant, the wall time and the day it was lived."""

    __tablename__ = "wins"
    __table_args__ = (
        UniqueConstraint("user_id", "change_seq"),
        Index("ix_wins_user_id_local_date", "user_id", "local_date"),
        Index("ix_wins_step_id", "step_id"),
        # The look-back counts live wins per day and per step from these alone.
        Index(
            "ix_wins_user_id_deleted_at_local_date_step_id",
            "user_id",
            "deleted_at",
            "local_date",
            "step_id",
        ),
        Index(
            "ix_wins_user_id_deleted_at_step_id_local_date",
            "user_id",
            "deleted_at",
            "step_id",
            "local_date",
        ),
    )

    text: Mapped[str] = mapped_column(String(280))
    note: Mapped[str] = mapped_column(Text, default="")
    energy: Mapped[str | None] = mapped_column(String(4), default=None)
    step_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("steps.id", ondelete="SET NULL"), default=None
    )
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    utc_offset_minutes: Mapped[int] = mapped_column(Integer)
    local_time: Mapped[datetime] = mapped_column(DateTime)
    # Its old value is kept when it changes, to tell whether settled history moved.
    local_date: Mapped[date] = mapped_column(Date, active_history=True)

    @property
    def occurred_at_local(self) -> datetime:
        """Return the instant as the device saw it, with its own offset."""
        offset = timezone(timedelta(minutes=self.utc_offset_minutes))
        return self.occurred_at.astimezone(offset)


class Reflection(SyncedRecord, db.Model):
    """A weekly reflection: the person's answers to the three questions, each optional."""

    __tablename__ = "reflections"
    __table_args__ = (
        UniqueConstraint("user_id", "change_seq"),
        Index("ix_reflections_user_id_week_of", "user_id", "week_of"),
    )

    # The local date the week starts on, by the person's week start.
    week_of: Mapped[date] = mapped_column(Date)
    tiny_step: Mapped[str] = mapped_column(Text, default="")
    shifted: Mapped[str] = mapped_column(Text, default="")
    then_and_now: Mapped[str] = mapped_column(Text, default="")
    # When it was written, as the device saw it: the instant and its UTC offset.
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    written_offset_minutes: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def written_at_local(self) -> datetime:
        """Return when it was written, with the device's own offset."""
        return self.written_at.astimezone(timezone(timedelta(minutes=self.written_offset_minutes)))


class LowCapacityDay(db.Model):
    """A local date the person asked to take it easy: nudges quiet, smallest steps first."""

    __tablename__ = "low_capacity_days"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Share(db.Model):
    """A read-only link to a person's progress, for someone they trust, in a scope they chose."""

    __tablename__ = "shares"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Who it is for, in the person's words ("Dr. Kim").
    name: Mapped[str] = mapped_column(String(80))
    # The goals it shows, as comma-separated ids; None shows every goal and every win.
    goal_ids: Mapped[str | None] = mapped_column(Text, default=None)
    include_notes: Mapped[bool] = mapped_column(Boolean, default=False)
    # How many days back it reaches from the day it is looked at; None reaches the start.
    days: Mapped[int | None] = mapped_column(Integer, default=None)
    # SHA-256 of the token in the link; the token itself is shown once and never kept.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ShareView(db.Model):
    """One look at a share: when, and a coarse description of the device."""

    __tablename__ = "share_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    share_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shares.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    device: Mapped[str] = mapped_column(String(60))


class LoginFailure(db.Model):
    """A failed sign-in, kept for a quarter of an hour to slow down guessing."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Keyed hashes, never the email or address itself (services.throttle.keys_for).
    key: Mapped[str] = mapped_column(String(300), index=True)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Invitation(db.Model):
    """A one-time sign-up link the owner made; only a hash of its token is kept."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 (hex) of the token in the link (services.invitations), never the token itself.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Who signed up with it; kept empty once they delete their account.
    used_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )


class PushSubscription(db.Model):
    """A device that receives nudges: its push endpoint and the keys to encrypt for it."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (Index("ix_push_subscriptions_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(String(2048), unique=True)
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(32))
    # The app's own origin as the device saw it, so a tap on a nudge opens the right place.
    app_origin: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    failure_count: Mapped[int] = mapped_column(Integer, default=0)


class NudgePlan(db.Model):
    """When a person wants a gentle nudge, and where the dispatcher is in their plan."""

    __tablename__ = "nudge_plans"
    __table_args__ = (Index("ix_nudge_plans_next_due_at", "next_due_at"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Up to three local times, "HH:MM" joined by commas, and weekdays as digits (0 = Monday).
    times: Mapped[str] = mapped_column(String(20), default="20:00")
    weekdays: Mapped[str] = mapped_column(String(7), default="0123456")
    quiet_start: Mapped[time | None] = mapped_column(Time, default=None)
    quiet_end: Mapped[time | None] = mapped_column(Time, default=None)
    only_if_no_win_today: Mapped[bool] = mapped_column(Boolean, default=True)
    # The weekly reflection's nudge: a weekday (0 = Monday) and a local time, or None for none.
    weekly_day: Mapped[int | None] = mapped_column(Integer, default=None)
    weekly_time: Mapped[time | None] = mapped_column(Time, default=None)
    # The next slot's instant, computed in `zone`; None while nudges are off.
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    zone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The first day of the current run of nudges with nothing logged since, for resting.
    nudged_since: Mapped[date | None] = mapped_column(Date, default=None)
    last_sent_on: Mapped[date | None] = mapped_column(Date, default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NudgeDelivery(db.Model):
    """One slot of one person, claimed once: whether it was sent, and if not, why."""

    __tablename__ = "nudge_deliveries"
    __table_args__ = (UniqueConstraint("user_id", "local_date", "local_time"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    local_time: Mapped[time] = mapped_column(Time)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "sent", or why it stayed quiet: "late", "superseded", "quiet", "logged", ...
    outcome: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(String(200), default="")


class NudgeAttempt(db.Model):
    """One POST of a nudge to one device's push service, and what came back."""

    __tablename__ = "nudge_attempts"
    __table_args__ = (Index("ix_nudge_attempts_delivery_id", "delivery_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("nudge_deliveries.id", ondelete="CASCADE"))
    # Kept as a plain number: a device may be removed while its nudge is on the way.
    subscription_id: Mapped[int | None] = mapped_column(Integer, default=None)
    push_origin: Mapped[str] = mapped_column(String(300))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The push service's HTTP status; None when no answer came (timeout, network).
    status: Mapped[int | None] = mapped_column(Integer, default=None)
    error: Mapped[str] = mapped_column(String(200), default="")


class KeptPerPerson:
    """One JSON body kept per person, valid while its key still matches."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    cache_key: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SummaryCache(KeptPerPerson, db.Model):
    """The person's latest summary; the key holds the change number, as-of date and settings."""

    __tablename__ = "summary_cache"


class SettledHistory(KeptPerPerson, db.Model):
    """The person's history before a start day, folded (domain.lookback.settled); see its key."""

    __tablename__ = "settled_history"
