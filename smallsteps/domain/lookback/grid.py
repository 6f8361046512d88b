"""The heatmap laid out as a calendar: one column a week, a square a day, the same in words.

Sizes are SVG units. A day's square takes ``CELL`` with its gap; the weekday letters sit
in a margin ``LABEL_WIDTH`` wide on the left, the month names in one ``LABEL_HEIGHT``
high on top. A day without a win is a rest day, never a miss.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from ..words import plural, weekday_date
from . import heatmap

CELL = 12
LABEL_WIDTH = 18
LABEL_HEIGHT = 14
WEEKDAY_LETTERS = "MTWTFSS"


@dataclass(frozen=True)
class HeatCell:
    """One day in the heatmap: where it sits, how full it is and what it says."""

    x: int
    y: int
    level: int
    title: str


@dataclass(frozen=True)
class MonthInWords:
    """A month of the heatmap, said in words for screen readers and anyone else."""

    name: str
    wins: int
    days: int


@dataclass(frozen=True)
class Heatmap:
    """The last 53 weeks as an SVG calendar, with the same in words."""

    width: int
    height: int
    cells: list[HeatCell]
    month_labels: list[tuple[int, str]]
    weekday_labels: list[tuple[int, str]]
    months: list[MonthInWords]
    wins: int
    days: int


def lay_out(counts: Mapping[date, int], today: date, week_start: int) -> Heatmap:
    """Lay the heatmap out in whole weeks ending ``today``, each column from the week start."""
    start, per_day = heatmap(counts, today, week_start)
    cells, months, month_labels = [], {}, []
    for offset, count in enumerate(per_day):
        day = start + timedelta(days=offset)
        column, row = divmod(offset, 7)
        x, y = LABEL_WIDTH + column * CELL, LABEL_HEIGHT + row * CELL
        cells.append(HeatCell(x, y, level(count), f"{weekday_date(day)}: {wins_said(count)}"))
        month = months.setdefault((day.year, day.month), [f"{day:%B %Y}", 0, 0])
        month[1] += count
        month[2] += count > 0
        if row == 0 and day.day <= 7:  # a month's name over its first week
            month_labels.append((x, f"{day:%b}"))
    columns = (len(per_day) + 6) // 7
    weekday_labels = [
        (LABEL_HEIGHT + row * CELL + CELL - 3, WEEKDAY_LETTERS[(week_start + row) % 7])
        for row in (0, 2, 4, 6)
    ]
    return Heatmap(
        width=LABEL_WIDTH + columns * CELL,
        height=LABEL_HEIGHT + 7 * CELL,
        cells=cells,
        month_labels=month_labels,
        weekday_labels=weekday_labels,
        months=[MonthInWords(name, wins, days) for name, wins, days in months.values()],
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


def wins_said(count: int) -> str:
    """Say a day's wins; a day without any is a rest day, never a miss."""
    return plural(count, "win") if count else "a rest day"
