"""The nudge dispatcher: claim due slots in the database, send outside it, record every attempt.

Claiming is one short transaction per batch. On PostgreSQL the due plans are locked with
FOR UPDATE SKIP LOCKED, so dispatchers running side by side take different people; on
every database the unique (user, local date, local time) key of a delivery decides, so
a slot is sent at most once. Sends happen after the commit, never inside a transaction.
"""

import json
import logging
import os
from collections import deque
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ...domain import nudges
from ...domain.days import today_in_zone
from ...extensions import db
from ...models import NudgeDelivery, NudgePlan, PushSubscription, User, Win
from .attempts import Report, record
from .endpoints import allowed_entries, origin_of
from .plans import rule_of
from .sender import Message, Policy, Sender
from .vapid import HeaderCache, NotSetUp, load

log = logging.getLogger(__name__)
BATCH_SIZE = 500
LOG_FORM_PATH = "/?log=1#log-form"


def sender_for(app: Flask) -> Sender:
    """Return a Sender set up from the app's config and VAPID key."""
    vapid = load(app.config, app.instance_path)
    if vapid is None:
        raise NotSetUp("No VAPID key: run `flask --app wsgi vapid init` first.")
    config = app.config
    policy = Policy(
        ttl=int(config.get("NUDGE_TTL", 4 * 3600)),
        concurrency=int(config.get("NUDGE_CONCURRENCY", 64)),
        timeout=float(config.get("NUDGE_TIMEOUT", 15.0)),
        backoff=float(config.get("NUDGE_RETRY_BACKOFF", 1.0)),
        allowed_hosts=tuple(
            f"{host}:{port}" if port else host
            for host, port in allowed_entries(config.get("PUSH_ALLOWED_HOSTS"))
        ),
        allow_http=bool(config.get("PUSH_ALLOW_HTTP")),
        encrypt_processes=int(config.get("NUDGE_ENCRYPT_PROCESSES", default_encrypt_processes())),
    )
    return Sender(HeaderCache(vapid, config["VAPID_SUBJECT"]), policy)


def default_encrypt_processes() -> int:
    """Return how many processes encrypt beside the sender: every core but one, up to four."""
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def payload(text: str, app_origin: str) -> bytes:
    """Return the push payload: our fields plus the Declarative Web Push shape Safari reads."""
    body = {
        "web_push": 8030,
        "notification": {
            "title": nudges.TITLE,
            "body": text,
            "navigate": app_origin.rstrip("/") + LOG_FORM_PATH,
            "lang": "en",
            "dir": "ltr",
            "tag": "nudge",
        },
        # Our service worker may still show it its own way, with the actions.
        "mutable": True,
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def send_due(now: datetime, sender: Sender, max_lateness: timedelta, batch_size=BATCH_SIZE):
    """Send every slot due at `now`, batch by batch, and return a Report."""
    if now.tzinfo is None:
        raise ValueError("`now` needs its UTC offset")
    now = now.astimezone(UTC)
    report = Report()
    sending: deque = deque()
    while True:
        # The next batch is claimed, and starts on its way, while the last one is still
        # going out: the sender never waits for the database, nor the database for it.
        messages, claimed = claim(now, max_lateness, batch_size, report)
        if messages:
            sending.append(sender.start(messages))
        while len(sending) > (1 if claimed else 0):
            record(sending.popleft().result(), report)
        if not claimed:
            return report


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
    User.low_capacity_on,
)
DEVICE_COLUMNS = (
    PushSubscription.id,
    PushSubscription.user_id,
    PushSubscription.endpoint,
    PushSubscription.p256dh,
    PushSubscription.auth,
    PushSubscription.app_origin,
)


