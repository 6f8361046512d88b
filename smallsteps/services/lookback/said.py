"""What Look back says, in its reader's language: momentum in words and the heatmap's labels.

The domain works out numbers and dates; the words for them are chosen here, through the
catalog, so each page reads in the language of the person reading it.
"""

from dataclasses import dataclass
from datetime import date

import flask_babel
from babel import Locale
from flask_babel import gettext as _
from flask_babel import ngettext

from ... import i18n
from ...domain import momentum
from ...domain.lookback.grid import Heatmap


def explain_momentum(
    score: int | None, *, weekly_target: int | None = None, days_lately: int | None = None
) -> str:
    """Put a momentum score into one short, warm sentence in the reader's language."""
    return momentum.explain_momentum(
        score, weekly_target=weekly_target, days_lately=days_lately, words=flask_babel
    )


@dataclass(frozen=True)
class DayInWords:
    """A day's square with what it says: its date and its wins, or that it was a rest day."""

    x: int
    y: int
    level: int
    day: date
    title: str


@dataclass(frozen=True)
class MonthSaid:
    """A month of the heatmap by name, with its wins and the days that had one."""

    name: str
    wins: int
    days: int


@dataclass(frozen=True)
class Calendar:
    """The heatmap as the page draws it: its geometry, and every label in the reader's words."""

    width: int
    height: int
    square: int
    font: int
    cells: list[DayInWords]
    month_labels: list[tuple[int, str]]
    weekday_labels: list[tuple[int, str]]
    months: list[MonthSaid]
    wins: int
    days: int


def day_said(day: date, count: int) -> str:
    """Say a day's date and its wins; a day without any is a rest day, never a miss."""
    when = i18n.weekday_date(day)
    if not count:
        # Translators: a day's square in the calendar of wins: its date, and no win that day.
        return _("%(day)s: a rest day", day=when)
    return ngettext("%(day)s: %(num)d win", "%(day)s: %(num)d wins", count, day=when)


def calendar_in_words(heat: Heatmap) -> Calendar:
    """Return the heatmap with its days, months and weekdays said in the reader's language."""
    locale = flask_babel.get_locale() or Locale.parse(i18n.SOURCE_LANGUAGE)
    letters = locale.days["stand-alone"]["narrow"]
    return Calendar(
        width=heat.width,
        height=heat.height,
        square=heat.square,
        font=heat.font,
        cells=[
            DayInWords(cell.x, cell.y, cell.level, cell.day, day_said(cell.day, cell.count))
            for cell in heat.cells
        ],
        month_labels=[(x, i18n.date_words(day, "MMM")) for x, day in heat.month_labels],
        weekday_labels=[(y, letters[weekday]) for y, weekday in heat.weekday_labels],
        months=[
            MonthSaid(i18n.date_words(month.month, "yMMMM"), month.wins, month.days)
            for month in heat.months
        ],
        wins=heat.wins,
        days=heat.days,
    )
