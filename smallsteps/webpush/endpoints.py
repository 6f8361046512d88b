"""Which push endpoints the server will ever POST to, and which device keys it accepts.

An endpoint comes from a browser, so a person could hand in any URL. Only https on
port 443 to a known push service (or a host the operator allowed) gets through, so
the server can never be turned into a client for internal addresses.
"""

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

ENDPOINT_MAX = 2048
# Exact hosts and, with a leading dot, every host under a domain; and the browsers using each.
KNOWN_PUSH_SERVICES = {
    "fcm.googleapis.com": "Chrome, Edge on Android or another Chromium browser",
    ".push.services.mozilla.com": "Firefox",
    ".push.apple.com": "Safari on an iPhone, iPad or Mac",
    ".notify.windows.com": "Edge on Windows",
}
DEFAULT_PORTS = {"https": 443, "http": 80}
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
# Printable ASCII without spaces: no control characters, whitespace or Unicode tricks.
_URL_CHARACTERS = re.compile(r"[!-~]+")
_HOST = re.compile(r"[a-z0-9.-]+|\[[0-9a-f:.]+\]")


class Refused(ValueError):
    """An endpoint or key the server will not use: a kind, and what it is in English.

    `kind` names the refusal for whoever says it to a person, in their language
    (services.nudges.subscriptions.refusal_words); `values` fill its sentence. str() is the
    English, for logs.
    """

    def __init__(self, kind: str, message: str, **values: object):
        """Keep the refusal's kind, its English sentence and the values it names."""
        super().__init__(message % values if values else message)
        self.kind = kind
        self.values = values


@dataclass(frozen=True)
class DeviceKeys:
    """A subscription's public key (65-byte P-256 point) and auth secret, base64url."""

    p256dh: str
    auth: str


def allowed_entries(entries: Iterable[str] | str | None) -> set[tuple[str, int | None]]:
    """Turn allowed hosts (`host` or `host:port`, a list or comma-separated) into pairs."""
    if isinstance(entries, str):
        entries = entries.split(",")
    pairs: set[tuple[str, int | None]] = set()
    for entry in entries or ():
        entry = entry.strip().lower()
        if not entry:
            continue
        host, port = entry, None
        if re.fullmatch(r".+:\d{1,5}", entry) and not entry.endswith("]"):
            host, _, number = entry.rpartition(":")
            port = int(number)
        pairs.add((host, port))
    return pairs


def known_push_service(host: str) -> str | None:
    """Return the KNOWN_PUSH_SERVICES entry (FCM, Mozilla, Apple, Windows) a host is under."""
    for known in KNOWN_PUSH_SERVICES:
        if known.startswith("."):
            if host.endswith(known) and len(host) > len(known):
                return known
        elif host == known:
            return known
    return None


def check_endpoint(
    url: object, allowed_hosts: Iterable[str] | str | None = (), allow_http: bool = False
) -> str:
    """Return the endpoint if the server may POST to it, else raise Refused."""
    if not isinstance(url, str) or not url:
        raise Refused("not-a-url", "The endpoint must be a URL.")
    if len(url) > ENDPOINT_MAX:
        raise Refused(
            "too-long", "The endpoint is longer than %(limit)s characters.", limit=ENDPOINT_MAX
        )
    if not _URL_CHARACTERS.fullmatch(url) or "\\" in url:
        raise Refused("bad-characters", "The endpoint has characters a URL cannot have.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused("invalid-url", "The endpoint is not a valid URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or (scheme == "http" and not allow_http):
        raise Refused("not-https", "The endpoint must be an https URL.")
    if "@" in parts.netloc:
        raise Refused("credentials", "The endpoint must not carry a user name or password.")
    host = (parts.hostname or "").lower()
    if not host or not _HOST.fullmatch(host if ":" not in host else f"[{host}]"):
        raise Refused("no-host", "The endpoint has no valid host.")
    port = port if port is not None else DEFAULT_PORTS[scheme]
    allowed = allowed_entries(allowed_hosts)
    display = f"[{host}]" if ":" in host else host
    if (display, port) in allowed or (port == DEFAULT_PORTS[scheme] and (display, None) in allowed):
        return url
    if scheme != "https" or port != 443:
        raise Refused("not-port-443", "The endpoint must use https on port 443.")
    if known_push_service(host) is None:
        raise Refused("unknown-service", "The endpoint is not on a known push service.")
    return url


def decode_base64url(value: object) -> bytes | None:
    """Return the bytes a base64url string (padded or not) stands for, or None."""
    if not isinstance(value, str) or not _BASE64URL.fullmatch(value):
        return None
    trimmed = value.rstrip("=")
    try:
        return base64.urlsafe_b64decode(trimmed + "=" * (-len(trimmed) % 4))
    except (binascii.Error, ValueError):
        return None


def encode_base64url(raw: bytes) -> str:
    """Return bytes as unpadded base64url, the form browsers use."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def check_keys(keys: object) -> DeviceKeys:
    """Return a subscription's keys, normalised, or raise Refused."""
    if not isinstance(keys, dict):
        raise Refused("no-keys", "The subscription needs its keys: p256dh and auth.")
    point = decode_base64url(keys.get("p256dh"))
    if point is None or len(point) != 65 or point[0] != 4:
        raise Refused(
            "bad-p256dh", "p256dh must be a 65-byte uncompressed P-256 public key, base64url."
        )
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise Refused("off-curve", "p256dh is not a point on the P-256 curve.") from None
    secret = decode_base64url(keys.get("auth"))
    if secret is None or len(secret) != 16:
        raise Refused("bad-auth", "auth must be a 16-byte secret, base64url.")
    return DeviceKeys(encode_base64url(point), encode_base64url(secret))


@lru_cache(maxsize=4096)
def origin_of(url: str) -> str:
    """Return a URL's origin: scheme, host and a port other than the default."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    host = f"[{host}]" if ":" in host else host
    port = parts.port
    if port is None or port == DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"