def claim(now: datetime, max_lateness: timedelta, limit: int, report: Report):
    """Claim up to `limit` due plans in one transaction; return the messages to send."""
    session = db.session
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
    plans = session.execute(query).all()
    if not plans:
        session.rollback()
        return [], 0
    user_ids = [plan.user_id for plan in plans]
    last_wins = dict(
        session.execute(
            select(Win.user_id, func.max(Win.local_date))
            .where(Win.user_id.in_(user_ids), Win.deleted_at.is_(None))
            .group_by(Win.user_id)
        ).all()
    )
    devices: dict[int, list] = {}
    for device in session.execute(
        select(*DEVICE_COLUMNS).where(PushSubscription.user_id.in_(user_ids))
    ):
        devices.setdefault(device.user_id, []).append(device)

    decided: list[dict] = []
    updates: dict[int, dict] = {}
    for plan in plans:
        user_id = plan.user_id
        try:
            has_devices = bool(devices.get(user_id))
            decided.extend(decide(plan, last_wins.get(user_id), has_devices, now, max_lateness))
            upcoming = nudges.next_slot(rule_of(plan), ZoneInfo(plan.timezone), now)
            next_due_at = upcoming.due_at if upcoming is not None else None
        except Exception:  # noqa: BLE001 - one person's bad data never stops the others
            log.exception("Could not plan nudges for user %s", user_id)
            next_due_at = now + timedelta(hours=1)
        updates[user_id] = {
            "user_id": user_id,
            "next_due_at": next_due_at,
            "zone": plan.timezone,
            "nudged_since": plan.nudged_since,
            "last_sent_on": plan.last_sent_on,
        }
    won = insert_deliveries(decided)
    messages = []
    for row in decided:
        delivery_id = won.get((row["user_id"], row["local_date"], row["local_time"]))
        if delivery_id is None:
            continue  # another dispatcher claimed this slot first
        if row["outcome"] != nudges.SEND:
            report.skipped[row["outcome"]] += 1
            continue
        report.sent += 1
        changes = updates[row["user_id"]]
        changes["nudged_since"] = nudges.nudged_since_after_send(
            changes["nudged_since"], last_wins.get(row["user_id"]), row["today"]
        )
        changes["last_sent_on"] = row["today"]
        for device in devices[row["user_id"]]:
            messages.append(
                Message(
                    key=(delivery_id, device.id, origin_of(device.endpoint)),
                    endpoint=device.endpoint,
                    p256dh=device.p256dh,
                    auth=device.auth,
                    payload=payload(row["message"], device.app_origin),
                )
            )
    # One executemany by primary key moves every claimed plan on to its next slot.
    session.execute(update(NudgePlan), list(updates.values()))
    session.commit()
    return messages, len(plans)


def decide(plan, last_win_on, has_devices: bool, now: datetime, max_lateness) -> list[dict]:
    """Return a delivery row for each of the plan's slots due now, each with its outcome."""
    zone = ZoneInfo(plan.timezone)
    rule = rule_of(plan)
    moved = plan.zone != plan.timezone
    if moved or plan.next_due_at is None:
        start = now - max_lateness
    else:
        start = plan.next_due_at - timedelta(microseconds=1)
    today = today_in_zone(now, zone, plan.day_start)
    rows = []
    due = nudges.slots_between(rule, zone, start, now)
    for slot, outcome in nudges.sort_due(due, now, max_lateness):
        message = ""
        if outcome is None:
            situation = nudges.Situation(
                today=today,
                wall_time=now.astimezone(zone).time(),
                last_win_on=last_win_on,
                low_capacity_on=plan.low_capacity_on,
                only_if_no_win_today=plan.only_if_no_win_today,
                nudged_since=plan.nudged_since,
                last_sent_on=plan.last_sent_on,
            )
            outcome = nudges.verdict(situation, rule.quiet)
            if outcome == nudges.SEND and not has_devices:
                outcome = "no_device"
            if outcome == nudges.SEND:
                resting = nudges.is_resting(plan.nudged_since, last_win_on, today)
                message = nudges.message_for(plan.user_id, slot, resting)
        rows.append(
            {
                "user_id": plan.user_id,
                "local_date": slot.local_date,
                "local_time": slot.local_time,
                "due_at": slot.due_at,
                "claimed_at": now,
                "outcome": outcome,
                "message": message,
                "today": today,
            }
        )
    return rows


def insert_deliveries(rows: list[dict]) -> dict[tuple, int]:
    """Insert delivery rows, skipping slots already claimed; return the ones this call won."""
    if not rows:
        return {}
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    columns = ("user_id", "local_date", "local_time", "due_at", "claimed_at", "outcome", "message")
    table = NudgeDelivery.__table__
    statement = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=["user_id", "local_date", "local_time"])
        .returning(table.c.id, table.c.user_id, table.c.local_date, table.c.local_time)
    )
    # One executemany; SQLAlchemy batches it into multi-row INSERTs that still return ids.
    claimed = db.session.execute(statement, [{name: row[name] for name in columns} for row in rows])
    return {(user_id, day, at): id_ for id_, user_id, day, at in claimed}
