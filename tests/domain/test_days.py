"""Local dates: night owls, travel, daylight saving and naive timestamps."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from smallsteps.domain.days import (
    NaiveTimestampError,
    iso_date,
    local_date,
    moment_on,
    today_in_zone,
)

NEW_YORK = ZoneInfo("America/New_York")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    ("occurred_at", "day_start", "expected"),
    [
        pytest.param(
            "2026-11-22T00:00:00+01:00", 0, date(2026, 11, 22), id="midnight-starts-the-day"
        ),
        pytest.param("2026-11-22T23:59:59+01:00", 0, date(2026, 11, 22), id="last-second-of-day"),
        pytest.param("2026-11-22T01:30:00+01:00", 0, date(2026, 11, 22), id="0130-early-bird"),
        pytest.param("2026-11-22T01:30:00+01:00", 3, date(2026, 11, 21), id="0130-night-owl"),
        pytest.param("2026-11-22T02:59:59+01:00", 3, date(2026, 11, 21), id="0259-night-owl"),
        pytest.param("2026-11-22T03:00:00+01:00", 3, date(2026, 11, 22), id="0300-night-owl"),
        pytest.param("2026-11-22T23:30:00+01:00", 3, date(2026, 11, 22), id="2330-night-owl"),
        pytest.param(
            "2026-03-01T01:00:00+00:00", 4, date(2026, 2, 28), id="night-owl-across-month"
        ),
    ],
)
def test_a_win_belongs_to_the_day_the_person_was_living(occurred_at, day_start, expected):
    assert local_date(datetime.fromisoformat(occurred_at), day_start) == expected


@pytest.mark.parametrize(
    ("occurred_at", "home", "expected", "home_date"),
    [
        pytest.param(
            "2026-11-22T23:30:00+09:00",
            "Pacific/Auckland",
            date(2026, 11, 22),
            date(2026, 11, 23),
            id="aucklander-in-tokyo",
        ),
        pytest.param(
            "2026-11-22T00:15:00-10:00",
            "Europe/Amsterdam",
            date(2026, 11, 22),
            date(2026, 11, 22),
            id="amsterdammer-in-honolulu-just-after-midnight",
        ),
        pytest.param(
            "2026-11-22T20:00:00-08:00",
            "Asia/Tokyo",
            date(2026, 11, 22),
            date(2026, 11, 23),
            id="tokyoite-in-los-angeles",
        ),
    ],
)
def test_a_win_logged_while_travelling_keeps_its_own_local_date(
    occurred_at, home, expected, home_date
):
    moment = datetime.fromisoformat(occurred_at)
    assert moment.astimezone(ZoneInfo(home)).date() == home_date
    assert local_date(moment) == expected


@pytest.mark.parametrize(
    ("utc_instant", "day_start", "expected"),
    [
        pytest.param("2026-03-08T04:59:00", 0, date(2026, 3, 7), id="sat-2359-est"),
        pytest.param("2026-03-08T05:00:00", 0, date(2026, 3, 8), id="sun-0000-est"),
        pytest.param("2026-03-08T06:59:00", 0, date(2026, 3, 8), id="0159-est-before-jump"),
        pytest.param("2026-03-08T07:00:00", 0, date(2026, 3, 8), id="0300-edt-after-jump"),
        pytest.param("2026-03-09T03:59:00", 0, date(2026, 3, 8), id="sun-2359-edt"),
        pytest.param("2026-03-09T04:00:00", 0, date(2026, 3, 9), id="mon-0000-edt"),
        pytest.param("2026-03-08T06:30:00", 3, date(2026, 3, 7), id="owl-0130-est-is-saturday"),
        pytest.param("2026-03-08T07:00:00", 3, date(2026, 3, 8), id="owl-0300-edt-is-sunday"),
        pytest.param("2026-03-09T06:59:00", 3, date(2026, 3, 8), id="owl-mon-0259-edt"),
        pytest.param("2026-10-31T03:59:00", 0, date(2026, 10, 30), id="fri-2359-edt"),
        pytest.param("2026-10-31T04:00:00", 0, date(2026, 10, 31), id="sat-0000-edt"),
        pytest.param("2026-11-01T05:30:00", 0, date(2026, 11, 1), id="first-0130-edt"),
        pytest.param("2026-11-01T06:30:00", 0, date(2026, 11, 1), id="repeated-0130-est"),
        pytest.param("2026-11-01T05:30:00", 3, date(2026, 10, 31), id="owl-first-0130-edt"),
        pytest.param("2026-11-01T06:30:00", 3, date(2026, 10, 31), id="owl-repeated-0130-est"),
        pytest.param("2026-11-01T08:00:00", 3, date(2026, 11, 1), id="owl-0300-est"),
        pytest.param("2026-11-02T04:59:00", 0, date(2026, 11, 1), id="sun-2359-est"),
        pytest.param("2026-11-02T05:00:00", 0, date(2026, 11, 2), id="mon-0000-est"),
    ],
)
def test_today_follows_new_york_wall_time_across_daylight_saving(utc_instant, day_start, expected):
    now = datetime.fromisoformat(utc_instant).replace(tzinfo=UTC)
    assert today_in_zone(now, NEW_YORK, day_start) == expected


@pytest.mark.parametrize(
    "day",
    [pytest.param(date(2026, 3, d), id=f"march-{d}") for d in range(5, 12)]
    + [pytest.param(date(2026, 10, d), id=f"october-{d}") for d in range(29, 32)]
    + [pytest.param(date(2026, 11, d), id=f"november-{d}") for d in range(1, 5)],
)
@pytest.mark.parametrize("hour", [0, 1, 3, 12, 23])
def test_every_hour_of_a_daylight_saving_week_keeps_its_wall_date(day, hour):
    moment = datetime(day.year, day.month, day.day, hour, 30, tzinfo=NEW_YORK)
    assert local_date(moment) == day
    assert today_in_zone(moment.astimezone(UTC), NEW_YORK) == day


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: local_date(datetime(2026, 11, 22, 23, 30)), id="local-date"),
        pytest.param(lambda: local_date(datetime(2026, 11, 22, 1, 30), 3), id="night-owl"),
        pytest.param(
            lambda: local_date(datetime.fromisoformat("2026-11-22T23:30:00")), id="iso-no-offset"
        ),
        pytest.param(
            lambda: today_in_zone(datetime(2026, 11, 22, 12, 0), NEW_YORK), id="naive-now"
        ),
    ],
)
def test_a_naive_timestamp_is_rejected(call):
    with pytest.raises(NaiveTimestampError):
        call()


def test_a_naive_timestamp_error_is_a_value_error():
    assert issubclass(NaiveTimestampError, ValueError)


@pytest.mark.parametrize(
    ("at", "day_start", "wall"),
    [
        (time(20, 0), 0, "2026-11-21T20:00:00+01:00"),
        (time(1, 30), 3, "2026-11-22T01:30:00+01:00"),
        (time(3, 0), 3, "2026-11-21T03:00:00+01:00"),
    ],
    ids=["evening", "small-hours-of-a-night-owl", "at-the-day-start"],
)
def test_a_time_picked_on_a_day_is_lived_on_that_day(at, day_start, wall):
    moment = moment_on(date(2026, 11, 21), at, AMSTERDAM, day_start)

    assert moment.isoformat() == wall
    assert local_date(moment, day_start) == date(2026, 11, 21)


def test_a_time_picked_in_the_hour_that_repeats_is_its_first_pass():
    moment = moment_on(date(2026, 11, 1), time(1, 30), NEW_YORK)

    assert moment.utcoffset() == timedelta(hours=-4)


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ("2026-11-22", date(2026, 11, 22)),
        ("20261122", None),
        ("2026-02-30", None),
        ("22-11-2026", None),
        (" 2026-11-22", None),
        (None, None),
        (20261122, None),
    ],
)
def test_a_date_is_read_only_as_yyyy_mm_dd(raw, read):
    assert iso_date(raw) == read
