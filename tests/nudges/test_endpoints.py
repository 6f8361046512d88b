"""Endpoints the server refuses to POST to (SSRF), and keys it refuses to encrypt for."""

import pytest

from smallsteps.webpush.endpoints import Refused, check_endpoint, check_keys
from tests.nudges.push_service import Device, b64url

REFUSED = [
    pytest.param("http://169.254.169.254/latest/meta-data/", id="cloud-metadata"),
    pytest.param("https://169.254.169.254/push/1", id="cloud-metadata-https"),
    pytest.param("https://127.0.0.1/push/1", id="loopback"),
    pytest.param("https://localhost/push/1", id="localhost"),
    pytest.param("https://10.1.2.3/push/1", id="private-network"),
    pytest.param("https://[::1]/push/1", id="ipv6-loopback"),
    pytest.param("https://example.com/push/1", id="not-a-push-service"),
    pytest.param("https://push.apple.com.example.com/1", id="lookalike-suffix"),
    pytest.param("https://evilpush.apple.com/1", id="lookalike-prefix"),
    pytest.param("https://fcm.googleapis.com.:443/fcm/send/1", id="trailing-dot"),
    pytest.param("file:///etc/passwd", id="file"),
    pytest.param("javascript:alert(1)", id="javascript"),
    pytest.param("http://fcm.googleapis.com/fcm/send/1", id="plain-http"),
    pytest.param("https://fcm.googleapis.com:8443/fcm/send/1", id="other-port"),
    pytest.param("https://user:secret@fcm.googleapis.com/fcm/send/1", id="userinfo"),
    pytest.param("https://fcm.googleapis.com@10.0.0.1/fcm/send/1", id="userinfo-trick"),
    pytest.param("https://fcm.googleapis.com/" + "a" * 2030, id="too-long"),
    pytest.param("https://fcm.googleapis.com/fcm/send/a b", id="space"),
    pytest.param("https://fcm.googleapis.com\\@10.0.0.1/", id="backslash"),
    pytest.param("https://fcm.googleapis.com:99999/", id="bad-port"),
    pytest.param("", id="empty"),
    pytest.param(None, id="not-a-string"),
]
ACCEPTED = [
    "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b",
    "https://FCM.googleapis.com:443/fcm/send/abc",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
    "https://web.push.apple.com/QGx1c2g",
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
]


@pytest.mark.parametrize("url", REFUSED)
def test_an_endpoint_that_is_no_push_service_is_refused(url):
    with pytest.raises(Refused):
        check_endpoint(url)


@pytest.mark.parametrize("url", REFUSED)
def test_the_test_allowlist_does_not_open_anything_else(url):
    with pytest.raises(Refused):
        check_endpoint(url, ["127.0.0.1:8123"], allow_http=True)


@pytest.mark.parametrize("url", ACCEPTED)
def test_the_known_push_services_are_accepted(url):
    assert check_endpoint(url) == url


def test_an_allowed_host_is_reached_only_on_its_port_and_http_only_when_allowed():
    assert check_endpoint("http://127.0.0.1:8123/push/1", ["127.0.0.1:8123"], allow_http=True)
    with pytest.raises(Refused):
        check_endpoint("http://127.0.0.1:8123/push/1", ["127.0.0.1:8123"], allow_http=False)
    with pytest.raises(Refused):
        check_endpoint("http://127.0.0.1:8124/push/1", ["127.0.0.1:8123"], allow_http=True)
    assert check_endpoint("https://push.example.org/1", "push.example.org")
    with pytest.raises(Refused):
        check_endpoint("https://push.example.org:444/1", "push.example.org")


def test_device_keys_of_the_right_shape_are_accepted_and_normalised():
    keys = Device("unused").subscription()["keys"]
    padded = {"p256dh": keys["p256dh"] + "=", "auth": keys["auth"] + "=="}
    assert check_keys(padded).p256dh == keys["p256dh"]
    assert check_keys(padded).auth == keys["auth"]


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(None, id="missing"),
        pytest.param(
            {"p256dh": b64url(b"\x04" + b"\x01" * 64), "auth": b64url(b"a" * 16)}, id="off-curve"
        ),
        pytest.param(
            {"p256dh": b64url(b"\x04" * 33), "auth": b64url(b"a" * 16)}, id="compressed-size"
        ),
        pytest.param({"p256dh": "not base64!", "auth": b64url(b"a" * 16)}, id="not-base64url"),
        pytest.param({"auth": b64url(b"a" * 16)}, id="no-p256dh"),
    ],
)
def test_a_bad_public_key_is_refused(keys):
    with pytest.raises(Refused):
        check_keys(keys)


@pytest.mark.parametrize("auth", [b64url(b"a" * 15), b64url(b"a" * 17), "", 16, "a+b/"])
def test_an_auth_secret_that_is_not_16_bytes_is_refused(auth):
    keys = Device("unused").subscription()["keys"]
    with pytest.raises(Refused):
        check_keys({"p256dh": keys["p256dh"], "auth": auth})


def test_every_refusal_has_words_for_a_person_the_same_in_english(app):
    from smallsteps.services.nudges.subscriptions import REFUSALS, refusal_words

    keys = Device("unused").subscription()["keys"]
    refusals = []
    for url in [*(param.values[0] for param in REFUSED), "https:///push/1"]:
        with pytest.raises(Refused) as refused:
            check_endpoint(url)
        refusals.append(refused.value)
    off_curve = b64url(b"\x04" + b"\x01" * 64)
    for bad in [
        None,
        {"p256dh": "not base64!", "auth": keys["auth"]},
        {"p256dh": off_curve, "auth": keys["auth"]},
        {"p256dh": keys["p256dh"]},
    ]:
        with pytest.raises(Refused) as refused:
            check_keys(bad)
        refusals.append(refused.value)
    with app.test_request_context():
        for refusal in refusals:
            assert refusal.kind in REFUSALS
            assert refusal_words(refusal) == str(refusal)
    assert {refusal.kind for refusal in refusals} == set(REFUSALS)
