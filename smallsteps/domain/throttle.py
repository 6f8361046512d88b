"""How long someone must wait before trying to sign in again after failed attempts."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Policy:
    """Failures allowed freely, the first pause, the longest pause, and when to refuse.

    `lock_after` None never refuses outright: the pauses only slow guessing down.
    """

    free: int
    first_pause: timedelta
    longest_pause: timedelta
    lock_after: int | None = None
    lock_for: timedelta = WINDOW


# One email from one address is slowed after 5 failures and refused after 15. An email
# alone, or an address alone (a household or an office behind one), gets far more room
# and is only ever slowed, so a guesser elsewhere can never lock the owner out.
PER_PAIR = Policy(
    free=5, first_pause=timedelta(seconds=15), longest_pause=timedelta(minutes=5), lock_after=15
)
PER_EMAIL = Policy(free=50, first_pause=timedelta(seconds=5), longest_pause=timedelta(minutes=1))
PER_ADDRESS = Policy(free=100, first_pause=timedelta(seconds=5), longest_pause=timedelta(minutes=1))


def wait_before_next_try(failures: Sequence[datetime], now: datetime, policy: Policy) -> timedelta:
    """Return how long to wait before another try; zero when one may try now.

    `failures` are the instants of failed attempts; only those in the last WINDOW count.
    """
    recent = sorted(moment for moment in failures if now - moment < WINDOW)
    count = len(recent)
    if count < policy.free:
        return timedelta(0)
    last = recent[-1]
    if policy.lock_after is not None and count >= policy.lock_after:
        pause = policy.lock_for
    else:
        doubling = min(count - policy.free, 16)
        pause = min(policy.first_pause * (2**doubling), policy.longest_pause)
    return max(last + pause - now, timedelta(0))
