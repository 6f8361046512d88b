"""Keep each person's latest summary, so looking again costs one lookup.

Every change to a goal, step or win bumps the person's change number, and the summary
depends on nothing else but the as-of date and three settings, so those make the key.
``keep`` also stores the person's settled history (``settled``): one JSON body a person,
replaced whole under a new key.
"""

import json
from collections.abc import Callable
from datetime import date

from sqlalchemy.exc import IntegrityError

from ...extensions import begin_writing, db
from ...models import KeptPerPerson, SummaryCache, User, utcnow

VERSION = 1


def cache_key(user: User, as_of: date) -> str:
    """Return the key a summary is valid for."""
    return (
        f"v{VERSION}:{user.change_seq}:{as_of.isoformat()}"
        f":{user.grace}:{user.week_start}:{user.day_start}"
    )


def summary_body(user: User, as_of: date, build: Callable[[], dict]) -> str:
    """Return the summary as JSON text, building and keeping it only when it changed."""
    return kept_body(SummaryCache, user.id, cache_key(user, as_of), build)


def kept_body(model: type[KeptPerPerson], user_id: int, key: str, build: Callable[[], dict]) -> str:
    """Return the person's body kept under ``key``, or build it as JSON, keep it and return it."""
    row = db.session.get(model, user_id)
    if row is not None and row.cache_key == key:
        return row.body
    return keep(model, row, user_id, key, build())


def keep(
    model: type[KeptPerPerson], row: KeptPerPerson | None, user_id: int, key: str, value: dict
) -> str:
    """Keep ``value`` as the person's JSON body under ``key``, in ``row`` if they have one."""
    body = json.dumps(value, separators=(",", ":"))
    begin_writing()
    if row is None:
        db.session.add(model(user_id=user_id, cache_key=key, body=body))
    else:
        row.cache_key, row.body, row.built_at = key, body, utcnow()
    try:
        db.session.commit()
    except IntegrityError:
        # Another request stored one at the same moment; this answer is just as good.
        db.session.rollback()
    return body
