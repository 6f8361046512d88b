"""A forgotten password: a link by mail (a real SMTP server) or from the owner, good once."""

import email
import email.policy
import logging
import re
import socket
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from smallsteps import create_app
from tests.conftest import PASSWORD, Person, app_config, app_on, csrf_token, make_person

BASE_URL = "https://steps.example.org"
NEW_PASSWORD = "a brand new calm password"
SENT = "If there's an account for that email, a link is on its way. It works for an hour."
SPENT = "This link has expired or was already used"
LINK = re.compile(re.escape(BASE_URL) + r"/reset/\S+")


class Mailbox:
    """An SMTP handler that keeps every message it is given."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.changed:
            self.messages.append((list(envelope.rcpt_tos), message))
            self.changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10) -> list:
        """Return the messages once `count` have arrived; fail if they don't in time."""
        with self.changed:
            arrived = self.changed.wait_for(lambda: len(self.messages) >= count, timeout)
            assert arrived, f"{count} mail(s) expected, {len(self.messages)} arrived"
            return list(self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox():
    """Run a real SMTP server on this machine for the test, and stop it afterwards."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def mail_app(database_url, tmp_path, mailbox):
    """Return the app, sending mail through the test's SMTP server."""
    settings = {
        "BASE_URL": BASE_URL,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mailbox.port,
        "MAIL_SECURITY": "none",
        "MAIL_FROM": "Small Steps <steps@example.org>",
    }
    with app_on(database_url, tmp_path / "mail", **settings) as app:
        yield app


def answered(response):
    """Read the whole answer and close it, as a server does once it has sent it."""
    response.get_data()
    response.close()
    return response


def ask_for_a_link(client, address: str, **kwargs):
    """Fill in the "Forgot your password?" form."""
    form = {"csrf_token": csrf_token(client), "email": address}
    return answered(client.post("/forgot", data=form, **kwargs))


def link_in(message) -> str:
    """Return the reset link a mail carries."""
    found = LINK.search(message.get_content())
    assert found, message.get_content()
    return found.group(0)


def path_of(link: str) -> str:
    """Return a link's path and query, to open it on the test client."""
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def set_password(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"csrf_token": csrf_token(client), "password": password})


def test_a_forgotten_password_comes_back_by_mail_and_the_link_works_once(mail_app, mailbox):
    river = make_person(mail_app, "river@example.com")
    stranger = mail_app.test_client()
    sign_in = stranger.get("/login").get_data(as_text=True)
    assert 'href="/forgot"' in sign_in and "Forgot your password?" in sign_in

    answer = ask_for_a_link(stranger, "  River@Example.com ")
    assert answer.status_code == 200
    assert SENT in answer.get_data(as_text=True)

    [(recipients, message)] = mailbox.wait_for(1)
    assert recipients == ["river@example.com"]
    assert message["To"] == "river@example.com"
    assert message["Subject"] == "Your Small Steps sign-in link"
    link = link_in(message)
    assert "It works once, for an hour." in message.get_content()

    path = path_of(link)
    form = stranger.get(path)
    assert form.status_code == 200
    assert "Choose a new password" in form.get_data(as_text=True)
    done = set_password(stranger, path)
    assert done.status_code == 302 and done.headers["Location"] == "/"
    today = stranger.get("/").get_data(as_text=True)
    assert "Your new password is set. Welcome back." in today

    # The link is spent, whoever holds it.
    for client in (stranger, mail_app.test_client()):
        assert client.get(path).status_code == 410
        again = set_password(client, path, "yet another calm password")
        assert again.status_code == 410
        assert SPENT in again.get_data(as_text=True)
    # The old password and the devices signed in with it are done with; the new one works.
    assert river.client.get("/").status_code == 302
    assert river.log_in().status_code == 400
    assert Person(mail_app.test_client(), river.email, NEW_PASSWORD).log_in().status_code == 302


