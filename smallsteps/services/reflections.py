"""Weekly reflections: the three questions, the evidence beside each, and the answers kept.

A reflection is a synced record like a win (type "reflection"), so a page offline keeps it
on the device and sync brings it here exactly once. This module reads them, gathers what
each question is shown beside, and saves the answers a form posts.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from ..domain.changes import QUESTIONS
from ..domain.lookback import six_months_ago
from ..domain.streaks import week_start_of
from ..extensions import db
from ..models import Reflection, Step, User, Win, utcnow
from . import records
from .accounts import today_for
from .lookback.queries import PastWin, words_from_back_then
from .nudges.plans import smallest_steps

# The questions, asked one at a time, in the counsellor's words.
ASKED = {
    # Translators: the weekly reflection's three questions, a counsellor's gentle words.
    "tiny_step": _l("What tiny step did you take this week?"),
    "shifted": _l("How have your habits shifted, even slightly?"),
    "then_and_now": _l("What are you doing today that you weren't doing six months ago?"),
}
# How many weeks before this one "how it compares" looks at.
WEEKS_BEFORE = 4


@dataclass(frozen=True)
class Evidence:
    """What each question is shown beside: the week's wins, the weeks before, back then."""

    week_of: date
    last_day: date
    wins: list[str]
    smallest: list[str]
    days: int
    win_count: int
    usual_days: float
    new_steps: list[str]
    back_then: list[PastWin]


def week_of(user: User, day: date | None = None) -> date:
    """Return the first day of the person's week holding `day` (today by default)."""
    return week_start_of(day or today_for(user), user.week_start)


def open_weeks(user: User) -> tuple[date, date]:
    """Return the weeks a reflection may be written for now: this one and the one before."""
    this_week = week_of(user)
    return this_week, this_week - timedelta(days=7)


def of_week(user: User, week: date) -> Reflection | None:
    """Return the person's live reflection for a week, the newest if devices made two."""
    return db.session.scalar(
        select(Reflection)
        .where(
            Reflection.user_id == user.id,
            Reflection.week_of == week,
            Reflection.deleted_at.is_(None),
        )
        .order_by(Reflection.updated_at.desc())
        .limit(1)
    )


def recent(user: User, limit: int = 4, before: date | None = None) -> list[Reflection]:
    """Return the person's latest reflections that say something, newest week first."""
    query = select(Reflection).where(
        Reflection.user_id == user.id,
        Reflection.deleted_at.is_(None),
        func.length(Reflection.tiny_step + Reflection.shifted + Reflection.then_and_now) > 0,
    )
    if before is not None:
        query = query.where(Reflection.week_of <= before)
    return list(db.session.scalars(query.order_by(Reflection.week_of.desc()).limit(limit)))


def in_range(user: User, first: date | None, last: date) -> list[Reflection]:
    """Return the reflections of the weeks starting from `first` to `last`, newest first."""
    query = select(Reflection).where(
        Reflection.user_id == user.id,
        Reflection.deleted_at.is_(None),
        Reflection.week_of <= last,
    )
    if first is not None:
        query = query.where(Reflection.week_of >= first)
    return list(db.session.scalars(query.order_by(Reflection.week_of.desc())))


def answers(reflection: Reflection | None) -> dict[str, str]:
    """Return a reflection's answers by question, empty ones included."""
    return {key: getattr(reflection, key) if reflection else "" for key in QUESTIONS}


def evidence(user: User, week: date) -> Evidence:
    """Gather what the three questions are shown beside, for one week."""
    today = today_for(user)
    last_day = min(week + timedelta(days=6), today)
    wins = list(
        db.session.scalars(
            select(Win)
            .where(
                Win.user_id == user.id,
                Win.deleted_at.is_(None),
                Win.local_date.between(week, last_day),
            )
            .order_by(Win.occurred_at)
        )
    )
    smallest = {step.id: step.title for _, step in smallest_steps(user)}
    before_start = week - timedelta(days=7 * WEEKS_BEFORE)
    days_before = db.session.scalar(
        select(func.count(func.distinct(Win.local_date))).where(
            Win.user_id == user.id,
            Win.deleted_at.is_(None),
            Win.local_date.between(before_start, week - timedelta(days=1)),
        )
    )
    start, end = six_months_ago(today)
    stepped_then = set(
        db.session.scalars(
            select(Win.step_id).where(
                Win.user_id == user.id,
                Win.deleted_at.is_(None),
                Win.local_date.between(start, end),
                Win.step_id.is_not(None),
            )
        )
    )
    steps_now = {win.step_id for win in wins if win.step_id is not None}
    titles = dict(
        db.session.execute(
            select(Step.id, Step.title).where(Step.id.in_(steps_now - stepped_then))
        ).all()
    )
    texts = list(dict.fromkeys(win.text for win in wins))
    return Evidence(
        week_of=week,
        last_day=last_day,
        wins=texts[:8],
        smallest=list(dict.fromkeys(smallest[w.step_id] for w in wins if w.step_id in smallest)),
        days=len({win.local_date for win in wins}),
        win_count=len(wins),
        usual_days=(days_before or 0) / WEEKS_BEFORE,
        new_steps=sorted(titles.values()),
        back_then=words_from_back_then(user.id, today),
    )


def compared(evidence: Evidence) -> str:
    """Say, kindly and truly, how this week compares with the weeks before it."""
    usual = evidence.usual_days
    days = evidence.days
    if days == 0:
        return _("A quiet week so far, and that's okay. Rest is part of it.")
    if usual < 0.5:
        return ngettext(
            "You showed up on %(num)d day this week, more than in the weeks before.",
            "You showed up on %(num)d days this week, more than in the weeks before.",
            days,
        )
    about = round(usual)
    if days > usual + 0.5:
        # Translators: %(num)d days this week; %(about)s days a week in the weeks before.
        return ngettext(
            "%(num)d day this week, up from about %(about)s a week before.",
            "%(num)d days this week, up from about %(about)s a week before.",
            days,
            about=about,
        )
    if days < usual - 0.5:
        # Translators: %(num)d days this week; %(about)s days a week in the weeks before.
        return ngettext(
            "%(num)d day this week, against about %(about)s a week before. "
            "Quieter weeks count too.",
            "%(num)d days this week, against about %(about)s a week before. "
            "Quieter weeks count too.",
            days,
            about=about,
        )
    return ngettext(
        "%(num)d day this week, about as many as the weeks before: a steady rhythm.",
        "%(num)d days this week, about as many as the weeks before: a steady rhythm.",
        days,
    )


def save(user: User, week: date, given: dict[str, str], now: datetime | None = None) -> Reflection:
    """Keep the answers a form posted for a week, as the newest version of its reflection."""
    now = now or utcnow()
    reflection = of_week(user, week)
    zone_now = now.astimezone(ZoneInfo(user.timezone))
    fields: dict[str, Any] = {key: given.get(key, "").strip() for key in QUESTIONS}
    if reflection is None:
        reflection = Reflection(id=uuid.uuid4(), user_id=user.id, week_of=week)
        db.session.add(reflection)
    for key, value in fields.items():
        setattr(reflection, key, value)
    offset = zone_now.utcoffset()
    reflection.written_at = now
    reflection.written_offset_minutes = int(offset.total_seconds() // 60) if offset else 0
    records.stamp(reflection, user.id)
    db.session.commit()
    return reflection
