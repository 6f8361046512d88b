"""Energy over time: week by week, how the person's wins felt and how many days were gentle."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_percent
from flask_babel import gettext as _
from sqlalchemy import func, select

from ...domain.streaks import week_start_of
from ...extensions import db
from ...models import User, Win
from ..nudges.plans import low_capacity_days

WEEKS = 12


@dataclass(frozen=True)
class EnergyWeek:
    """One week: its first day, its wins by energy, and its low-capacity days."""

    start: date
    low: int
    ok: int
    high: int
    unsaid: int
    gentle_days: int

    @property
    def said(self) -> int:
        """Return how many of the week's wins carried an energy."""
        return self.low + self.ok + self.high


def energy_by_week(user: User, today: date, weeks: int = WEEKS) -> list[EnergyWeek]:
    """Return the last `weeks` weeks, oldest first, this one included."""
    this_week = week_start_of(today, user.week_start)
    first = this_week - timedelta(days=7 * (weeks - 1))
    rows = db.session.execute(
        select(Win.local_date, Win.energy, func.count())
        .where(
            Win.user_id == user.id, Win.deleted_at.is_(None), Win.local_date.between(first, today)
        )
        .group_by(Win.local_date, Win.energy)
    ).all()
    counts: dict[date, dict[str | None, int]] = {}
    for day, energy, count in rows:
        week = counts.setdefault(week_start_of(day, user.week_start), {})
        week[energy] = week.get(energy, 0) + count
    gentle: dict[date, int] = {}
    for day in low_capacity_days(user, first, today):
        start = week_start_of(day, user.week_start)
        gentle[start] = gentle.get(start, 0) + 1
    found = []
    for number in range(weeks):
        start = first + timedelta(days=7 * number)
        week = counts.get(start, {})
        found.append(
            EnergyWeek(
                start=start,
                low=week.get("low", 0),
                ok=week.get("ok", 0),
                high=week.get("high", 0),
                unsaid=week.get(None, 0),
                gentle_days=gentle.get(start, 0),
            )
        )
    return found


def energy_in_words(weeks: list[EnergyWeek]) -> str:
    """Say how energy moved: the last four weeks against the four before, kindly."""
    recent = weeks[-4:]
    before = weeks[-8:-4]

    def share_high(span: list[EnergyWeek]) -> float | None:
        said = sum(week.said for week in span)
        return None if said == 0 else sum(week.ok + week.high for week in span) / said

    now, then = share_high(recent), share_high(before)
    if now is None:
        return _("Add how a win felt (low, okay, high) and your energy over the weeks shows here.")
    if then is None:
        # Translators: %(share)s is a percentage, like “67%”.
        return _(
            "Lately, %(share)s of the wins you rated felt okay or better.",
            share=format_percent(round(now * 100) / 100),
        )
    if now > then + 0.1:
        return _("More of your wins have felt okay or better these last four weeks than before.")
    if now < then - 0.1:
        # Translators: kind words about heavier weeks: low days count; never shaming.
        return _(
            "These last weeks have felt heavier. Low days count as much as any; you kept going."
        )
    return _("Your energy has been about as steady these last four weeks as the four before.")
