"""An app with a VAPID key, so that every endpoint, the nudges' too, can answer."""

from functools import cache

from py_vapid import Vapid

from smallsteps import create_app
from tests.conftest import app_config


@cache
def vapid_pem() -> str:
    """Return a VAPID private key, PEM, made once per run."""
    key = Vapid()
    key.generate_keys()
    return key.private_pem().decode()


def nudged_app(database_url: str, tmp_path):
    """Return the app on this database, with nudges set up."""
    config = app_config(database_url, tmp_path / "instance", VAPID_PRIVATE_KEY=vapid_pem())
    return create_app(config)
