"""Local dates: which day a moment belongs to, as the person lived it."""

from datetime import date, datetime, timedelta, tzinfo

DAY_START_HOURS = range(0, 5)


class NaiveTimestampError(ValueError):
    """A timestamp came without its UTC offset."""


def local_wall_time(occurred_at: datetime) -> datetime:
    """Return the wall-clock time the device saw, without its offset."""
    if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
        raise NaiveTimestampError("a timestamp needs its UTC offset")
    return occurred_at.replace(tzinfo=None)


def local_date(occurred_at: datetime, day_start: int = 0) -> date:
    """Return the day a moment belongs to, shifted back by the day-start hour.

    A night owl with ``day_start`` 3 who logs at 01:30 is still living the day before.
    """
    return (local_wall_time(occurred_at) - timedelta(hours=day_start)).date()


def today_in_zone(now: datetime, zone: tzinfo, day_start: int = 0) -> date:
    """Return the person's current day in their profile time zone."""
    local_wall_time(now)  # a naive ``now`` would silently be read in the server's zone
    return local_date(now.astimezone(zone), day_start)
