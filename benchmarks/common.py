"""What every benchmark shares: the databases it runs on, each made fresh and dropped after."""

import contextlib
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")
POSTGRES_VARIABLES = ("SMALLSTEPS_BENCH_POSTGRES_URL", "SMALLSTEPS_TEST_POSTGRES_URL")


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
