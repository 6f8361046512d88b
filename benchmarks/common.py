"""What every benchmark shares: the databases it runs on, each made fresh and dropped after."""

import argparse
import contextlib
import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import flask_migrate
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")
POSTGRES_VARIABLES = ("SMALLSTEPS_BENCH_POSTGRES_URL", "SMALLSTEPS_TEST_POSTGRES_URL")


def win_change(
    occurred_at: str,
    updated_at: str,
    win_id: str | None = None,
    text: str = "Paused before reacting",
    energy: str | None = None,
) -> dict:
    """Return a new win as a phone's sync sends it."""
    data = {"text": text, "occurred_at": occurred_at, "step_id": None, "energy": energy, "note": ""}
    return {
        "type": "win",
        "id": win_id or str(uuid.uuid4()),
        "updated_at": updated_at,
        "deleted": False,
        "data": data,
    }


def migrated_app(database_url: str, instance: Path):
    """Return the app on a database with every migration applied, CSRF checks off."""
    from smallsteps import create_app  # the benchmarks put the project on the path first

    app = create_app(
        {
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(instance),
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
    return app


def postgres_server() -> str | None:
    """Return the PostgreSQL server URL to benchmark against, if one is configured."""
    return next((os.environ[name] for name in POSTGRES_VARIABLES if os.environ.get(name)), None)


@contextlib.contextmanager
def fresh_postgres(server: str) -> Iterator[str]:
    """Create an empty database on the server, yield its URL, and drop it afterwards."""
    name = f"smallsteps_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def databases(folder: Path) -> Iterator[list[tuple[str, str]]]:
    """Yield (label, URL) for SQLite in `folder` and, where configured, a fresh PostgreSQL."""
    with contextlib.ExitStack() as stack:
        found = [("SQLite", f"sqlite:///{folder / 'bench.sqlite'}")]
        server = postgres_server()
        if server:
            found.append(("PostgreSQL", stack.enter_context(fresh_postgres(server))))
        else:
            print("PostgreSQL skipped: set SMALLSTEPS_BENCH_POSTGRES_URL", file=sys.stderr)
        yield found


def run_benchmark(
    description: str,
    default_rounds: int,
    rows_for: Callable[[str, str, Path, int], list[str]],
    heading: str,
    columns: list[str],
) -> None:
    """Parse ``--rounds``, run on SQLite and, where configured, PostgreSQL; print a table.

    ``rows_for(label, url, folder, rounds)`` measures one database and returns its table
    rows; ``heading`` may name ``{rounds}``.
    """
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=default_rounds)
    rounds = parser.parse_args().rounds
    rows = []
    with tempfile.TemporaryDirectory() as folder, databases(Path(folder)) as found:
        for label, url in found:
            print(f"{label} …", file=sys.stderr)
            rows += rows_for(label, url, Path(folder), rounds)
    print(f"\n{heading.format(rounds=rounds)}\n")
    print("| " + " | ".join(columns) + " |")
    print("|" + " --- |" * len(columns))
    print("\n".join(rows))
