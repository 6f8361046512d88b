"""Fixtures for nudges: a local push service, an app allowed to reach it, and a VAPID key."""

import pytest

from smallsteps.webpush import vapid
from tests.nudges import nudged_app
from tests.nudges.push_service import PushService


@pytest.fixture(scope="session")
def vapid_pem() -> str:
    """Return a VAPID private key, PEM, made once per run."""
    return nudged_app.vapid_pem()


@pytest.fixture(scope="session")
def application_server_key(vapid_pem) -> str:
    """Return the public key browsers subscribe with."""
    return vapid.public_key(vapid.load(vapid_pem, "."))


@pytest.fixture
def push_service():
    """Run a push service on a loopback port for one test."""
    service = PushService()
    yield service
    service.stop()


@pytest.fixture
def app(database_url, shared_apps, push_service, vapid_pem):
    """Return the app on a fresh database, allowed to push to the local service only."""
    app = shared_apps.get(
        database_url,
        VAPID_PRIVATE_KEY=vapid_pem,
        VAPID_SUBJECT="mailto:nudges@example.com",
        PUSH_ALLOW_HTTP=True,
        NUDGE_RETRY_BACKOFF=0.05,
        # In-process tests encrypt inline; the process tests run the encryption pool.
        NUDGE_ENCRYPT_PROCESSES=0,
    )
    # Each test's push service listens on a port of its own.
    app.config["PUSH_ALLOWED_HOSTS"] = [push_service.host]
    return app
