"""Fixtures: an app on a freshly migrated database (SQLite, and PostgreSQL where reachable)."""

import contextlib
import os
import re
import shutil
import threading
import uuid
from pathlib import Path

import flask_migrate
import pytest
import time_machine
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from smallsteps import create_app
from smallsteps.extensions import db
from smallsteps.services import accounts

POSTGRES_URL_VARIABLE = "SMALLSTEPS_TEST_POSTGRES_URL"
PASSWORD = "a calm password"
# The instant tests that read "today" set the clock to: a Sunday afternoon in Amsterdam.
FIXED_NOW = "2026-11-22T14:00:00+01:00"


def app_config(database_url: str, instance_path, **overrides) -> dict:
    """Return the settings a test app runs with."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": str(instance_path),
        # People made for tests get a quick hash; tests of signing up itself set the real one.
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
        **overrides,
    }


def migrate_to_head(database_url: str, instance_path) -> None:
    """Build the schema the only way it is built: by running the migrations."""
    app = create_app(app_config(database_url, instance_path))
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """Return a SQLite file migrated once, copied for every test."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite"
    migrate_to_head(f"sqlite:///{path}", folder)
    return path


def skip_unless_ci(reason: str) -> None:
    """Skip a test that needs what this machine lacks; in CI, fail it instead.

    CI must run every test: a run that passed by skipping would prove nothing.
    """
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI runs every test, so install it (see .ci/run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server_url():
    """Return the URL of a PostgreSQL server to test against, or skip."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        skip_unless_ci(f"PostgreSQL tests skipped: {POSTGRES_URL_VARIABLE} is not set")
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure to connect means skip
        skip_unless_ci(f"PostgreSQL tests skipped: no server at {POSTGRES_URL_VARIABLE} ({error})")
    return url


@pytest.fixture(scope="session")
def postgres_database(postgres_server_url, tmp_path_factory):
    """Create an empty database for this run, migrate it, and drop it at the end."""
    name = f"smallsteps_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    migrate_to_head(url, tmp_path_factory.mktemp("pg-instance"))
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def empty_postgres(url: str) -> None:
    """Remove every row a test left behind, keeping the schema."""
    engine = create_engine(url)
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_home(tmp_path_factory):
    """Return the folder of this worker's test database, refilled from the template per test."""
    return tmp_path_factory.mktemp("sqlite-home")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, sqlite_home, shared_apps):
    """Return a migrated, empty database: SQLite always, PostgreSQL where reachable.

    Each test has the database to itself: SQLite's file is copied afresh from the migrated
    template, PostgreSQL's tables are emptied afterwards. The path stays the same, so the
    apps `shared_app` keeps can be used again.
    """
    if request.param == "sqlite":
        path = sqlite_home / "smallsteps.sqlite"
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        shared_apps.let_go()
    else:
        url = request.getfixturevalue("postgres_database")
        yield url
        shared_apps.let_go()
        empty_postgres(url)


@contextlib.contextmanager
def app_on(database_url: str, instance_path, **overrides):
    """Yield an app on a database and let go of its connections afterwards."""
    app = create_app(app_config(database_url, instance_path, **overrides))
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


class SharedApps:
    """Apps kept for a whole run, one per database and settings, as if each were new per test.

    Building an app costs about 70 ms (Werkzeug compiles every route); a test gets a kept
    one with its settings as they were built, an empty instance folder and a fresh database.
    """

    def __init__(self, folder):
        """Keep apps whose instance folders live under `folder`."""
        self.folder = folder
        self.apps: dict[tuple, tuple] = {}
        self.lent: list = []

    def get(self, database_url: str, **overrides):
        """Return the app for this database and these settings, as it was when built."""
        key = (database_url, repr(sorted(overrides.items())))
        if key not in self.apps:
            instance = self.folder / f"instance-{len(self.apps)}"
            app = create_app(app_config(database_url, instance, **overrides))
            self.apps[key] = (app, dict(app.config))
        app, settings = self.apps[key]
        app.config.clear()
        app.config.update(settings)
        instance = Path(app.instance_path)
        shutil.rmtree(instance, ignore_errors=True)
        instance.mkdir(parents=True)
        self.lent.append(app)
        return app

    def let_go(self):
        """Close the connections the apps lent to the test just ended."""
        for app in self.lent:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        self.lent.clear()