def test_the_mailed_link_follows_base_url_not_the_host_a_request_names(mail_app, mailbox):
    make_person(mail_app, "river@example.com")
    client = mail_app.test_client()
    evil = {"Host": "steps.attacker.example"}
    page = client.get("/forgot", headers=evil).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "email": "river@example.com"}
    answer = answered(client.post("/forgot", data=form, headers=evil))
    assert answer.status_code == 200
    [(_, message)] = mailbox.wait_for(1)
    assert link_in(message).startswith(BASE_URL + "/reset/")
    assert "attacker" not in message.get_content()


def without_token(response) -> str:
    """Return a page with its CSRF tokens blanked."""
    return re.sub(
        r'(csrf[-_]token"? (?:content|value)=")[^"]*', r"\1", response.get_data(as_text=True)
    )


def test_an_unknown_email_gets_the_same_answer_and_no_mail(mail_app, mailbox):
    make_person(mail_app, "river@example.com")
    client = mail_app.test_client()
    unknown = ask_for_a_link(client, "nobody@example.com")
    known = ask_for_a_link(client, "river@example.com")
    assert unknown.status_code == known.status_code == 200
    # Alike but for the CSRF token, which carries the second it was made in.
    assert without_token(unknown) == without_token(known)
    # The known email's mail arrives; nothing was ever sent for the unknown one.
    mailbox.wait_for(1)
    assert [recipients for recipients, _ in mailbox.messages] == [["river@example.com"]]


