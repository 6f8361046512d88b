"""The server's VAPID key pair and the signed Authorization header push services ask for."""

import os
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid

from .endpoints import encode_base64url, origin_of

KEY_FILE = "vapid_private_key.pem"
# Push services accept tokens that live up to 24 hours; ours live 12 and are renewed
# an hour before they run out, so a send never carries one about to expire.
TOKEN_LIFETIME = 12 * 3600
RENEW_BEFORE = 3600


class NotSetUp(RuntimeError):
    """The server has no VAPID key yet."""


def key_path(folder: str) -> Path:
    """Return where the private key is kept in a folder."""
    return Path(folder) / KEY_FILE


def load(configured: str | None, folder: str) -> Vapid | None:
    """Return the key given as text (PEM or base64url), else the one in `folder`, or None."""
    if configured:
        text = configured.strip()
        if "-----BEGIN" in text:
            return Vapid(serialization.load_pem_private_key(text.encode(), password=None))
        return Vapid.from_string(text)
    path = key_path(folder)
    if path.is_file():
        return Vapid(serialization.load_pem_private_key(path.read_bytes(), password=None))
    return None


def create(folder: str) -> bool:
    """Create the key pair in `folder`, readable by its owner only, if there is none."""
    path = key_path(folder)
    if path.exists():
        return False
    vapid = Vapid()
    vapid.generate_keys()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(vapid.private_pem())
    return True


def public_key(vapid: Vapid) -> str:
    """Return the applicationServerKey browsers subscribe with: the public point, base64url."""
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return encode_base64url(raw)


class HeaderCache:
    """Signed VAPID headers, one per push-service origin, renewed before they expire."""

    def __init__(self, vapid: Vapid, subject: str, clock: Callable[[], float] = time.time):
        """Sign with this key and subject (a mailto: or https: address)."""
        self.vapid = vapid
        self.subject = subject
        self.clock = clock
        self._signed: dict[str, tuple[str, int]] = {}

    def authorization(self, endpoint: str) -> str:
        """Return the Authorization header for a push endpoint's origin."""
        origin = origin_of(endpoint)
        now = self.clock()
        cached = self._signed.get(origin)
        if cached is not None and cached[1] - now > RENEW_BEFORE:
            return cached[0]
        expires = int(now) + TOKEN_LIFETIME
        claims = {"aud": origin, "exp": expires, "sub": self.subject}
        header = self.vapid.sign(claims)["Authorization"]
        self._signed[origin] = (header, expires)
        return header
