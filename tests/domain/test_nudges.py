"""Nudge timing: local times, daylight saving, lateness, quiet hours, resting and kind words."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from smallsteps.domain import nudges
from smallsteps.domain.nudges import (
    LATE,
    LOGGED,
    LOW_CAPACITY,
    QUIET,
    RESTING,
    SEND,
    SUPERSEDED,
    QuietHours,
    Rule,
    Situation,
    Slot,
    due_instant,
    is_resting,
    message_for,
    next_slot,
    slots_between,
    sort_due,
    verdict,
)

NEW_YORK = ZoneInfo("America/New_York")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EVERY_DAY = frozenset(range(7))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        pytest.param(AMSTERDAM, date(2026, 11, 22), time(20), "2026-11-22T19:00Z", id="winter"),
        pytest.param(AMSTERDAM, date(2026, 7, 1), time(20), "2026-07-01T18:00Z", id="summer"),
        pytest.param(NEW_YORK, date(2026, 3, 8), time(1, 59), "2026-03-08T06:59Z", id="before-gap"),
        pytest.param(NEW_YORK, date(2026, 3, 8), time(2, 0), "2026-03-08T07:00Z", id="gap-start"),
        pytest.param(NEW_YORK, date(2026, 3, 8), time(2, 30), "2026-03-08T07:00Z", id="in-gap"),
        pytest.param(NEW_YORK, date(2026, 3, 8), time(3, 0), "2026-03-08T07:00Z", id="after-gap"),
        pytest.param(
            NEW_YORK, date(2026, 11, 1), time(1, 30), "2026-11-01T05:30Z", id="repeated-first"
        ),
        pytest.param(
            ZoneInfo("Australia/Lord_Howe"),
            date(2026, 10, 4),
            time(2, 15),
            "2026-10-03T15:30Z",
            id="half-hour-gap",
        ),
    ],
)
def test_a_local_time_falls_due_at_the_right_instant(zone, day, at, expected):
    assert due_instant(day, at, zone) == utc(expected)


def test_a_time_skipped_by_spring_forward_falls_due_just_after_the_gap():
    rule = Rule((time(2, 30),), EVERY_DAY)
    slots = slots_between(rule, NEW_YORK, utc("2026-03-08T00:00Z"), utc("2026-03-08T12:00Z"))
    assert slots == [Slot(date(2026, 3, 8), time(2, 30), utc("2026-03-08T07:00Z"))]
    assert slots[0].due_at.astimezone(NEW_YORK).strftime("%H:%M %Z") == "03:00 EDT"


def test_a_repeated_time_falls_due_once():
    rule = Rule((time(1, 30),), EVERY_DAY)
    # Both 01:30 EDT (05:30Z) and 01:30 EST (06:30Z) are inside this window.
    slots = slots_between(rule, NEW_YORK, utc("2026-11-01T04:00Z"), utc("2026-11-01T08:00Z"))
    assert [slot.due_at for slot in slots] == [utc("2026-11-01T05:30Z")]
    following = next_slot(rule, NEW_YORK, utc("2026-11-01T05:30Z"))
    assert following == Slot(date(2026, 11, 2), time(1, 30), utc("2026-11-02T06:30Z"))


def test_two_times_in_the_gap_make_one_nudge():
    rule = Rule((time(2, 15), time(2, 45)), EVERY_DAY)
    slots = slots_between(rule, NEW_YORK, utc("2026-03-08T00:00Z"), utc("2026-03-08T12:00Z"))
    assert len(slots) == 1


@pytest.mark.parametrize(
    ("after", "weekdays", "expected_date", "expected_time"),
    [
        pytest.param(
            "2026-11-22T12:00+01:00", EVERY_DAY, date(2026, 11, 22), time(20), id="same-day"
        ),
        pytest.param("2026-11-22T08:00+01:00", EVERY_DAY, date(2026, 11, 22), time(20), id="exact"),
        pytest.param(
            "2026-11-22T21:00+01:00", EVERY_DAY, date(2026, 11, 23), time(8), id="tomorrow"
        ),
        # 2026-11-22 is a Sunday; Monday-only nudges wait a day.
        pytest.param("2026-11-22T07:00+01:00", {0}, date(2026, 11, 23), time(8), id="weekday"),
        pytest.param("2026-11-23T21:00+01:00", {0}, date(2026, 11, 30), time(8), id="next-week"),
    ],
)
def test_the_next_slot_follows_times_and_weekdays(after, weekdays, expected_date, expected_time):
    rule = Rule((time(8), time(20)), frozenset(weekdays))
    slot = next_slot(rule, AMSTERDAM, utc(after))
    assert (slot.local_date, slot.local_time) == (expected_date, expected_time)


def test_a_rule_without_days_has_no_next_slot():
    assert next_slot(Rule((time(20),), frozenset()), AMSTERDAM, utc("2026-11-22T12:00Z")) is None
    assert next_slot(Rule((), EVERY_DAY), AMSTERDAM, utc("2026-11-22T12:00Z")) is None


@pytest.mark.parametrize(
    ("behind", "expected"),
    [
        pytest.param(timedelta(0), None, id="on-time"),
        pytest.param(timedelta(hours=2), None, id="at-the-limit"),
        pytest.param(timedelta(hours=2, seconds=1), LATE, id="too-late"),
        pytest.param(timedelta(hours=9), LATE, id="after-an-outage"),
    ],
)
def test_a_slot_too_far_behind_is_dropped(behind, expected):
    now = utc("2026-11-22T20:00Z")
    slot = Slot(date(2026, 11, 22), time(20), now - behind)
    assert sort_due([slot], now, timedelta(hours=2)) == [(slot, expected)]


def test_of_several_slots_still_on_time_only_the_latest_is_sent():
    now = utc("2026-11-22T21:00Z")
    late = Slot(date(2026, 11, 22), time(8), utc("2026-11-22T07:00Z"))
    earlier = Slot(date(2026, 11, 22), time(20), utc("2026-11-22T19:00Z"))
    latest = Slot(date(2026, 11, 22), time(21), utc("2026-11-22T20:00Z"))
    decided = sort_due([latest, late, earlier], now, timedelta(hours=2))
    assert decided == [(late, LATE), (earlier, SUPERSEDED), (latest, None)]


@pytest.mark.parametrize(
    ("start", "end", "moment", "inside"),
    [
        (time(22), time(8), time(23), True),
        (time(22), time(8), time(3), True),
        (time(22), time(8), time(8), False),
        (time(22), time(8), time(21, 59), False),
        (time(22), time(8), time(22), True),
        (time(13), time(15), time(14), True),
        (time(13), time(15), time(15), False),
        (time(13), time(15), time(12), False),
    ],
)
def test_quiet_hours_may_run_past_midnight(start, end, moment, inside):
    assert QuietHours(start, end).contains(moment) is inside


TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("situation", "quiet", "expected"),
    [
        pytest.param(Situation(TODAY, time(20)), None, SEND, id="plain"),
        pytest.param(
            Situation(TODAY, time(22, 5)), QuietHours(time(22), time(8)), QUIET, id="late-in-quiet"
        ),
        pytest.param(
            Situation(TODAY, time(20), low_capacity_on=TODAY), None, LOW_CAPACITY, id="low-day"
        ),
        pytest.param(
            Situation(TODAY, time(20), low_capacity_on=date(2026, 11, 21)),
            None,
            SEND,
            id="yesterday-low-day",
        ),
        pytest.param(Situation(TODAY, time(20), last_win_on=TODAY), None, LOGGED, id="logged"),
        pytest.param(
            Situation(TODAY, time(20), last_win_on=TODAY, only_if_no_win_today=False),
            None,
            SEND,
            id="logged-but-always",
        ),
        pytest.param(
            Situation(TODAY, time(20), last_win_on=date(2026, 11, 21)), None, SEND, id="yesterday"
        ),
        pytest.param(
            Situation(
                TODAY,
                time(20),
                nudged_since=date(2026, 11, 10),
                last_sent_on=date(2026, 11, 21),
            ),
            None,
            RESTING,
            id="resting-sent-yesterday",
        ),
        pytest.param(
            Situation(
                TODAY,
                time(20),
                nudged_since=date(2026, 11, 10),
                last_sent_on=date(2026, 11, 19),
            ),
            None,
            SEND,
            id="resting-every-third-day",
        ),
    ],
)
def test_the_verdict_on_a_due_slot(situation, quiet, expected):
    assert verdict(situation, quiet) == expected


@pytest.mark.parametrize(
    ("nudged_since", "last_win_on", "today", "resting"),
    [
        (None, None, TODAY, False),
        (date(2026, 11, 16), None, TODAY, False),  # six days: not yet a week
        (date(2026, 11, 15), None, TODAY, True),  # a week of nudges, nothing logged
        (date(2026, 11, 15), date(2026, 11, 1), TODAY, True),
        (date(2026, 11, 15), date(2026, 11, 20), TODAY, False),  # came back
        (date(2026, 11, 15), date(2026, 11, 15), TODAY, False),  # answered the first nudge
    ],
)
def test_nudges_rest_after_a_week_with_nothing_logged(nudged_since, last_win_on, today, resting):
    assert is_resting(nudged_since, last_win_on, today) is resting


def test_the_unanswered_run_starts_again_when_the_person_comes_back():
    assert nudges.nudged_since_after_send(None, None, TODAY) == TODAY
    assert nudges.nudged_since_after_send(date(2026, 11, 1), None, TODAY) == date(2026, 11, 1)
    assert nudges.nudged_since_after_send(date(2026, 11, 1), date(2026, 11, 5), TODAY) == TODAY


def test_messages_rotate_from_day_to_day_and_never_mention_streaks():
    seen = []
    for offset in range(14):
        day = TODAY + timedelta(days=offset)
        seen.append(message_for(7, Slot(day, time(20), datetime.now(UTC))))
    assert all(first != second for first, second in zip(seen, seen[1:], strict=False))
    assert len(set(seen)) >= 5
    for line in nudges.MESSAGES + nudges.RESTING_MESSAGES:
        assert "streak" not in line.lower()
        assert "miss" not in line.lower()
    resting = message_for(7, Slot(TODAY, time(20), datetime.now(UTC)), resting=True)
    assert resting in nudges.RESTING_MESSAGES
