"""What became of each send: every attempt recorded, devices updated or removed."""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import NudgeAttempt, PushSubscription
from ...webpush.sender import Result

log = logging.getLogger(__name__)


@dataclass
class Report:
    """What one pass of the dispatcher did."""

    sent: int = 0
    delivered: int = 0
    failed: int = 0
    removed: int = 0
    skipped: Counter = field(default_factory=Counter)

    @property
    def due(self) -> int:
        """Return how many slots this pass claimed: sent or kept quiet."""
        return self.sent + sum(self.skipped.values())

    def quiet_reasons(self) -> str:
        """Return why slots were not sent, like "late 1, logged 2" ("" when all were)."""
        return ", ".join(f"{reason} {count}" for reason, count in sorted(self.skipped.items()))

    def describe(self) -> str:
        """Return the report as a sentence for the command line."""
        return (
            f"Sent {self.sent} nudges: {self.delivered} reached a device, {self.failed} did not, "
            f"{self.removed} devices removed. Not sent: {self.quiet_reasons() or 'none'}."
        )


def record(results: list[Result], report: Report) -> None:
    """Record every attempt and what it means for each device, in one transaction."""
    session = db.session
    attempts, delivered, failed, gone = [], set(), set(), set()
    for result in results:
        delivery_id, subscription_id, push_origin = result.message.key
        for attempt in result.attempts:
            attempts.append(
                {
                    "delivery_id": delivery_id,
                    "subscription_id": subscription_id,
                    "push_origin": push_origin,
                    "attempted_at": attempt.attempted_at,
                    "status": attempt.status,
                    "error": attempt.error[:200],
                }
            )
        if result.delivered:
            delivered.add(subscription_id)
        elif result.gone:
            gone.add(subscription_id)
        else:
            failed.add(subscription_id)
    report.delivered += len(delivered)
    report.failed += len(failed)
    now = datetime.now(UTC)
    if delivered:
        session.execute(
            update(PushSubscription)
            .where(PushSubscription.id.in_(delivered))
            .values(last_success_at=now, failure_count=0)
        )
    if failed:
        session.execute(
            update(PushSubscription)
            .where(PushSubscription.id.in_(failed))
            .values(failure_count=PushSubscription.failure_count + 1)
        )
    if gone:
        removed = session.execute(
            PushSubscription.__table__.delete().where(PushSubscription.id.in_(gone))
        ).rowcount
        report.removed += removed
    save_attempts(attempts)
    session.commit()


def save_attempts(attempts: list[dict]) -> None:
    """Insert attempt rows; skip only those of a delivery deleted meanwhile (account gone)."""
    if not attempts:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(NudgeAttempt.__table__.insert(), attempts)
    except IntegrityError:
        for row in attempts:
            try:
                with db.session.begin_nested():
                    db.session.execute(NudgeAttempt.__table__.insert(), [row])
            except IntegrityError:
                log.info("Skipped an attempt of a delivery that no longer exists")
