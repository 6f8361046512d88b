"""SQLite under many writers: a request that writes waits its turn, and never fails as locked."""

import sqlite3

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from smallsteps.extensions import db
from smallsteps.models import User


@pytest.fixture
def sqlite_path(app, person):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        pytest.skip("SQLite's own locking")
    return url.database


def other_writer(path: str) -> sqlite3.Connection:
    """Return a second connection that gives up at once rather than wait for the lock."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=0)
    connection.execute("PRAGMA busy_timeout=0")
    return connection


def test_a_writing_request_holds_the_lock_from_its_first_read(app, sqlite_path):
    other = other_writer(sqlite_path)
    with app.test_request_context("/api/v1/sync", method="POST"):
        user = db.session.scalar(select(User))  # the first read, as when the cookie is read
        # Another writer now has to wait its turn instead of slipping in between ...
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("UPDATE users SET display_name = 'someone else'")
        # ... so this request's write, after its read, always goes through.
        user.display_name = "Sam"
        db.session.commit()
    other.execute("UPDATE users SET grace = 2")
    with app.app_context():
        assert db.session.scalar(select(User.display_name)) == "Sam"
    other.close()


def test_a_reading_request_never_blocks_a_writer(app, sqlite_path):
    other = other_writer(sqlite_path)
    with app.test_request_context("/", method="GET"):
        assert db.session.scalar(select(User)) is not None
        other.execute("UPDATE users SET display_name = 'written meanwhile'")
        db.session.rollback()
    other.close()


def test_a_summary_kept_after_another_write_never_fails_as_locked(app, person, sqlite_path):
    person.log_win("A first win")
    other = other_writer(sqlite_path)
    with app.test_request_context("/api/v1/summary", method="GET"):
        from smallsteps.models import SummaryCache
        from smallsteps.services.lookback.kept import keep

        user = db.session.scalar(select(User))
        row = db.session.get(SummaryCache, user.id)
        # Someone else writes after this request's read began.
        other.execute("UPDATE users SET grace = 2")
        keep(SummaryCache, row, user.id, "a key", {"kept": True})
        assert db.session.get(SummaryCache, user.id).cache_key == "a key"
    other.close()
