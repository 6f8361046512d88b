from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from smallsteps.config import Defaults
from smallsteps.extensions import db
from smallsteps.models import User
from tests.conftest import Person, app_on, csrf_token, race


def page(response) -> str:
    return response.get_data(as_text=True)


def test_sign_up_log_out_and_log_in_again_lands_on_today(app):
    river = Person(app.test_client(), "River@Example.com")
    response = river.sign_up(time_zone="America/New_York")
    assert response.status_code == 302 and response.location == "/"
    assert 'id="log-form"' in page(river.client.get("/"))

    river.log_out()
    assert river.client.get("/").status_code == 302

    response = river.log_in()
    assert response.status_code == 302
    assert 'id="log-form"' in page(river.client.get("/"))
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "river@example.com"
        assert user.timezone == "America/New_York"


def test_an_email_is_one_account_whatever_its_case(app, person):
    again = Person(app.test_client(), person.email.upper())
    response = again.sign_up()
    assert response.status_code == 400
    assert "already an account for this email" in page(response)
    assert again.log_in().status_code == 302


def test_a_wrong_password_and_an_unknown_email_get_the_same_message(app, person):
    stranger = Person(app.test_client(), person.email, password="not my password")
    wrong_password = page(stranger.log_in())
    unknown = page(Person(app.test_client(), "nobody@example.com").log_in())
    message = "That email and password don&#39;t match. Try again?"
    assert message in wrong_password and message in unknown
    assert stranger.client.get("/").status_code == 302


def test_a_short_password_is_refused_and_the_email_is_kept(app):
    someone = Person(app.test_client(), "kept@example.com", password="short")
    response = someone.sign_up()
    assert response.status_code == 400
    assert "Use at least 8 characters." in page(response)
    assert 'value="kept@example.com"' in page(response)
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_an_unknown_time_zone_falls_back_to_utc(app):
    Person(app.test_client(), "tz@example.com").sign_up(time_zone="Mars/Olympus_Mons")
    with app.app_context():
        assert db.session.scalar(select(User.timezone)) == "UTC"


def test_remember_me_keeps_a_phone_signed_in_for_months(app, person):
    person.log_out()
    person.log_in(remember=True)
    cookie = person.client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only
    assert cookie.expires > datetime.now(UTC) + timedelta(days=150)

    # A new browser session with only the remember cookie is still signed in.
    fresh = app.test_client()
    fresh.set_cookie("remember_token", cookie.value)
    assert 'id="log-form"' in page(fresh.get("/"))


def test_without_remember_me_there_is_no_long_lived_cookie(person):
    person.log_out()
    person.log_in(remember=False)
    assert person.client.get_cookie("remember_token") is None


def test_passwords_are_stored_with_a_memory_hard_hash(database_url, tmp_path):
    # The app's own setting, not the quick one tests make people with.
    strong = Defaults.PASSWORD_HASH_PROFILE
    with app_on(database_url, tmp_path / "instance", PASSWORD_HASH_PROFILE=strong) as app:
        river = Person(app.test_client(), "river@example.com")
        assert river.sign_up().status_code == 302
        with app.app_context():
            stored = db.session.scalar(select(User.password_hash))
        assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert river.password not in stored
        river.log_out()
        assert river.log_in().status_code == 302


def test_an_older_hash_is_upgraded_when_the_person_signs_in(app, person):
    with app.app_context():
        user = db.session.scalar(select(User))
        user.password_hash = generate_password_hash(person.password, method="scrypt")
        db.session.commit()
    person.log_out()
    assert person.log_in().status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.password_hash)).startswith("$argon2id$")
    person.log_out()
    assert person.log_in().status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("river@example.com", "can&#39;t be your email"),
        ("RIVER@example.com", "can&#39;t be your email"),
        ("password123", "one of the most common ones"),
        ("iloveyou", "one of the most common ones"),
    ],
)
def test_the_email_itself_and_common_passwords_are_refused_kindly(app, password, message):
    someone = Person(app.test_client(), "river@example.com", password=password)
    response = someone.sign_up()
    assert response.status_code == 400
    assert message in page(response)
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_a_new_password_cannot_be_a_common_one_either(person):
    data = {"current_password": person.password, "new_password": "sunshine"}
    response = person.post("/settings/password", data)
    assert response.status_code == 400
    assert "one of the most common ones" in page(response)


def test_logging_in_only_follows_a_next_page_on_this_site(app, person):
    person.log_out()
    data = {"email": person.email, "password": person.password}
    response = person.post("/login?next=https://evil.example/", data)
    assert response.location == "/"
    person.log_out()
    response = person.post("/login?next=/goals", data)
    assert response.location == "/goals"


def test_logout_is_a_post_with_a_csrf_token(person):
    assert person.client.get("/logout").status_code == 405
    assert person.client.post("/logout").status_code == 400
    assert person.client.get("/").status_code == 200


def test_racing_sign_ups_with_one_email_make_one_account_and_no_error(app):
    people = [Person(app.test_client(), "same@example.com") for _ in range(8)]
    forms = [
        {
            "csrf_token": csrf_token(someone.client),
            "email": "same@example.com",
            "password": "a calm password",
            "timezone": "Europe/Amsterdam",
        }
        for someone in people
    ]
    responses = race(
        [(someone.client, "/signup", form) for someone, form in zip(people, forms, strict=True)]
    )
    assert sorted(response.status_code for response in responses) == [302] + [400] * 7
    refused = [page(response) for response in responses if response.status_code == 400]
    assert all("already an account for this email" in text for text in refused)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
