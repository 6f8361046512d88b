"""The local push service the nudge tests rely on is strict: it refuses what FCM would refuse."""

import json
import time

import pytest
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from smallsteps.webpush import vapid

HEADERS = {"Content-Type": "application/octet-stream", "Topic": "nudge", "Urgency": "normal"}


@pytest.fixture
def signing_key(vapid_pem):
    return vapid.load(vapid_pem, ".")


def send(device, key, headers=HEADERS, **claims):
    return webpush(
        device.subscription(),
        data=json.dumps({"notification": {"body": "hello"}}),
        vapid_private_key=key,
        vapid_claims={"sub": "mailto:nudges@example.com", **claims},
        ttl=60,
        headers=headers,
        timeout=10,
    )


def test_a_well_signed_encrypted_push_is_delivered_and_decrypted(
    push_service, application_server_key, signing_key
):
    device = push_service.new_device(application_server_key)
    send(device, signing_key)
    [delivery] = push_service.delivered_to(device)
    assert delivery.payload == {"notification": {"body": "hello"}}


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("another-key", "not the one the device subscribed with"),
        ("wrong-audience", "aud"),
        ("too-long-lived", "24 hours"),
        ("no-content-type", "Content-Type"),
    ],
)
def test_a_push_the_service_would_refuse_is_refused(
    push_service, application_server_key, signing_key, case, words
):
    device = push_service.new_device(application_server_key)
    key, claims, headers = signing_key, {}, dict(HEADERS)
    if case == "another-key":
        key = Vapid()
        key.generate_keys()
    elif case == "wrong-audience":
        claims["aud"] = "http://127.0.0.1:1"
    elif case == "too-long-lived":
        claims["exp"] = int(time.time()) + 25 * 3600
    else:
        del headers["Content-Type"]
    with pytest.raises(WebPushException):
        send(device, key, headers, **claims)
    assert push_service.delivered_to(device) == []
    assert words in push_service.rejections[0]
