"""Low-capacity days over JSON: `PUT /api/v1/days/{date}` and `GET /api/v1/days`, per DESIGN."""

import pytest

from tests.conftest import Person

# The clock stands at 2026-11-22 14:00 in Amsterdam, the person's zone.
TODAY = "2026-11-22"
RANGE = "/api/v1/days?from=2026-11-01&to=2026-11-30"


def mark(person, day: str, on: bool):
    """Set or end one day's low-capacity flag."""
    return person.api("PUT", f"/api/v1/days/{day}", json={"low_capacity": on})


def test_a_day_marked_low_capacity_is_listed_and_quiets_today(clock, person):
    answer = mark(person, TODAY, True)

    assert answer.status_code == 200
    assert answer.get_json() == {"date": TODAY, "low_capacity": True}
    assert person.api("GET", RANGE).get_json() == {"days": [{"date": TODAY, "low_capacity": True}]}
    assert "Back to a usual day" in person.client.get("/").get_data(as_text=True)


def test_the_same_put_twice_changes_nothing_the_second_time(clock, person):
    mark(person, TODAY, True)
    again = mark(person, TODAY, True)

    assert again.get_json() == {"date": TODAY, "low_capacity": True}
    assert person.api("GET", RANGE).get_json()["days"] == [{"date": TODAY, "low_capacity": True}]


def test_ending_the_day_clears_it_and_ending_another_day_leaves_it(clock, person):
    mark(person, TODAY, True)

    other = mark(person, "2026-11-21", False)
    assert other.get_json() == {"date": "2026-11-21", "low_capacity": False}
    assert person.api("GET", RANGE).get_json()["days"] == [{"date": TODAY, "low_capacity": True}]

    ended = mark(person, TODAY, False)
    assert ended.get_json() == {"date": TODAY, "low_capacity": False}
    assert person.api("GET", RANGE).get_json() == {"days": []}


def test_every_day_marked_is_kept_not_only_the_latest(clock, person):
    mark(person, "2026-11-21", True)
    mark(person, TODAY, True)

    assert person.api("GET", RANGE).get_json()["days"] == [
        {"date": "2026-11-21", "low_capacity": True},
        {"date": TODAY, "low_capacity": True},
    ]


def test_a_day_outside_the_range_asked_for_is_not_listed(clock, person):
    mark(person, TODAY, True)

    answer = person.api("GET", "/api/v1/days?from=2026-11-01&to=2026-11-21")
    assert answer.get_json() == {"days": []}


def test_tomorrow_may_be_marked_from_a_zone_ahead(clock, person):
    assert mark(person, "2026-11-23", True).status_code == 200


@pytest.mark.parametrize(
    ("day", "body", "error"),
    [
        ("2026-11-24", {"low_capacity": True}, "date out of range"),
        ("1999-12-31", {"low_capacity": True}, "date out of range"),
        ("2026-02-30", {"low_capacity": True}, "invalid date"),
        ("22-11-2026", {"low_capacity": True}, "invalid date"),
        ("today", {"low_capacity": True}, "invalid date"),
        (TODAY, {"low_capacity": "yes"}, "invalid day"),
        (TODAY, {}, "invalid day"),
        (TODAY, [], "invalid JSON"),
    ],
)
def test_a_day_that_cannot_be_set_is_refused_clearly_and_nothing_changes(
    clock, person, day, body, error
):
    answer = person.api("PUT", f"/api/v1/days/{day}", json=body)

    assert answer.status_code == 400
    assert answer.get_json()["error"] == error
    assert person.api("GET", RANGE).get_json() == {"days": []}


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("", "invalid from"),
        ("?from=2026-11-01", "invalid to"),
        ("?from=yesterday&to=2026-11-30", "invalid from"),
        ("?from=2026-11-30&to=2026-11-01", "invalid range"),
    ],
)
def test_a_range_that_cannot_be_read_is_refused_clearly(clock, person, query, error):
    answer = person.api("GET", f"/api/v1/days{query}")

    assert answer.status_code == 400
    assert answer.get_json() == {"error": error, "detail": answer.get_json()["detail"]}


def test_each_person_sees_and_sets_only_their_own_days(clock, person, other_person):
    mark(person, TODAY, True)

    assert other_person.api("GET", RANGE).get_json() == {"days": []}
    mark(other_person, TODAY, False)
    assert person.api("GET", RANGE).get_json()["days"] == [{"date": TODAY, "low_capacity": True}]


def test_a_signed_out_caller_gets_401_json(client):
    stranger = Person(client, "nobody@example.com")
    answer = stranger.api("PUT", "/api/v1/days/2026-11-22", json={"low_capacity": True})

    assert answer.status_code == 401
    assert set(answer.get_json()) == {"error", "detail"}
