"""The devices that receive a person's nudges: saving, listing and removing them."""

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from py_vapid import Vapid
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ...domain.text import N_
from ...extensions import db
from ...models import PushSubscription, User, utcnow
from ...webpush import vapid
from ...webpush.endpoints import (
    KNOWN_PUSH_SERVICES,
    Refused,
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

# What a refused subscription is, said to the person whose browser sent it, by Refused.kind.
REFUSALS = {
    # Translators: a browser sent a subscription for nudges the server can't use; the endpoint
    # is the web address nudges go to; https, p256dh, auth, P-256 and base64url stay as they are.
    "not-a-url": N_("The endpoint must be a URL."),
    "too-long": N_("The endpoint is longer than %(limit)s characters."),
    "bad-characters": N_("The endpoint has characters a URL cannot have."),
    "invalid-url": N_("The endpoint is not a valid URL."),
    "not-https": N_("The endpoint must be an https URL."),
    "credentials": N_("The endpoint must not carry a user name or password."),
    "no-host": N_("The endpoint has no valid host."),
    "not-port-443": N_("The endpoint must use https on port 443."),
    "unknown-service": N_("The endpoint is not on a known push service."),
    "no-keys": N_("The subscription needs its keys: p256dh and auth."),
    "bad-p256dh": N_("p256dh must be a 65-byte uncompressed P-256 public key, base64url."),
    "off-curve": N_("p256dh is not a point on the P-256 curve."),
    "bad-auth": N_("auth must be a 16-byte secret, base64url."),
}


def refusal_words(refusal: Refused) -> str:
    """Return why a device's subscription was refused, in the reader's language."""
    return _(REFUSALS[refusal.kind], **refusal.values)


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
