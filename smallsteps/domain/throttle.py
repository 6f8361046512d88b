"""How long someone must wait before trying to sign in, or asking for a reset, again."""

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

# Asking for a password-reset mail: every request counts, none is taken back. One email from
# one address may ask three times in a quarter of an hour before pauses begin, so nobody's
# mailbox can be flooded; nothing is ever refused outright.
RESET_PER_PAIR = Policy(
    free=3, first_pause=timedelta(minutes=1), longest_pause=timedelta(minutes=15)
)
RESET_PER_EMAIL = Policy(
    free=5, first_pause=timedelta(minutes=1), longest_pause=timedelta(minutes=15)
)
RESET_PER_ADDRESS = Policy(
    free=20, first_pause=timedelta(seconds=30), longest_pause=timedelta(minutes=5)
)

# Opening a shared page: guessing a link's token is slowed per address. Every address shares
# the one "email" key here, so that key is never slowed: one guesser can't close the pages
# for everyone.
SHARE_PER_ADDRESS = Policy(
    free=20, first_pause=timedelta(seconds=30), longest_pause=timedelta(minutes=15)
)
NEVER_SLOWED = Policy(free=10**9, first_pause=timedelta(0), longest_pause=timedelta(0))

# The policy of each kind of key (one email, one email from one address, one address), by
# what is being tried.
POLICIES = {
    "sign-in": {"email": PER_EMAIL, "pair": PER_PAIR, "address": PER_ADDRESS},
    "reset": {"email": RESET_PER_EMAIL, "pair": RESET_PER_PAIR, "address": RESET_PER_ADDRESS},
    "share": {"email": NEVER_SLOWED, "pair": SHARE_PER_ADDRESS, "address": SHARE_PER_ADDRESS},
}


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
