"""Local dates: which day a moment belongs to, as the person lived it."""

import re
from datetime import date, datetime, time, timedelta, tzinfo

DAY_START_HOURS = range(0, 5)
# No win, day or week is older than this.
EARLIEST_DAY = date(2000, 1, 1)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# "Yesterday evening", for a win remembered the morning after.
EVENING = time(20, 0)


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


def moment_on(day: date, at: time, zone: tzinfo, day_start: int = 0) -> datetime:
    """Return the moment a wall time falls on a day the person lived, in their zone.

    A time before the day-start hour belongs to the night after the date: with
    ``day_start`` 3, "01:30 on the 21st" is the small hours of the 22nd, still the 21st's.
    """
    wall_day = day + timedelta(days=1) if at.hour < day_start else day
    # fold=0 picks the first of a repeated hour, as the nudges do.
    return datetime.combine(wall_day, at).replace(tzinfo=zone, fold=0)


def iso_date(raw: object) -> date | None:
    """Return the date a YYYY-MM-DD string names, or None for anything else (20261122 too)."""
    if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None
