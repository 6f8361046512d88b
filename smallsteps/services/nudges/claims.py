"""Claiming due slots: one short transaction per batch, so that each slot is sent at most once.

On PostgreSQL the due plans are locked with FOR UPDATE SKIP LOCKED, so dispatchers
running side by side take different people; on every database the unique (user, local
date, local time) key of a delivery decides which dispatcher won a slot.
"""

import json
import logging
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ... import i18n
from ...domain import nudges
from ...domain.days import today_in_zone
from ...extensions import db
from ...models import LowCapacityDay, NudgeDelivery, NudgePlan, PushSubscription, User, Win
from ...webpush.endpoints import origin_of
from ...webpush.sender import Message
from .attempts import Report
from .plans import next_due, rule_of, weekly_rule_of

log = logging.getLogger(__name__)
LOG_FORM_PATH = "/?log=1#log-form"
REFLECT_PATH = "/reflect"
# The push Topic and the notification tag: a newer nudge replaces an older one not yet seen.
TOPIC = "nudge"


class DuePlan(NamedTuple):
    """A plan claimed for this pass, with what the dispatcher needs of its person."""

    user_id: int
    times: str
    weekdays: str
    quiet_start: time | None
    quiet_end: time | None
    only_if_no_win_today: bool
    next_due_at: datetime | None
    zone: str
    nudged_since: date | None
    last_sent_on: date | None
    timezone: str
    day_start: int
    weekly_day: int | None
    weekly_time: time | None
    language: str | None


class Device(NamedTuple):
    """One of a claimed person's devices, as a push to it needs it."""

    id: int
    user_id: int
    endpoint: str
    p256dh: str
    auth: str
    app_origin: str


# Selected in the order of the fields above.
PLAN_COLUMNS = (
    NudgePlan.user_id,
    NudgePlan.times,
    NudgePlan.weekdays,
    NudgePlan.quiet_start,
    NudgePlan.quiet_end,
    NudgePlan.only_if_no_win_today,
    NudgePlan.next_due_at,
    NudgePlan.zone,
    NudgePlan.nudged_since,
    NudgePlan.last_sent_on,
    User.timezone,
    User.day_start,
    NudgePlan.weekly_day,
    NudgePlan.weekly_time,
    User.language,
)
DEVICE_COLUMNS = (
    PushSubscription.id,
    PushSubscription.user_id,
    PushSubscription.endpoint,
    PushSubscription.p256dh,
    PushSubscription.auth,
    PushSubscription.app_origin,
)


@dataclass(frozen=True)
class Circumstances:
    """What the claimed people did and have: latest win day, devices, low-capacity days near now."""

    last_win_on: dict[int, date]
    devices: dict[int, list[Device]]
    low_capacity: dict[int, set[date]]


@dataclass(frozen=True)
class Decision:
    """One due slot of one person, decided: sent, or why it stays quiet (a delivery row)."""

    user_id: int
    local_date: date
    local_time: time
    due_at: datetime
    claimed_at: datetime
    outcome: str
    message: str
    today: date
    # "daily", or "weekly" for the weekly reflection's nudge.
    kind: str = "daily"
    # The language of the person it goes to; `message` is the English the catalog knows it by.
    language: str = i18n.SOURCE_LANGUAGE

    @property
    def slot(self) -> tuple[int, date, time]:
        """Return the (user, local date, local time) a delivery is unique by."""
        return (self.user_id, self.local_date, self.local_time)


@dataclass
class Progress:
    """Where a claimed plan moves on to: its next slot, and what this pass sent."""

    user_id: int
    next_due_at: datetime | None
    zone: str
    nudged_since: date | None
    last_sent_on: date | None


def claim(
    now: datetime, max_lateness: timedelta, limit: int, report: Report
) -> tuple[list[Message], int]:
    """Claim up to `limit` due plans in one transaction; return the messages and how many plans."""
    plans = lock_due_plans(now, limit)
    if not plans:
        db.session.rollback()
        return [], 0
    known = circumstances_of([plan.user_id for plan in plans], now)
    decisions, progress = decide_all(plans, known, now, max_lateness)
    sends = keep_won(decisions, insert_deliveries(decisions), report)
    note_sent(sends, known, progress)
    messages = messages_for(sends, known)
    move_on(list(progress.values()))
    db.session.commit()
    return messages, len(plans)


