from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from smallsteps.extensions import db
from smallsteps.models import LoginFailure, User
from tests.conftest import Person


def rows_of(app, user_id: int) -> dict[str, int]:
    """Count, in every table that has a user_id column, the rows of one person."""
    counts = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if "user_id" in table.c:
                query = select(func.count()).select_from(table).where(table.c.user_id == user_id)
                counts[table.name] = db.session.scalar(query)
    return counts


def user_id_of(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def test_deleting_the_account_removes_every_row_of_theirs_and_signs_out(app, person, other_person):
    person.log_win("Mine")
    person.post("/goals", {"title": "My goal"})
    other_person.log_win("Theirs")
    user_id = user_id_of(app, person.email)
    assert sum(rows_of(app, user_id).values()) >= 2

    response = person.post("/settings/delete", {"password": person.password})
    assert response.status_code == 302
    assert user_id_of(app, person.email) is None
    assert set(rows_of(app, user_id).values()) == {0}
    assert person.client.get("/").status_code == 302
    assert person.log_in().status_code == 400
    # The other person keeps everything.
    assert "Theirs" in other_person.client.get("/").get_data(as_text=True)


def test_deleting_the_account_needs_the_password(app, person):
    response = person.post("/settings/delete", {"password": "not it"})
    assert response.status_code == 400
    assert "isn&#39;t your current password" in response.get_data(as_text=True)
    assert user_id_of(app, person.email) is not None


def test_a_remembered_device_is_signed_out_when_the_password_changes(app, person):
    phone = Person(app.test_client(), person.email)
    phone.log_in(remember=True)
    assert phone.client.get("/").status_code == 200

    response = person.post(
        "/settings/password",
        {"current_password": person.password, "new_password": "a new calm password"},
    )
    assert response.status_code == 302
    assert person.client.get("/").status_code == 200  # this device stays signed in
    assert phone.client.get("/").status_code == 302
    renewed = Person(app.test_client(), person.email, "a new calm password")
    assert renewed.log_in().status_code == 302
    assert phone.log_in().status_code == 400


def test_the_password_is_not_changed_without_the_current_one(app, person):
    response = person.post(
        "/settings/password", {"current_password": "nope", "new_password": "something new"}
    )
    assert response.status_code == 400
    assert person.log_out() and person.log_in().status_code == 302


def test_signing_out_ends_remember_me_sessions_on_every_device(app, person):
    phone = Person(app.test_client(), person.email)
    phone.log_in(remember=True)
    remembered = phone.client.get_cookie("remember_token").value

    person.log_out()
    assert phone.client.get("/").status_code == 302
    stolen = app.test_client()
    stolen.set_cookie("remember_token", remembered)
    assert stolen.get("/").status_code == 302


def test_a_phone_that_changes_network_stays_signed_in(app):
    phone = Person(app.test_client(), "moving@example.com")
    phone.sign_up()
    on_wifi = phone.client.get("/", environ_overrides={"REMOTE_ADDR": "192.0.2.10"})
    on_mobile = phone.client.get("/", environ_overrides={"REMOTE_ADDR": "198.51.100.7"})
    assert on_wifi.status_code == 200 and on_mobile.status_code == 200
    assert 'id="log-form"' in on_mobile.get_data(as_text=True)


def test_a_deleted_persons_cookies_open_nothing_when_their_id_comes_back(app, person):
    phone = Person(app.test_client(), person.email)
    phone.log_in(remember=True)
    phone.log_win("Only mine")
    remembered = phone.client.get_cookie("remember_token").value
    old_id = user_id_of(app, person.email)
    assert person.post("/settings/delete", {"password": person.password}).status_code == 302

    stranger = Person(app.test_client(), "stranger@example.com")
    assert stranger.sign_up().status_code == 302
    new_id = user_id_of(app, stranger.email)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert new_id != old_id  # SQLite never hands the id out again
    with app.app_context():
        # Even if the id came back (an old backup, a hand-made row), no cookie opens it.
        db.session.get(User, new_id).id = old_id
        db.session.commit()
    stranger.log_win("A stranger's private words")

    for client in (phone.client, fresh_client_with(app, "remember_token", remembered)):
        response = client.get("/")
        assert response.status_code == 302
        assert client.get("/api/v1/settings").status_code == 401
    assert "A stranger&#39;s private words" in stranger.client.get("/").get_data(as_text=True)


def fresh_client_with(app, name: str, value: str):
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def test_signing_out_ends_the_session_a_copied_cookie_would_keep(app, person):
    copied = fresh_client_with(app, "session", person.client.get_cookie("session").value)
    assert copied.get("/").status_code == 200
    person.log_out()
    assert copied.get("/").status_code == 302


def test_failed_sign_ins_are_forgotten_with_the_account(app, person, other_person):
    for someone in (person, other_person):
        Person(app.test_client(), someone.email, password="not it").log_in()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 6
    person.post("/settings/delete", {"password": person.password})
    with app.app_context():
        # The other person's, and the address's, stay; none of the deleted person's do.
        assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 4


def test_deleted_words_do_not_linger_in_the_sqlite_files(app, person):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return  # PostgreSQL's files are the server's; the rows are gone (test above)
    secret = "I told my sister about the relapse"
    person.log_win(secret)
    person.post("/goals", {"title": "Stay sober", "why": secret})
    assert person.post("/settings/delete", {"password": person.password}).status_code == 302
    with app.app_context():
        db.session.remove()
    files = [path for path in Path(url.database).parent.glob(Path(url.database).name + "*")]
    assert files
    for path in files:
        assert secret.encode() not in path.read_bytes(), path.name
