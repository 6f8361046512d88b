"""The devices that receive a person's nudges: saving, listing and removing them."""

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from py_vapid import Vapid
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import PushSubscription, User, utcnow
from ...webpush import vapid
from ...webpush.endpoints import (
    KNOWN_PUSH_SERVICES,
    check_endpoint,
    check_keys,
    known_push_service,
    origin_of,
)

# Browsers that forget a subscription rarely say so; keep the newest few devices.
MAX_DEVICES = 10
# What a person calls the devices each push service reaches (KNOWN_PUSH_SERVICES).
DEVICE_NAMES = {
    # Translators: a device that gets nudges, named by its browser; browser names stay as they are.
    "fcm.googleapis.com": _l("Chrome, Edge on Android or another Chromium browser"),
    ".push.services.mozilla.com": "Firefox",
    ".push.apple.com": _l("Safari on an iPhone, iPad or Mac"),
    ".notify.windows.com": _l("Edge on Windows"),
}


def server_key(app: Flask) -> Vapid | None:
    """Return the VAPID key devices subscribe with: config's, else the instance folder's."""
    return vapid.load(app.config.get("VAPID_PRIVATE_KEY"), app.instance_path)


def devices_of(user: User) -> list[PushSubscription]:
    """Return the person's devices, newest first."""
    return list(
        db.session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == user.id)
            .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
        )
    )


def device_name(subscription: PushSubscription) -> str:
    """Return a name a person recognises for a device, from its push service."""
    host = origin_of(subscription.endpoint).split("://", 1)[1]
    known = known_push_service(host)
    if known is None:
        # Translators: a device that gets nudges, named by the web address of its push service.
        return _("A device using %(host)s", host=host)
    return str(DEVICE_NAMES.get(known, KNOWN_PUSH_SERVICES[known]))


def as_json(subscription: PushSubscription) -> dict[str, Any]:
    """Return a device as the API shows it: never its full endpoint or keys."""
    last = subscription.last_success_at
    return {
        "id": subscription.id,
        "endpoint_origin": origin_of(subscription.endpoint),
        "created_at": subscription.created_at.isoformat(),
        "last_success_at": last.isoformat() if last is not None else None,
    }


def save(
    user: User,
    data: Mapping[str, Any],
    app_origin: str,
    allowed_hosts: Iterable[str] | str | None,
    allow_http: bool,
) -> tuple[PushSubscription, bool]:
    """Store a browser's PushSubscription.toJSON() for the person; say whether it is new.

    The same endpoint sent again (every app open does) refreshes its keys. An endpoint
    last used by someone else on this browser now belongs to whoever signed in.
    """
    endpoint = check_endpoint(data.get("endpoint"), allowed_hosts, allow_http)
    keys = check_keys(data.get("keys"))
    fields = {
        "user_id": user.id,
        "p256dh": keys.p256dh,
        "auth": keys.auth,
        "app_origin": app_origin,
    }
    for _attempt in range(2):
        existing = db.session.scalar(
            select(PushSubscription).where(PushSubscription.endpoint == endpoint)
        )
        if existing is not None:
            if existing.user_id != user.id:
                existing.failure_count = 0
                existing.last_success_at = None
            for key, value in fields.items():
                setattr(existing, key, value)
            db.session.commit()
            return existing, False
        subscription = PushSubscription(endpoint=endpoint, created_at=utcnow(), **fields)
        db.session.add(subscription)
        try:
            db.session.commit()
        except IntegrityError:
            # The same device saved itself at the same moment; update that one instead.
            db.session.rollback()
            continue
        forget_oldest(user)
        return subscription, True
    raise RuntimeError("could not save the subscription")


def forget_oldest(user: User) -> None:
    """Keep only the person's newest MAX_DEVICES devices."""
    stale = [device.id for device in devices_of(user)[MAX_DEVICES:]]
    if stale:
        db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(stale)))
        db.session.commit()


def remove(user: User, *, endpoint: str | None = None, device_id: int | None = None) -> bool:
    """Remove one of the person's devices by endpoint or id; say whether one was removed."""
    query = delete(PushSubscription).where(PushSubscription.user_id == user.id)
    if endpoint is not None:
        query = query.where(PushSubscription.endpoint == endpoint)
    elif device_id is not None:
        query = query.where(PushSubscription.id == device_id)
    else:
        return False
    removed = db.session.execute(query).rowcount
    db.session.commit()
    return bool(removed)
