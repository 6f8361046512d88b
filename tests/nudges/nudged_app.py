"""A VAPID key for tests, made once per run."""

from functools import cache

from py_vapid import Vapid


@cache
def vapid_pem() -> str:
    """Return a VAPID private key, PEM, made once per run."""
    key = Vapid()
    key.generate_keys()
    return key.private_pem().decode()
