from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from smallsteps.domain.throttle import PER_ADDRESS, PER_EMAIL, PER_PAIR, wait_before_next_try
from smallsteps.extensions import db
from smallsteps.models import LoginFailure
from tests.conftest import Person, csrf_token, race

NOW = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)


def failures(count: int, last: datetime = NOW) -> list[datetime]:
    return [last - timedelta(seconds=5 * i) for i in range(count)]


@pytest.mark.parametrize(
    ("count", "wait"),
    [
        (0, timedelta(0)),
        (4, timedelta(0)),
        (5, timedelta(seconds=15)),
        (6, timedelta(seconds=30)),
        (9, timedelta(seconds=240)),
        (10, timedelta(minutes=5)),
        (14, timedelta(minutes=5)),
        (15, timedelta(minutes=15)),
    ],
    ids=lambda value: str(value),
)
def test_failed_sign_ins_for_one_email_from_one_address_are_slowed_then_refused(count, wait):
    assert wait_before_next_try(failures(count), NOW, PER_PAIR) == wait


def test_the_pause_runs_from_the_last_failure():
    assert wait_before_next_try(failures(5), NOW + timedelta(seconds=10), PER_PAIR) == timedelta(
        seconds=5
    )
    assert wait_before_next_try(failures(5), NOW + timedelta(seconds=20), PER_PAIR) == timedelta(0)


def test_failures_older_than_a_quarter_of_an_hour_are_forgotten():
    old = failures(20, last=NOW - timedelta(minutes=16))
    assert wait_before_next_try(old, NOW, PER_EMAIL) == timedelta(0)


def test_a_shared_address_gets_more_room_than_one_email():
    assert wait_before_next_try(failures(10), NOW, PER_ADDRESS) == timedelta(0)


def test_repeated_wrong_passwords_are_refused_for_a_while_with_a_calm_message(app, person):
    guesser = Person(app.test_client(), person.email, password="wrong password")
    for _ in range(5):
        assert guesser.log_in().status_code == 400
    response = guesser.log_in()
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Take a breather and try again" in response.get_data(as_text=True)

    # Even the right password waits from the same address: the pause is per email and address.
    owner = Person(app.test_client(), person.email)
    assert owner.log_in().status_code == 429


def test_one_persons_failures_do_not_slow_another_persons_sign_in(app, person, other_person):
    guesser = Person(app.test_client(), person.email, password="wrong password")
    for _ in range(6):
        guesser.log_in()
    other_person.log_out()
    assert other_person.log_in().status_code == 302


def test_signing_in_clears_earlier_failures(app, person):
    guesser = Person(app.test_client(), person.email, password="wrong password")
    for _ in range(4):
        guesser.log_in()
    person.log_out()
    assert person.log_in().status_code == 302
    person.log_out()
    for _ in range(4):
        assert guesser.log_in().status_code == 400


def from_address(app, email: str, address: str, password: str = "wrong password") -> Person:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Person(client, email, password=password)


def test_a_guesser_cannot_lock_the_owner_out_from_another_address(app, clock, person):
    guesser = from_address(app, person.email, "203.0.113.66")
    checked = 0
    while checked < 25:
        response = guesser.log_in()
        if response.status_code == 429:
            clock.shift(int(response.headers["Retry-After"]))
        else:
            assert response.status_code == 400
            checked += 1
    assert guesser.log_in().status_code == 429

    person.log_out()
    owner = from_address(app, person.email, "198.51.100.7", password=person.password)
    assert owner.log_in().status_code == 302


def test_a_parallel_burst_of_guesses_checks_no_more_than_the_limit(app, person):
    guessers = [from_address(app, person.email, "203.0.113.66") for _ in range(12)]
    forms = [
        {"csrf_token": csrf_token(guesser.client), "email": person.email, "password": "nope"}
        for guesser in guessers
    ]
    posts = [
        (guesser.client, "/login", form) for guesser, form in zip(guessers, forms, strict=True)
    ]
    statuses = [response.status_code for response in race(posts)]
    assert sorted(set(statuses)) == [400, 429]
    assert statuses.count(400) == 5


def test_failures_keep_neither_the_email_nor_the_address(app, person):
    from_address(app, person.email, "203.0.113.66").log_in()
    with app.app_context():
        keys = db.session.scalars(select(LoginFailure.key)).all()
    assert keys
    assert not any("river" in key or "example" in key or "203.0.113" in key for key in keys)
