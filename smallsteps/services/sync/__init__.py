"""Sync: apply a device's batch of changes, then hand back what changed since its cursor."""

from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ...domain.changes import Change, Rejected, parse_change, raw_id
from ...domain.merge import Outcome, parents_first
from ...domain.text import N_
from ...extensions import db
from ...models import User
from ..errors import ServiceError
from .batch import Batch, load_records
from .shape import MODELS, as_change

CURSOR_SALT = "smallsteps.sync-cursor"
# The most records one answer carries; `more` says others wait for the next cursor.
PAGE_SIZE = 1000


class InvalidCursor(ServiceError):
    """The cursor a device sent was not one this server handed out."""

    error = "invalid cursor"
    detail = N_("start again with since: null")


class Conflict(ServiceError):
    """Another request claimed the same new id at the same moment; try again."""

    status = 409
    error = "conflict"
    detail = N_("another change got there first; try again")
    said = N_("Something else changed at the same moment.")


def sync(user: User, since: str | None, raw_changes: list, now: datetime | None = None) -> dict:
    """Apply a batch of changes and return per-record results, newer changes and a cursor."""
    user_id, day_start, week_start = user.id, user.day_start, user.week_start
    since_seq = read_cursor(since, user_id, user.change_seq)
    now = now or datetime.now(UTC)
    for attempt in range(2):
        try:
            results = apply_changes(user_id, day_start, raw_changes, now, week_start)
            changes, last, more = changes_since(user_id, since_seq)
            db.session.commit()
            break
        except IntegrityError:
            # Two people's devices made the same new id at once; the retry sees it taken.
            db.session.rollback()
            if attempt:
                raise Conflict() from None
    cursor = make_cursor(user_id, last)
    return {"results": results, "changes": changes, "cursor": cursor, "more": more}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=CURSOR_SALT)


def make_cursor(user_id: int, seq: int) -> str:
    """Return an opaque cursor for "everything up to change number `seq`"."""
    return _serializer().dumps([user_id, seq])


def read_cursor(cursor: str | None, user_id: int, newest: int) -> int:
    """Return the change number a cursor stands for; 0 means "from the start"."""
    if cursor is None:
        return 0
    try:
        owner, seq = _serializer().loads(cursor)
    except (BadSignature, TypeError, ValueError):
        raise InvalidCursor() from None
    if not isinstance(owner, int) or not isinstance(seq, int):
        raise InvalidCursor()
    # Another person's cursor, or one from before a restore, starts again from the top.
    if owner != user_id or not 0 <= seq <= newest:
        return 0
    return seq


def apply_changes(
    user_id: int, day_start: int, raw_changes: list, now: datetime, week_start: int = 0
) -> list[dict]:
    """Apply every valid change, goals before steps before wins; return their results."""
    results: list[dict] = [{}] * len(raw_changes)
    parsed: dict[str, list[tuple[int, Change]]] = {kind: [] for kind in MODELS}
    for index, raw in enumerate(raw_changes):
        try:
            change = parse_change(raw, now)
        except Rejected as error:
            results[index] = _rejected(raw, error)
        else:
            parsed[change.kind].append((index, change))
    if not any(parsed.values()):
        return results
    lock_person(user_id)
    batch = Batch(user_id, day_start, load_records(parsed), week_start)
    steps = parsed["step"]
    links = [(c.id, c.data.get("parent_step_id") if c.data else None) for _, c in steps]
    ordered = (
        parsed["goal"]
        + [steps[i] for i in parents_first(links)]
        + parsed["win"]
        + parsed["reflection"]
    )
    for index, change in ordered:
        try:
            outcome = batch.apply(change)
        except Rejected as error:
            results[index] = _rejected(raw_changes[index], error)
        else:
            results[index] = {"id": raw_id(raw_changes[index]), "status": str(outcome)}
    batch.save()
    return results


def _rejected(raw: Any, rejection: Rejected) -> dict:
    # The domain's sentences are marked for the catalog, their values (a field's name, said
    # as it is; a limit) apart: the person reads the whole sentence in their language.
    message = _(rejection.message, **rejection.values)
    return {"id": raw_id(raw), "status": str(Outcome.REJECTED), "message": message}


def lock_person(user_id: int) -> None:
    """Hold the person's row until commit, so their batches apply one at a time."""
    db.session.execute(update(User).where(User.id == user_id).values(change_seq=User.change_seq))


def changes_since(
    user_id: int, since_seq: int, page_size: int = PAGE_SIZE
) -> tuple[list[dict], int, bool]:
    """Return one page of the person's records changed after `since_seq`, oldest first.

    With it come the number of the last record sent and whether more wait. Change numbers
    are the person's own and never repeat across kinds, so a cursor at the last number sent
    misses nothing and sends nothing twice.
    """
    found: list[tuple[int, str, Any]] = []
    for kind, model in MODELS.items():
        query = (
            select(model)
            .where(model.user_id == user_id, model.change_seq > since_seq)
            .order_by(model.change_seq)
            .limit(page_size + 1)
        )
        found.extend((record.change_seq, kind, record) for record in db.session.scalars(query))
    found.sort(key=lambda item: item[0])
    more = len(found) > page_size
    found = found[:page_size]
    last = found[-1][0] if found else since_seq
    return [as_change(kind, record) for _, kind, record in found], last, more
