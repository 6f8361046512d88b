"""Small Steps: log small wins, break goals down, look back at how far you've come."""

import os
import secrets
import sqlite3
from pathlib import Path

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from werkzeug.middleware.proxy_fix import ProxyFix

from . import assets, config, i18n, models, writers
from .extensions import csrf, db, login_manager, migrate


def create_app(test_config=None):
    """Create and configure the app; `test_config` overrides every other setting."""
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "SMALLSTEPS_INSTANCE_PATH"
    )
    # No static route yet: assets.init_app adds it once the settings name the version.
    app = Flask(
        __name__, static_folder=None, instance_relative_config=True, instance_path=instance_path
    )
    app.config.from_object(config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SMALLSTEPS")
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = config.database_uri(
        app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL"),
        app.instance_path,
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.read_secret_key(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        app.logger.warning(
            "No SECRET_KEY: sessions end when the app restarts. "
            "Run `flask --app wsgi secret init` to keep one in the instance folder."
        )
        app.config["SECRET_KEY"] = secrets.token_hex(32)

    config.check(app.config)
    configure_logging(app)
    if app.config.get("PROXY_FIX_HOPS"):
        # Behind a reverse proxy: trust its X-Forwarded-For/-Proto for client address and https.
        hops = int(app.config["PROXY_FIX_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    assets.init_app(app)

    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_errorhandlers(app)
    return app


def configure_logging(app):
    """Send the app's log lines, its modules' included, to standard error at LOG_LEVEL."""
    level = str(app.config["LOG_LEVEL"]).upper()
    # app.logger is the "smallsteps" logger; Flask gives it a standard-error handler, and
    # every module's logger (smallsteps.…) passes its lines up to it.
    app.logger.setLevel(level)


def register_extensions(app):
    """Bind the extensions to this app."""
    db.init_app(app)
    # Found from the package, so `flask db upgrade` works from any folder.
    migrations = Path(app.root_path).parent / "migrations"
    migrate.init_app(app, db, directory=str(migrations), render_item=models.render_item)
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    if not event.contains(Engine, "connect", _tune_sqlite):
        event.listen(Engine, "connect", _tune_sqlite)
        event.listen(Engine, "begin", _begin_sqlite)
        event.listen(Engine, "commit", _end_sqlite)
        event.listen(Engine, "rollback", _end_sqlite)
        # A connection handed back without its transaction's end seen still ends its turn.
        event.listen(Pool, "checkin", lambda _dbapi, record: writers.end_turn(record.info))

    from . import auth, security

    login_manager.user_loader(auth.load_user)
    login_manager.unauthorized_handler(auth.unauthorized)
    login_manager.login_view = "auth.login"
    # "basic" keeps a phone signed in when it moves between networks.
    login_manager.session_protection = "basic"
    security.init_app(app)


def register_blueprints(app):
    """Attach one blueprint per feature."""
    from . import (
        api,
        auth,
        goals,
        health,
        lookback,
        nudges,
        pwa,
        reflection,
        settings,
        sharing,
        wins,
    )

    features = (health, auth, wins, goals, lookback, reflection, settings, sharing, nudges, pwa)
    for module in (*features, api):
        app.register_blueprint(module.bp)


def register_cli(app):
    """Add the project's commands to `flask`."""
    from . import cli

    cli.init_app(app)


def register_errorhandlers(app):
    """Answer errors as JSON under /api/ and as a calm page elsewhere."""
    from . import errors

    errors.init_app(app)


def _tune_sqlite(dbapi_connection, _record):
    """Turn on WAL, foreign keys, a busy timeout and overwriting of deleted rows for SQLite."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Transactions are begun by _begin_sqlite, so a writer can take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Writers queue for the lock; under an evening rush a turn can take seconds, not minutes.
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
    # A deleted win's words are overwritten, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


# How long a writer waits for its turn before SQLite answers "database is locked".
SQLITE_BUSY_SECONDS = 20
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _begin_sqlite(connection):
    """Begin a SQLite transaction, taking the write lock at once where writes will follow.

    A transaction that reads and only later writes cannot wait for the lock: SQLite
    answers "database is locked" at once if another writer went first. So a request that
    changes something, and work outside requests (the dispatcher, commands), begin with
    BEGIN IMMEDIATE and wait their turn; reading requests begin plainly and never block.
    """
    if connection.dialect.name != "sqlite":
        return
    options = connection.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return
    writes = options.get("writes")
    if writes is None:
        writes = not has_request_context() or request.method not in READING_METHODS
    if writes:
        writers.take_turn(connection, connection.engine.url.database, SQLITE_BUSY_SECONDS)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _end_sqlite(connection):
    """After a SQLite transaction that wrote, give the next writer its turn."""
    writers.end_turn(connection.info)
