"""The VAPID header cache, Retry-After, and the payload limit: the parts of sending without I/O."""

import json

from py_vapid import Vapid

from smallsteps.webpush.sender import PAYLOAD_MAX, encrypt, retry_after_seconds
from smallsteps.webpush.vapid import HeaderCache
from tests.nudges.push_service import Device, unb64url

FCM = "https://fcm.googleapis.com/fcm/send/abc"


def claims(header: str) -> dict:
    token = header.split("t=")[1].split(",")[0]
    return json.loads(unb64url(token.split(".")[1]))


def test_a_signed_header_is_reused_per_push_service_and_renewed_before_it_expires():
    key = Vapid()
    key.generate_keys()
    now = [1_800_000_000.0]
    cache = HeaderCache(key, "mailto:nudges@example.com", clock=lambda: now[0])

    first = cache.authorization(FCM)
    assert cache.authorization(FCM + "/other-device") == first
    mozilla = cache.authorization("https://updates.push.services.mozilla.com/wpush/v2/x")
    assert mozilla != first
    assert claims(first)["aud"] == "https://fcm.googleapis.com"
    assert claims(first)["exp"] - now[0] <= 12 * 3600
    assert claims(first)["sub"] == "mailto:nudges@example.com"

    now[0] += 10 * 3600  # two hours left: still reused
    assert cache.authorization(FCM) == first
    now[0] += 1 * 3600 + 1  # less than an hour left: signed again
    renewed = cache.authorization(FCM)
    assert renewed != first
    assert claims(renewed)["exp"] == int(now[0]) + 12 * 3600


def test_retry_after_is_read_as_seconds_or_as_an_http_date():
    assert retry_after_seconds("1") == 1.0
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2026 07:28:10 GMT", now=1792567680.0) == 10.0
    assert retry_after_seconds("Wed, 21 Oct 2026 07:28:10 GMT", now=1792567700.0) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_a_payload_over_3993_bytes_is_never_sent():
    keys = Device("unused").subscription()["keys"]
    fits, too_big = encrypt(
        [
            (FCM, keys["p256dh"], keys["auth"], b"x" * PAYLOAD_MAX),
            (FCM, keys["p256dh"], keys["auth"], b"x" * (PAYLOAD_MAX + 1)),
        ]
    )
    assert isinstance(fits, bytes) and len(fits) <= 4096
    assert too_big.startswith("not sent")