@pytest.fixture(scope="session")
def shared_apps(tmp_path_factory):
    """Return this worker's kept apps."""
    return SharedApps(tmp_path_factory.mktemp("shared-apps"))


@pytest.fixture
def app(database_url, shared_apps):
    """Return the app on a fresh database."""
    return shared_apps.get(database_url)


@pytest.fixture
def nudged_app(database_url, shared_apps):
    """Return the app with a VAPID key, so that every endpoint, the nudges' too, can answer."""
    from tests.nudges.nudged_app import vapid_pem

    return shared_apps.get(database_url, VAPID_PRIVATE_KEY=vapid_pem())


@pytest.fixture
def clock():
    """Stop the clock at FIXED_NOW, so "today" is the same day on every run."""
    with time_machine.travel(FIXED_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def client(app):
    """Return a browser-like test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a runner for the app's commands."""
    return app.test_cli_runner()


def csrf_token(client) -> str:
    """Return the CSRF token of the client's session, read from a page like a browser would."""
    page = client.get("/login").get_data(as_text=True)
    if 'name="csrf-token"' not in page:
        page = client.get("/").get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert match, "every page carries a CSRF token"
    return match.group(1)


def race(posts) -> list:
    """Send every (client, url, form) at the same moment, each from its own thread.

    Return the responses in the order given.
    """
    start = threading.Barrier(len(posts))
    responses: list = [None] * len(posts)

    def send(index, client, url, form):
        start.wait()
        responses[index] = client.post(url, data=form)

    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


class Person:
    """One person using the app through their own browser session."""

    def __init__(self, client, email: str, password: str = PASSWORD):
        """Remember who this is."""
        self.client = client
        self.email = email
        self.password = password

    def post(self, url: str, data: dict | None = None, **kwargs):
        """Submit a form, CSRF token included, as the page would."""
        form = {"csrf_token": csrf_token(self.client), **(data or {})}
        return self.client.post(url, data=form, **kwargs)

    def api(self, method: str, url: str, json=None, **kwargs):
        """Call the JSON API with the X-CSRFToken header, as the app's scripts do."""
        headers = {"X-CSRFToken": csrf_token(self.client), **kwargs.pop("headers", {})}
        return self.client.open(url, method=method, json=json, headers=headers, **kwargs)

    def sign_up(self, time_zone: str = "Europe/Amsterdam"):
        """Create the account through the sign-up form."""
        data = {"email": self.email, "password": self.password, "timezone": time_zone}
        return self.post("/signup", data)

    def log_in(self, remember: bool = False):
        """Sign in through the login form."""
        data = {"email": self.email, "password": self.password}
        if remember:
            data["remember"] = "y"
        return self.post("/login", data)

    def log_out(self):
        """Sign out with the button's POST."""
        return self.post("/logout")

    def log_win(self, text: str = "Paused before reacting", **fields):
        """Log a win with the Today form."""
        return self.post("/wins", {"text": text, **fields})


def make_person(app, email: str, time_zone: str = "Europe/Amsterdam") -> Person:
    """Return a person with an account, signed in on a client of their own.

    Made as the sign-up form would make them, without the form: tests of signing up use it.
    """
    with app.app_context():
        token = accounts.create_account(email, PASSWORD, time_zone).session_token
    someone = Person(app.test_client(), email)
    with someone.client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return someone


@pytest.fixture
def person(app):
    """Return a signed-up, signed-in person."""
    return make_person(app, "river@example.com")


@pytest.fixture
def other_person(app):
    """Return a second signed-up person with their own browser."""
    return make_person(app, "sky@example.com")