def lock_due_plans(now: datetime, limit: int) -> list[DuePlan]:
    """Select the plans due first; on PostgreSQL lock them, skipping those another has locked."""
    query = (
        select(*PLAN_COLUMNS)
        .join(User, User.id == NudgePlan.user_id)
        .where(
            NudgePlan.enabled,
            NudgePlan.next_due_at.is_not(None),
            # A person who moved to another zone is looked at again at once.
            or_(NudgePlan.next_due_at <= now, NudgePlan.zone != User.timezone),
        )
        .order_by(NudgePlan.next_due_at)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(of=NudgePlan, skip_locked=True)
    return [DuePlan._make(row) for row in db.session.execute(query)]


def circumstances_of(user_ids: list[int], now: datetime) -> Circumstances:
    """Look up each person's latest win day, devices and low-capacity days around today."""
    last_wins = dict(
        db.session.execute(
            select(Win.user_id, func.max(Win.local_date))
            .where(Win.user_id.in_(user_ids), Win.deleted_at.is_(None))
            .group_by(Win.user_id)
        ).all()
    )
    devices: dict[int, list[Device]] = {}
    for row in db.session.execute(
        select(*DEVICE_COLUMNS).where(PushSubscription.user_id.in_(user_ids))
    ):
        device = Device._make(row)
        devices.setdefault(device.user_id, []).append(device)
    # Every zone's today lies within a day of the UTC date, day-start shift included.
    low_capacity: dict[int, set[date]] = {}
    for user_id, day in db.session.execute(
        select(LowCapacityDay.user_id, LowCapacityDay.day).where(
            LowCapacityDay.user_id.in_(user_ids),
            LowCapacityDay.day >= now.date() - timedelta(days=2),
        )
    ):
        low_capacity.setdefault(user_id, set()).add(day)
    return Circumstances(last_wins, devices, low_capacity)


def decide_all(
    plans: list[DuePlan], known: Circumstances, now: datetime, max_lateness: timedelta
) -> tuple[list[Decision], dict[int, Progress]]:
    """Decide every due slot of every plan, and point each plan at its next slot."""
    decisions: list[Decision] = []
    progress: dict[int, Progress] = {}
    for plan in plans:
        user_id = plan.user_id
        try:
            has_devices = bool(known.devices.get(user_id))
            last_win_on = known.last_win_on.get(user_id)
            low_days = known.low_capacity.get(user_id, set())
            decisions.extend(decide(plan, last_win_on, low_days, has_devices, now, max_lateness))
            next_due_at = next_due(plan, ZoneInfo(plan.timezone), now)
        except Exception:  # noqa: BLE001 - one person's bad data never stops the others
            log.exception("Could not plan nudges for user %s", user_id)
            next_due_at = now + timedelta(hours=1)
        progress[user_id] = Progress(
            user_id, next_due_at, plan.timezone, plan.nudged_since, plan.last_sent_on
        )
    return decisions, progress


def decide(
    plan: DuePlan,
    last_win_on: date | None,
    low_days: set[date],
    has_devices: bool,
    now: datetime,
    max_lateness: timedelta,
) -> list[Decision]:
    """Return a decision for each of the plan's slots due now."""
    zone = ZoneInfo(plan.timezone)
    rule = rule_of(plan)
    moved = plan.zone != plan.timezone
    if moved or plan.next_due_at is None:
        start = now - max_lateness
    else:
        start = plan.next_due_at - timedelta(microseconds=1)
    today = today_in_zone(now, zone, plan.day_start)
    situation = nudges.Situation(
        today=today,
        wall_time=now.astimezone(zone).time(),
        last_win_on=last_win_on,
        low_capacity_on=today if today in low_days else None,
        only_if_no_win_today=plan.only_if_no_win_today,
        nudged_since=plan.nudged_since,
        last_sent_on=plan.last_sent_on,
    )
    weekly_rule = weekly_rule_of(plan)
    weekly = nudges.slots_between(weekly_rule, zone, start, now) if weekly_rule else []
    daily = nudges.without_clashes(nudges.slots_between(rule, zone, start, now), weekly)
    decisions = []
    for kind, due in (("daily", daily), ("weekly", weekly)):
        for slot, outcome in nudges.sort_due(due, now, max_lateness):
            message = ""
            if outcome is None:
                outcome, message = verdict_of(kind, plan, situation, rule, slot, has_devices)
            decisions.append(
                Decision(
                    user_id=plan.user_id,
                    local_date=slot.local_date,
                    local_time=slot.local_time,
                    due_at=slot.due_at,
                    claimed_at=now,
                    outcome=outcome,
                    message=message,
                    today=today,
                    kind=kind,
                    language=plan.language or i18n.SOURCE_LANGUAGE,
                )
            )
    return decisions


def verdict_of(
    kind: str,
    plan: DuePlan,
    situation: nudges.Situation,
    rule: nudges.Rule,
    slot: nudges.Slot,
    has_devices: bool,
) -> tuple[str, str]:
    """Decide one due slot still to send: its outcome, and the words if it is sent."""
    if kind == "weekly":
        outcome = nudges.weekly_verdict(situation, rule.quiet)
    else:
        outcome = nudges.verdict(situation, rule.quiet)
    if outcome == nudges.SEND and not has_devices:
        return "no_device", ""
    if outcome != nudges.SEND:
        return outcome, ""
    if kind == "weekly":
        return outcome, nudges.WEEKLY_MESSAGE
    resting = nudges.is_resting(plan.nudged_since, situation.last_win_on, situation.today)
    return outcome, nudges.message_for(plan.user_id, slot, resting)


def insert_deliveries(decisions: list[Decision]) -> dict[tuple, int]:
    """Insert a delivery per decision, skipping slots already claimed; return the ones won."""
    if not decisions:
        return {}
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    columns = ("user_id", "local_date", "local_time", "due_at", "claimed_at", "outcome", "message")
    table = NudgeDelivery.__table__
    statement = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=["user_id", "local_date", "local_time"])
        .returning(table.c.id, table.c.user_id, table.c.local_date, table.c.local_time)
    )
    rows = [{name: getattr(decision, name) for name in columns} for decision in decisions]
    # One executemany; SQLAlchemy batches it into multi-row INSERTs that still return ids.
    claimed = db.session.execute(statement, rows)
    return {(user_id, day, at): id_ for id_, user_id, day, at in claimed}


