"""Numbers and dates in English words, made by hand in one place for every page to share."""

from datetime import date


def plural(count: int, word: str) -> str:
    """Return ``count`` with ``word``, adding an s unless it is one."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def nth(count: int) -> str:
    """Return 1st, 2nd, 3rd, 10th, 25th and so on."""
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(count % 10, "th")
    return f"{count}th" if count % 100 in (11, 12, 13) else f"{count}{suffix}"


def long_date(day: date, today: date | None = None) -> str:
    """Return "3 March", with the year when it is not the current one."""
    if today is not None and day.year == today.year:
        return f"{day.day} {day:%B}"
    return f"{day.day} {day:%B %Y}"


def weekday_date(day: date, today: date | None = None) -> str:
    """Return "Saturday 3 January 2026", without the year when it is the current one."""
    if today is not None and day.year == today.year:
        return f"{day:%A} {day.day} {day:%B}"
    return f"{day:%A} {day.day} {day:%B %Y}"
