"""Backups of the SQLite database: a consistent copy, rotated, and a restore that is safe.

A live SQLite file in WAL mode cannot be copied as a file: the copy may miss what is still in
the log. `VACUUM INTO` writes a consistent, compact copy while the app keeps serving. A
restore copies a backup back through SQLite's own backup API, and refuses while `make run`
is serving from the file (the launcher holds `serving.lock` in the instance folder).
"""

import fcntl
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import click
import flask_migrate
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from .extensions import db

BACKUP_FOLDER = "backups"
SERVING_LOCK = "serving.lock"
PREFIX = "smallsteps-"
STAMP = "%Y%m%dT%H%M%S%fZ"
DAILY = 24 * 3600


class BackupError(click.ClickException):
    """A backup or restore that cannot go ahead, with what to do instead."""


def sqlite_path() -> Path:
    """Return the app's SQLite file, or say that another database needs its own tools."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database:
        raise BackupError(
            "The database is not SQLite: back PostgreSQL up with pg_dump and restore it with "
            "pg_restore (see the README, 'Backups')."
        )
    return Path(url.database)


def backup_folder() -> Path:
    """Return the folder backups are kept in, inside the instance folder."""
    folder = Path(current_app.instance_path) / BACKUP_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def backups() -> list[Path]:
    """Return the kept backups, oldest first."""
    return sorted(backup_folder().glob(f"{PREFIX}*.sqlite"))


def take_backup(keep: int, now: datetime | None = None) -> Path:
    """Write a consistent copy of the database and keep only the newest `keep` copies."""
    source = sqlite_path()
    stamp = (now or datetime.now(UTC)).strftime(STAMP)
    target = backup_folder() / f"{PREFIX}{stamp}.sqlite"
    with sqlite3.connect(source) as connection:
        connection.execute("VACUUM INTO ?", (str(target),))
    connection.close()
    target.chmod(0o600)
    for old in backups()[:-keep] if keep > 0 else []:
        old.unlink()
    return target


def taken_at(path: Path) -> datetime:
    """Return when a backup was taken, from its name (a copied file keeps its name)."""
    stamp = path.name.removeprefix(PREFIX).removesuffix(".sqlite")
    return datetime.strptime(stamp, STAMP).replace(tzinfo=UTC)


def newest_backup_age(now: datetime | None = None) -> float | None:
    """Return how many seconds ago the newest backup was taken, or None if there is none."""
    kept = backups()
    if not kept:
        return None
    return ((now or datetime.now(UTC)) - taken_at(kept[-1])).total_seconds()


@contextmanager
def serving_lock(instance_path: str, wait: bool = False) -> Iterator[None]:
    """Hold the instance's serving lock: the launcher while serving, a restore while restoring."""
    path = Path(instance_path) / SERVING_LOCK
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise BackupError(
                "Small Steps is serving from this database. Stop it first (Ctrl-C where "
                "`make run` runs), then restore, then start it again."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_backup(path: Path) -> None:
    """Refuse a file that is not a Small Steps database."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            connection.execute("SELECT version_num FROM alembic_version").fetchall()
            connection.execute("SELECT count(*) FROM users").fetchone()
        connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a Small Steps backup ({error}).") from error


def restore_backup(path: Path) -> None:
    """Put a backup back in place of the database, then bring its schema up to date."""
    check_backup(path)
    target = sqlite_path()
    with serving_lock(current_app.instance_path):
        db.session.remove()
        db.engine.dispose()
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source:
            with sqlite3.connect(target) as destination:
                source.backup(destination)
            destination.close()
        source.close()
        flask_migrate.upgrade()


@click.command("backup")
@click.option(
    "--keep", type=click.IntRange(min=1), default=None, help="Copies to keep (BACKUP_KEEP)."
)
@click.option(
    "--daily",
    is_flag=True,
    help="Only if the database is SQLite and the newest backup is a day old (for `make run`).",
)
@with_appcontext
def backup_command(keep: int | None, daily: bool):
    """Write a consistent copy of the SQLite database into the instance folder's backups/."""
    if daily:
        url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
        age = newest_backup_age() if url.get_backend_name() == "sqlite" else 0.0
        if url.get_backend_name() != "sqlite" or (age is not None and age < DAILY - 3600):
            return
    target = take_backup(keep or current_app.config["BACKUP_KEEP"])
    click.echo(f"Backed up to {target}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(path: Path):
    """Put a backup back in place of the SQLite database (the app must not be serving)."""
    restore_backup(path)
    click.echo(f"Restored from {path}")


def init_app(app):
    """Register the commands."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
