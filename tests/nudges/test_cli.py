"""`vapid init` and `nudges send-due` from the command line."""

import stat

import pytest

from tests.conftest import Person, app_on


@pytest.fixture
def bare_app(database_url, tmp_path):
    """Return an app with no VAPID key in its config."""
    with app_on(database_url, tmp_path / "instance") as app:
        yield app


def test_vapid_init_creates_a_private_key_only_its_owner_can_read_once(bare_app, tmp_path):
    runner = bare_app.test_cli_runner()
    person = Person(bare_app.test_client(), "river@example.com")
    person.sign_up()
    assert person.api("GET", "/api/v1/push/key").status_code == 503

    first = runner.invoke(args=["vapid", "init"])
    key_file = tmp_path / "instance" / "vapid_private_key.pem"
    created = key_file.read_bytes()
    second = runner.invoke(args=["vapid", "init"])

    assert "Created a VAPID key pair" in first.output
    assert "already in the instance folder" in second.output
    assert "Set VAPID_SUBJECT to a real mailto: or https: address" in first.output
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_bytes() == created
    key = person.api("GET", "/api/v1/push/key").get_json()["key"]
    assert len(key) == 87  # a 65-byte uncompressed P-256 point, base64url


def test_send_due_without_a_key_says_what_to_do(bare_app):
    result = bare_app.test_cli_runner().invoke(args=["nudges", "send-due"])
    assert result.exit_code == 1
    assert "vapid init" in result.output


@pytest.mark.parametrize("value", ["tomorrow", "2026-11-22T20:00:00"])
def test_send_due_wants_an_instant_with_its_offset(bare_app, value):
    bare_app.test_cli_runner().invoke(args=["vapid", "init"])
    result = bare_app.test_cli_runner().invoke(args=["nudges", "send-due", "--at", value])
    assert result.exit_code == 2
    assert "Invalid value for '--at'" in result.output
