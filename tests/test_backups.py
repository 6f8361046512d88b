"""Backups: a consistent copy of SQLite, rotated, restored exactly; PostgreSQL with pg_dump."""

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from smallsteps.backups import serving_lock
from smallsteps.extensions import db
from tests.conftest import empty_postgres
from tests.test_your_data import a_life, export


def everything_of(person) -> dict:
    body = export(person)
    body.pop("exported_at")
    return body


@pytest.fixture
def on_sqlite(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's own backups; PostgreSQL's are tested with pg_dump below")


def test_backup_wipe_and_restore_give_back_every_record_exactly(app, on_sqlite, person):
    a_life(person)
    before = everything_of(person)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    backup = result.output.split("Backed up to ", 1)[1].strip()

    # The accident: the account is deleted.
    assert person.post("/settings/delete", {"password": person.password}).status_code == 302
    result = runner.invoke(args=["restore", backup])
    assert result.exit_code == 0, result.output

    assert person.log_in().status_code == 302
    assert everything_of(person) == before


def test_only_the_newest_backups_are_kept(app, on_sqlite, person):
    runner = app.test_cli_runner()
    made = [runner.invoke(args=["backup", "--keep", "2"]).output.split()[-1] for _ in range(3)]
    kept = sorted(path.name for path in (Path(app.instance_path) / "backups").iterdir())
    assert kept == sorted(name.rsplit("/", 1)[-1] for name in made[1:])


def test_a_restore_waits_until_the_app_stops_serving(app, on_sqlite, person):
    runner = app.test_cli_runner()
    backup = runner.invoke(args=["backup"]).output.split()[-1]
    with serving_lock(app.instance_path):
        result = runner.invoke(args=["restore", backup])
    assert result.exit_code != 0
    assert "Stop it first" in result.output


def test_a_file_that_is_not_a_backup_is_refused(app, on_sqlite, tmp_path):
    stray = tmp_path / "notes.sqlite"
    stray.write_text("not a database")
    result = app.test_cli_runner().invoke(args=["restore", str(stray)])
    assert result.exit_code != 0 and "is not a Small Steps backup" in result.output


def test_the_daily_backup_is_taken_once_a_day(app, on_sqlite):
    runner = app.test_cli_runner()
    assert "Backed up to" in runner.invoke(args=["backup", "--daily"]).output
    assert runner.invoke(args=["backup", "--daily"]).output == ""


def test_postgresql_is_backed_up_and_restored_with_pg_dump(app, person, tmp_path):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        pytest.skip("pg_dump is PostgreSQL's")
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code != 0 and "pg_dump" in result.output

    a_life(person)
    before = everything_of(person)
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    dump = tmp_path / "smallsteps.dump"
    subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), libpq], check=True)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    empty_postgres(str(app.config["SQLALCHEMY_DATABASE_URI"]))
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--dbname", libpq, str(dump)],
        check=True,
    )
    assert person.log_in().status_code == 302
    assert everything_of(person) == before
