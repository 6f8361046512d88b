"""Who can sign up: anyone, by invitation (a link that works once), or nobody; and `flask users`."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from smallsteps import create_app
from smallsteps.extensions import db
from smallsteps.models import Invitation, User
from tests.conftest import Person, app_config, app_on, csrf_token, make_person, race

BASE_URL = "https://steps.example.org"
BY_INVITATION = "Sign-up here is by invitation"
ASK = "Ask the person who runs Small Steps here for a link."
NOT_TAKING = "not taking new accounts"
SPENT = "This invitation has expired or was already used"


@pytest.fixture
def invite_app(database_url, tmp_path):
    """Return the app with sign-up by invitation only."""
    with app_on(database_url, tmp_path / "i", SIGNUPS="invite", BASE_URL=BASE_URL) as app:
        yield app


@pytest.fixture
def closed_app(database_url, tmp_path):
    """Return the app with sign-up closed."""
    with app_on(database_url, tmp_path / "c", SIGNUPS="closed", BASE_URL=BASE_URL) as app:
        yield app


def accounts_in(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def users(app, *args: str, **kwargs):
    """Run a `flask users` command and return its result."""
    return app.test_cli_runner().invoke(args=["users", *args], **kwargs)


def invitation(app, *args: str) -> str:
    """Make an invitation with `flask users invite` and return the path of its link."""
    result = users(app, "invite", *args)
    assert result.exit_code == 0, result.output
    link = result.stdout.splitlines()[0]
    assert link.startswith(BASE_URL + "/signup?invite=")
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def sign_up_with(app, path: str, email: str):
    """Open an invitation link and fill in the sign-up form it shows, as a browser would."""
    client = app.test_client()
    page = client.get(path)
    if page.status_code != 200:
        return page
    token = re.search(r'name="invite"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert token, "the form carries the invitation"
    data = {
        "csrf_token": csrf_token(client),
        "email": email,
        "password": "a calm password",
        "timezone": "Europe/Amsterdam",
        "invite": token.group(1),
    }
    return client.post("/signup", data=data)


def test_a_closed_server_refuses_sign_up_kindly_and_makes_no_account(closed_app):
    someone = Person(closed_app.test_client(), "new@example.com")
    page = someone.client.get("/signup")
    assert page.status_code == 403
    assert NOT_TAKING in page.get_data(as_text=True)
    answer = someone.sign_up()
    assert answer.status_code == 403
    assert NOT_TAKING in answer.get_data(as_text=True)
    assert accounts_in(closed_app) == 0
    assert "Create an account" not in someone.client.get("/login").get_data(as_text=True)


def test_by_invitation_sign_up_without_a_working_link_is_refused(invite_app):
    someone = Person(invite_app.test_client(), "new@example.com")
    page = someone.client.get("/signup")
    assert page.status_code == 403
    assert BY_INVITATION in page.get_data(as_text=True)
    assert ASK in page.get_data(as_text=True)
    assert someone.sign_up().status_code == 403
    made_up = someone.post("/signup?invite=made-up", {"email": someone.email, "password": "x"})
    assert made_up.status_code == 403
    assert someone.client.get("/signup?invite=made-up").status_code == 403
    assert accounts_in(invite_app) == 0


@pytest.mark.parametrize("mode", ["invite", "closed"])
def test_an_invitation_link_signs_one_person_up_and_then_never_again(database_url, tmp_path, mode):
    with app_on(database_url, tmp_path / mode, SIGNUPS=mode, BASE_URL=BASE_URL) as app:
        path = invitation(app)
        welcome = sign_up_with(app, path, "new@example.com")
        assert welcome.status_code == 302 and welcome.headers["Location"] == "/"

        for again in (sign_up_with(app, path, "second@example.com"), app.test_client().get(path)):
            assert again.status_code == 403
            assert SPENT in again.get_data(as_text=True)
        # Posting the spent invitation straight away is refused as well.
        late = Person(app.test_client(), "third@example.com")
        token = path.split("invite=", 1)[1]
        assert late.post("/signup", {"email": late.email, "invite": token}).status_code == 403
        assert accounts_in(app) == 1
        with app.app_context():
            used = db.session.scalars(select(Invitation)).one()
            owner = db.session.scalar(select(User.id).where(User.email == "new@example.com"))
            assert used.used_by_user_id == owner and used.used_at is not None
            assert token not in used.token_hash


def test_an_invitation_past_its_days_is_refused(invite_app, clock):
    path = invitation(invite_app, "--days", "2")
    clock.shift(timedelta(days=2, seconds=1))
    late = invite_app.test_client().get(path)
    assert late.status_code == 403
    assert SPENT in late.get_data(as_text=True)
    someone = Person(invite_app.test_client(), "late@example.com")
    token = path.split("invite=", 1)[1]
    assert someone.post("/signup", {"email": someone.email, "invite": token}).status_code == 403
    assert accounts_in(invite_app) == 0


def test_two_people_racing_with_one_invitation_make_one_account(invite_app):
    path = invitation(invite_app)
    token = path.split("invite=", 1)[1]
    people = [Person(invite_app.test_client(), f"racer{n}@example.com") for n in range(6)]
    forms = [
        {
            "csrf_token": csrf_token(someone.client),
            "email": someone.email,
            "password": "a calm password",
            "invite": token,
        }
        for someone in people
    ]
    posts = [(someone.client, "/signup", form) for someone, form in zip(people, forms, strict=True)]
    statuses = [response.status_code for response in race(posts)]
    assert sorted(statuses) == [302] + [403] * 5
    assert accounts_in(invite_app) == 1


def test_an_invitation_without_base_url_points_at_this_machine_and_says_so(app):
    result = users(app, "invite")
    assert result.exit_code == 0
    assert result.stdout.startswith("http://127.0.0.1:5000/signup?invite=")
    assert "BASE_URL is not set" in result.stderr
    assert "anyone can sign up here" in result.stderr


def test_the_users_list_shows_each_email_the_day_they_joined_and_their_wins(app, clock):
    river = make_person(app, "river@example.com")
    make_person(app, "sky@example.com")
    river.log_win("Paused before reacting")
    river.log_win("Asked for help today")
    result = users(app, "list")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "river@example.com\t2026-11-22\t2 wins",
        "sky@example.com\t2026-11-22\t0 wins",
    ]


def test_removing_a_person_asks_first_and_then_deletes_everything(app):
    river = make_person(app, "river@example.com")
    river.log_win()
    kept = users(app, "remove", "river@example.com", input="n\n")
    assert kept.exit_code == 1
    assert accounts_in(app) == 1
    assert river.client.get("/").status_code == 200

    gone = users(app, "remove", "River@Example.com", input="y\n")
    assert gone.exit_code == 0, gone.output
    assert "Deleted river@example.com" in gone.stdout
    assert accounts_in(app) == 0
    assert river.client.get("/").status_code == 302


def test_removing_with_yes_does_not_ask_and_an_unknown_email_is_named(app):
    make_person(app, "river@example.com")
    make_person(app, "sky@example.com")
    assert users(app, "remove", "--yes", "sky@example.com").exit_code == 0
    with app.app_context():
        assert db.session.scalars(select(User.email)).all() == ["river@example.com"]
    unknown = users(app, "remove", "--yes", "nobody@example.com")
    assert unknown.exit_code == 1
    assert "There is no account for nobody@example.com." in unknown.output


@pytest.mark.parametrize("value", ["sometimes", "", None])
def test_a_signups_setting_that_cannot_work_stops_the_app(tmp_path, value):
    with pytest.raises(ValueError, match="SIGNUPS must be one of closed, invite, open"):
        create_app(app_config(f"sqlite:///{tmp_path}/a.sqlite", tmp_path, SIGNUPS=value))


def test_leaving_a_closed_server_lands_on_sign_in_not_a_refused_sign_up(closed_app):
    leaving = make_person(closed_app, "leaving@example.com")
    response = leaving.post("/settings/delete", {"password": leaving.password})
    assert response.status_code == 302 and response.location == "/login"
    assert "Take good care" in leaving.client.get("/login").get_data(as_text=True)
