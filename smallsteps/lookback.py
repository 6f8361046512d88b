"""The Look back page: how far you've come, drawn rather than listed."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from .domain.lookback import MILESTONES, heatmap
from .domain.momentum import explain_momentum
from .services import accounts
from .services.summary import Summary, summarize, words_from_back_then

bp = Blueprint("lookback", __name__)

CELL = 12  # one day's square in the heatmap, gap included, in SVG units
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


@bp.get("/look-back")
@login_required
def show():
    """Show how far the person has come: the year, then and now, streak, momentum, goals."""
    today = accounts.today_for(current_user)
    result = summarize(current_user, today)
    return render_template(
        "lookback/show.html",
        summary=result,
        heat=heatmap_of(result, current_user.week_start),
        back_then=words_from_back_then(current_user.id, today),
        next_milestone=next_milestone(result),
        show_streak=current_user.show_streak,
        explain=explain_momentum,
        long_date=long_date,
        nth=nth,
        plural=plural,
        days_ago=lambda days: today - timedelta(days=days),
    )


def heatmap_of(result: Summary, week_start: int) -> Heatmap:
    """Lay the heatmap out in whole weeks, one column a week, starting on the week start."""
    start, counts = heatmap(result.counts, result.as_of, week_start)
    cells, months, month_labels = [], {}, []
    for offset, count in enumerate(counts):
        day = start + timedelta(days=offset)
        column, row = divmod(offset, 7)
        x, y = LABEL_WIDTH + column * CELL, LABEL_HEIGHT + row * CELL
        cells.append(HeatCell(x, y, level(count), f"{weekday_date(day)}: {wins_said(count)}"))
        month = months.setdefault((day.year, day.month), [f"{day:%B %Y}", 0, 0])
        month[1] += count
        month[2] += count > 0
        if row == 0 and day.day <= 7:  # a month's name over its first week
            month_labels.append((x, f"{day:%b}"))
    columns = (len(counts) + 6) // 7
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
        wins=sum(counts),
        days=sum(1 for count in counts if count),
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


def next_milestone(result: Summary) -> tuple[int, int] | None:
    """Return the next milestone and how many wins are left to it, or None past the last."""
    total = result.look.since_start.wins
    upcoming = [count for count in MILESTONES if count > total]
    return (upcoming[0], upcoming[0] - total) if upcoming else None


def wins_said(count: int) -> str:
    """Say a day's wins; a day without any is a rest day, never a miss."""
    return plural(count, "win") if count else "a rest day"


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


def weekday_date(day: date) -> str:
    """Return "Saturday 3 January 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"
