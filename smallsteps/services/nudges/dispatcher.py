"""The nudge dispatcher: claim due slots in the database, send outside it, record every attempt.

Claiming (claims.py) is one short transaction per batch and decides that a slot is sent
at most once. Sends happen after its commit, never inside a transaction.
"""

import logging
from collections import deque
from datetime import UTC, datetime, timedelta

from flask import Flask, has_app_context

from ...webpush.endpoints import allowed_entries
from ...webpush.sender import Policy, Sender
from ...webpush.vapid import HeaderCache, NotSetUp
from .attempts import Report, record
from .claims import TOPIC, claim
from .subscriptions import server_key

log = logging.getLogger(__name__)
BATCH_SIZE = 500


def sender_for(app: Flask) -> Sender:
    """Return a Sender set up from the app's config and VAPID key."""
    key = server_key(app)
    if key is None:
        raise NotSetUp("No VAPID key: run `flask --app wsgi vapid init` first.")
    config = app.config
    policy = Policy(
        ttl=int(config["NUDGE_TTL"]),
        topic=TOPIC,
        concurrency=int(config["NUDGE_CONCURRENCY"]),
        timeout=float(config["NUDGE_TIMEOUT"]),
        backoff=float(config["NUDGE_RETRY_BACKOFF"]),
        encrypt_processes=int(config["NUDGE_ENCRYPT_PROCESSES"]),
        allowed_hosts=tuple(
            f"{host}:{port}" if port else host
            for host, port in allowed_entries(config.get("PUSH_ALLOWED_HOSTS"))
        ),
        allow_http=bool(config.get("PUSH_ALLOW_HTTP")),
    )
    return Sender(HeaderCache(key, config["VAPID_SUBJECT"]), policy)


def send_due(now: datetime, sender: Sender, max_lateness: timedelta, batch_size=BATCH_SIZE):
    """Send every slot due at `now`, batch by batch, and return a Report."""
    if now.tzinfo is None:
        raise ValueError("`now` needs its UTC offset")
    if not has_app_context():
        # The database, and the catalogs each person's nudge is said in, come from the app.
        raise RuntimeError("send_due runs in the app's context: `with app.app_context():`")
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
            log_pass(report)
            return report


def log_pass(report: Report) -> None:
    """Log one line about a pass; a pass with nothing due says so at DEBUG only."""
    reasons = report.quiet_reasons()
    log.log(
        logging.INFO if report.due else logging.DEBUG,
        "nudges: %d due, %d sent, %d quiet%s; %d reached a device, %d did not, %d devices removed",
        report.due,
        report.sent,
        report.due - report.sent,
        f" ({reasons})" if reasons else "",
        report.delivered,
        report.failed,
        report.removed,
    )
