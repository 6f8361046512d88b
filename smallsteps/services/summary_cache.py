"""Keep each person's latest summary, so looking again costs one lookup.

Every change to a goal, step or win bumps the person's change number, and the summary
depends on nothing else but the as-of date and three settings, so those make the key.
"""

import json
from collections.abc import Callable
from datetime import date

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import SummaryCache, User, utcnow

VERSION = 1


def cache_key(user: User, as_of: date) -> str:
    """Return the key a summary is valid for."""
    return (
        f"v{VERSION}:{user.change_seq}:{as_of.isoformat()}"
        f":{user.grace}:{user.week_start}:{user.day_start}"
    )


def summary_body(user: User, as_of: date, build: Callable[[], dict]) -> str:
    """Return the summary as JSON text, building and keeping it only when it changed."""
    key = cache_key(user, as_of)
    row = db.session.get(SummaryCache, user.id)
    if row is not None and row.cache_key == key:
        return row.body
    body = json.dumps(build(), separators=(",", ":"))
    if row is None:
        db.session.add(SummaryCache(user_id=user.id, cache_key=key, body=body))
    else:
        row.cache_key, row.body, row.built_at = key, body, utcnow()
    try:
        db.session.commit()
    except IntegrityError:
        # Another request stored one at the same moment; this answer is just as good.
        db.session.rollback()
    return body