def keep_won(
    decisions: list[Decision], won: dict[tuple, int], report: Report
) -> list[tuple[int, Decision]]:
    """Return the won slots to send, with their delivery ids; count the won ones kept quiet."""
    sends = []
    for decision in decisions:
        delivery_id = won.get(decision.slot)
        if delivery_id is None:
            continue  # another dispatcher claimed this slot first
        if decision.outcome != nudges.SEND:
            report.skipped[decision.outcome] += 1
            continue
        report.sent += 1
        sends.append((delivery_id, decision))
    return sends


def note_sent(
    sends: list[tuple[int, Decision]], known: Circumstances, progress: dict[int, Progress]
) -> None:
    """Mark each sending plan as sent today, which counts towards resting."""
    for _delivery_id, decision in sends:
        if decision.kind == "weekly":
            continue  # the weekly look back says nothing about unanswered days
        plan = progress[decision.user_id]
        last_win_on = known.last_win_on.get(decision.user_id)
        plan.nudged_since = nudges.nudged_since_after_send(
            plan.nudged_since, last_win_on, decision.today
        )
        plan.last_sent_on = decision.today


def messages_for(sends: list[tuple[int, Decision]], known: Circumstances) -> list[Message]:
    """Return one message for each device of each slot to send, in its person's language.

    The dispatcher runs outside any request, in the app context the command (or whoever
    calls ``send_due``) holds: the catalogs are read from that app's configuration.
    """
    said: dict[tuple[str, str, str, str], bytes] = {}

    def payload_for(decision: Decision, app_origin: str) -> bytes:
        key = (decision.message, decision.kind, decision.language, app_origin)
        if key not in said:
            said[key] = payload(
                decision.message, app_origin, decision.kind, language=decision.language
            )
        return said[key]

    return [
        Message(
            key=(delivery_id, device.id, origin_of(device.endpoint)),
            endpoint=device.endpoint,
            p256dh=device.p256dh,
            auth=device.auth,
            payload=payload_for(decision, device.app_origin),
        )
        for delivery_id, decision in sends
        for device in known.devices[decision.user_id]
    ]


def spoken(language: str | None) -> str:
    """Return a language a nudge can be written in: the person's, or English if unknown."""
    try:
        return str(Locale.parse(language or i18n.SOURCE_LANGUAGE))
    except (UnknownLocaleError, ValueError, TypeError):
        return i18n.SOURCE_LANGUAGE


def payload(
    text: str, app_origin: str, kind: str = "daily", language: str = i18n.SOURCE_LANGUAGE
) -> bytes:
    """Return the push payload: our fields plus the Declarative Web Push shape Safari reads.

    `text` is a nudge's English (domain.nudges); it is said in `language`, the language of
    the person it goes to, whatever language the request or command around it speaks.
    """
    language = spoken(language)
    with i18n.speaking(language):
        body_text = _(text)
    body = {
        "web_push": 8030,
        "notification": {
            # The brand, the same in every language.
            "title": nudges.TITLE,
            "body": body_text,
            "navigate": app_origin.rstrip("/")
            + (REFLECT_PATH if kind == "weekly" else LOG_FORM_PATH),
            "lang": language.replace("_", "-"),
            "dir": i18n.text_direction(language),
            "tag": TOPIC,
        },
        # Our service worker may still show it its own way, with the actions.
        "mutable": True,
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def move_on(progress: list[Progress]) -> None:
    """Move every claimed plan on to its next slot in one executemany by primary key."""
    db.session.execute(update(NudgePlan), [asdict(plan) for plan in progress])
