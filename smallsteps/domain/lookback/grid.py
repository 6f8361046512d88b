"""The heatmap laid out as a calendar: one column a week, a square a day, the same in words.

Sizes are SVG units, drawn one to a CSS pixel. A ``Layout`` says how many weeks fit and
how big a day is: a phone shows ``RECENT`` (the last 17 weeks), a wide screen ``YEAR``
(all 53), and both keep a day's square and the labels at least 12 px, big enough to
read and to tap. The weekday letters sit in a margin on the left, the month names in one
on top. A day without a win is a rest day, never a miss.

The layout holds numbers and dates only: the page says them in its reader's language
(``services.lookback.said``), the day's words, the months' names and the weekdays'.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from . import heatmap


@dataclass(frozen=True)
class Layout:
    """How a heatmap is drawn: how many weeks, and the size of a day and of its labels."""

    weeks: int
    pitch: int  # a day's square with the gap after it
    square: int
    font: int
    label_width: int = 22
    label_height: int = 18


RECENT = Layout(weeks=17, pitch=16, square=13, font=12)
YEAR = Layout(weeks=54, pitch=14, square=12, font=12)


@dataclass(frozen=True)
class HeatCell:
    """One day in the heatmap: where it sits, how full it is, its date and its wins."""

    x: int
    y: int
    level: int
    count: int
    day: date


@dataclass(frozen=True)
class MonthInWords:
    """A month of the heatmap (its first day here), to say in words for anyone who reads."""

    month: date
    wins: int
    days: int


@dataclass(frozen=True)
class Heatmap:
    """The last 53 weeks as an SVG calendar, with the same in words."""

    width: int
    height: int
    square: int
    font: int
    cells: list[HeatCell]
    # Where a month's name goes, with a day of that month; where a weekday's, 0 = Monday.
    month_labels: list[tuple[int, date]]
    weekday_labels: list[tuple[int, int]]
    months: list[MonthInWords]
    wins: int
    days: int


def lay_out(
    counts: Mapping[date, int], today: date, week_start: int, layout: Layout = YEAR
) -> Heatmap:
    """Lay the heatmap out in whole weeks ending ``today``, each column from the week start.

    The year holds 53 or 54 columns (a week start can add one); ``layout.weeks`` keeps
    only the last ones of them.
    """
    start, per_day = heatmap(counts, today, week_start)
    dropped = max(0, (len(per_day) + 6) // 7 - layout.weeks) * 7
    start, per_day = start + timedelta(days=dropped), per_day[dropped:]
    pitch, left, top = layout.pitch, layout.label_width, layout.label_height
    columns = (len(per_day) + 6) // 7
    width = left + columns * pitch
    cells, months, month_labels = [], {}, []
    for offset, count in enumerate(per_day):
        day = start + timedelta(days=offset)
        column, row = divmod(offset, 7)
        x, y = left + column * pitch, top + row * pitch
        cells.append(HeatCell(x, y, level(count), count, day))
        month = months.setdefault((day.year, day.month), [day.replace(day=1), 0, 0])
        month[1] += count
        month[2] += count > 0
        # A month's name over its first week, when the name fits inside the picture.
        if row == 0 and day.day <= 7 and x + 2 * layout.font <= width:
            month_labels.append((x, day))
    weekday_labels = [
        (top + row * pitch + layout.square - 2, (week_start + row) % 7) for row in (0, 2, 4, 6)
    ]
    return Heatmap(
        width=width,
        height=top + 7 * pitch,
        square=layout.square,
        font=layout.font,
        cells=cells,
        month_labels=month_labels,
        weekday_labels=weekday_labels,
        months=[MonthInWords(month, wins, days) for month, wins, days in months.values()],
        wins=sum(per_day),
        days=sum(1 for count in per_day if count),
    )


def level(count: int) -> int:
    """Return how full a day's square is: 0 for a rest day, up to 4 for a full day."""
    if count <= 0:
        return 0
    if count == 1:
        return 1
    if count <= 3:
        return 2
    return 3 if count <= 6 else 4
