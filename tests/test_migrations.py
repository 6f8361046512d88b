import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from smallsteps.extensions import db
from smallsteps.models import render_item


def schema_drift(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_item": render_item}
        )
        return compare_metadata(context, db.metadata)


def test_the_models_and_the_migrations_do_not_drift_apart(app):
    assert schema_drift(app) == []


def test_the_migrations_go_down_to_empty_and_up_again(app):
    with app.app_context():
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        flask_migrate.upgrade()
        assert {"users", "goals", "steps", "wins"} <= set(inspect(db.engine).get_table_names())
    assert schema_drift(app) == []
