"""The health check, and calm answers when the database is down."""

import flask_migrate

from smallsteps.extensions import db
from tests.conftest import app_on


def test_the_health_check_answers_without_a_session_or_personal_data(app, person):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "migrations": "at head"}
    assert person.email not in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_the_health_check_fails_while_migrations_are_behind(app):
    with app.app_context():
        flask_migrate.downgrade(revision="-1")
    try:
        response = app.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.json["migrations"] == "behind"
    finally:
        # PostgreSQL's test database is shared by the whole run: leave it at head.
        with app.app_context():
            flask_migrate.upgrade()


def test_with_the_database_down_pages_and_the_api_answer_503_calmly(app, person, tmp_path):
    cookie = person.client.get_cookie("session").value
    down = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    with app_on(down["SQLALCHEMY_DATABASE_URI"], tmp_path / "down") as broken:
        client = broken.test_client()
        client.set_cookie("session", cookie)
        page = client.get("/")
        assert page.status_code == 503
        assert "Back in a moment" in page.get_data(as_text=True)
        assert "Nothing you logged is lost" in page.get_data(as_text=True)
        assert int(page.headers["Retry-After"]) > 0
        api = client.get("/api/v1/settings")
        assert api.status_code == 503 and api.json["error"]
        assert client.get("/healthz").json == {
            "status": "unavailable",
            "database": "unreachable",
            "migrations": "unknown",
        }
    with app.app_context():
        db.session.remove()
