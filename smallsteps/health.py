"""A health check for load balancers and monitors: no session, no personal data."""

from pathlib import Path

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

bp = Blueprint("health", __name__)


def migration_heads() -> set[str]:
    """Return the revisions the migration chain ends in, read once per process."""
    heads = current_app.extensions.get("smallsteps.migration_heads")
    if heads is None:
        directory = Path(current_app.extensions["migrate"].directory)
        heads = set(ScriptDirectory(str(directory)).get_heads())
        current_app.extensions["smallsteps.migration_heads"] = heads
    return heads


def database_state() -> tuple[str, str]:
    """Return whether the database answers, and whether its schema is at the chain's head."""
    try:
        with db.engine.connect() as connection:
            current = set(
                connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
            )
    except SQLAlchemyError:
        return "unreachable", "unknown"
    return "ok", "at head" if current == migration_heads() else "behind"


@bp.get("/healthz")
def check():
    """Answer 200 when the app can serve: the database answers and its schema is current."""
    database, migrations = database_state()
    healthy = database == "ok" and migrations == "at head"
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "migrations": migrations,
    }
    return jsonify(body), 200 if healthy else 503