def test_asking_again_and_again_is_slowed_down_calmly_and_sign_in_is_not(mail_app, mailbox):
    river = make_person(mail_app, "river@example.com")
    client = mail_app.test_client()
    answers = [ask_for_a_link(client, "river@example.com") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert "Take a breather and try again" in answers[-1].get_data(as_text=True)
    assert int(answers[-1].headers["Retry-After"]) > 0
    mailbox.wait_for(3)
    # Reset requests are counted apart from sign-in failures.
    river.log_out()
    assert river.log_in().status_code == 302
    wrong = Person(mail_app.test_client(), "sky@example.com", "a wrong password")
    for _ in range(6):
        wrong.log_in()
    assert ask_for_a_link(mail_app.test_client(), "sky@example.com").status_code == 200


class Caught(logging.Handler):
    """A log handler that keeps what it is given and says when something came."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self.came = threading.Event()

    def emit(self, record):
        self.lines.append(record.getMessage())
        self.came.set()


def test_a_mail_server_that_cannot_be_reached_changes_nothing_in_the_answer(database_url, tmp_path):
    settings = {
        "BASE_URL": BASE_URL,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": free_port(),  # nothing listens there
        "MAIL_SECURITY": "none",
        "MAIL_FROM": "steps@example.org",
    }
    caught = Caught()
    logger = logging.getLogger("smallsteps.mail")
    logger.addHandler(caught)
    try:
        with app_on(database_url, tmp_path / "down", **settings) as app:
            make_person(app, "river@example.com")
            answer = ask_for_a_link(app.test_client(), "river@example.com")
            assert answer.status_code == 200
            assert SENT in answer.get_data(as_text=True)
            assert caught.came.wait(10), "the failure is logged"
    finally:
        logger.removeHandler(caught)
    assert "A mail could not be sent" in caught.lines[0]
    assert "river" not in caught.lines[0]


def test_a_new_password_from_a_link_must_still_be_a_good_one(mail_app, mailbox):
    make_person(mail_app, "river@example.com")
    client = mail_app.test_client()
    ask_for_a_link(client, "river@example.com")
    [(_, message)] = mailbox.wait_for(1)
    path = path_of(link_in(message))
    short = set_password(client, path, "short")
    assert short.status_code == 400
    assert "Use at least 8 characters." in short.get_data(as_text=True)
    own_email = set_password(client, path, "river@example.com")
    assert own_email.status_code == 400
    # Nothing was spent by a refused password: the link still works.
    assert set_password(client, path).status_code == 302


def test_the_owner_makes_a_link_that_expires_after_an_hour(app, clock):
    make_person(app, "river@example.com")
    result = app.test_cli_runner().invoke(args=["users", "reset-password", "river@example.com"])
    assert result.exit_code == 0, result.output
    link = result.stdout.splitlines()[0]
    assert link.startswith("http://127.0.0.1:5000/reset/")
    assert "BASE_URL is not set" in result.stderr
    client = app.test_client()
    clock.shift(timedelta(minutes=59))
    assert client.get(path_of(link)).status_code == 200
    clock.shift(timedelta(minutes=2))
    expired = client.get(path_of(link))
    assert expired.status_code == 410
    assert SPENT in expired.get_data(as_text=True)
    assert set_password(client, path_of(link)).status_code == 410


def test_a_link_works_for_its_person_only_and_not_once_tampered_with(app):
    river = make_person(app, "river@example.com")
    make_person(app, "sky@example.com")
    runner = app.test_cli_runner()
    link = runner.invoke(args=["users", "reset-password", "sky@example.com"]).stdout.split()[0]
    path = path_of(link)
    for broken in (path[:-2] + ("AA" if not path.endswith("AA") else "BB"), "/reset/nonsense"):
        assert app.test_client().get(broken).status_code == 410
    # An older link stops working once the password changed some other way.
    older = path_of(runner.invoke(args=["users", "reset-password", river.email]).stdout.split()[0])
    newer = path_of(runner.invoke(args=["users", "reset-password", river.email]).stdout.split()[0])
    client = app.test_client()
    assert set_password(client, newer).status_code == 302
    assert client.get(older).status_code == 410
    assert Person(app.test_client(), "sky@example.com").log_in().status_code == 302
    assert Person(app.test_client(), river.email, PASSWORD).log_in().status_code == 400


def test_an_unknown_email_for_the_reset_command_is_named(app):
    result = app.test_cli_runner().invoke(args=["users", "reset-password", "nobody@example.com"])
    assert result.exit_code == 1
    assert "There is no account for nobody@example.com." in result.output


def test_without_mail_the_page_says_who_can_make_a_link(app):
    client = app.test_client()
    for answer in (client.get("/forgot"), ask_for_a_link(client, "river@example.com")):
        assert answer.status_code == 200
        text = answer.get_data(as_text=True)
        assert "Ask the person who runs Small Steps here for a reset link" in text
        assert "flask users reset-password" in text
        assert SENT not in text


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"MAIL_SERVER": "smtp.example.org"}, "MAIL_SERVER needs BASE_URL"),
        (
            {"MAIL_SERVER": "smtp.example.org", "BASE_URL": BASE_URL},
            "MAIL_SERVER needs MAIL_FROM",
        ),
        ({"MAIL_SECURITY": "ssl"}, "MAIL_SECURITY must be one of none, starttls, tls"),
        ({"BASE_URL": "steps.example.org"}, "BASE_URL must be"),
        ({"BASE_URL": "https://steps.example.org/app?x=1"}, "BASE_URL must be"),
        ({"BASE_URL": "ftp://steps.example.org"}, "BASE_URL must be"),
    ],
    ids=["mail-without-base-url", "mail-without-from", "security", "no-scheme", "path", "ftp"],
)
def test_mail_and_link_settings_that_cannot_work_stop_the_app_with_a_clear_message(
    tmp_path, settings, message
):
    with pytest.raises(ValueError, match=re.escape(message)):
        create_app(app_config(f"sqlite:///{tmp_path}/app.sqlite", tmp_path, **settings))


def test_a_base_url_with_a_port_or_a_slash_is_fine(tmp_path):
    for url in ("http://192.168.1.20:8000", "https://steps.example.org/"):
        create_app(app_config(f"sqlite:///{tmp_path}/app.sqlite", tmp_path, BASE_URL=url))
