from datetime import UTC, datetime, timedelta

import pytest

from smallsteps.domain.throttle import PER_ADDRESS, PER_EMAIL, wait_before_next_try
from tests.conftest import Person

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
def test_failed_sign_ins_for_one_email_are_slowed_then_refused(count, wait):
    assert wait_before_next_try(failures(count), NOW, PER_EMAIL) == wait


def test_the_pause_runs_from_the_last_failure():
    assert wait_before_next_try(failures(5), NOW + timedelta(seconds=10), PER_EMAIL) == timedelta(
        seconds=5
    )
    assert wait_before_next_try(failures(5), NOW + timedelta(seconds=20), PER_EMAIL) == timedelta(0)


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

    # Even the right password waits: the pause is per email, whoever types it.
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
