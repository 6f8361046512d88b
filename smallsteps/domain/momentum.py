"""Momentum: the habit-strength score of Loop Habit Tracker, explained in plain words.

The score is an exponential moving average that a day of rest only dents. Starting at
0 on the day of the first win, every day up to and including ``today`` applies
``s = s·m + x·(1 − m)`` with ``m = 0.5 ** (sqrt(f) / 13)``, so a daily habit's half-life
is 13 days. Each day of the first win counts as day 1: a perfect daily habit scores
``1 − m**n`` after ``n`` days, which is 80 on day 30 and 96 on day 60.

A day's weight on the score fades by ``m`` every day after it, so whatever happened
more than ``HORIZON_HALF_LIVES`` half-lives before ``today`` weighs less than 2**-48 on
it: the score starts from 0 there instead of at the first win. That changes it by less
than 4e-15, below the rounding error of the day-by-day sum itself, so the percentage is
the one the definition gives, and a long history costs no more than its last few years.
Overall, the days between two showed-up days move the score in one step (``s·m**gap``).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from .streaks import WEEKLY_TARGETS

HALF_LIFE_DAYS = 13
HORIZON_HALF_LIVES = 48
STEP_WINDOW_DAYS = 14


def multiplier(frequency: float) -> float:
    """Return the share of the score that survives one day, for a habit done ``frequency`` a day."""
    return 0.5 ** (math.sqrt(frequency) / HALF_LIFE_DAYS)


def as_percentage(score: float) -> int:
    """Return a 0–1 score as a whole percentage, rounded half up."""
    return math.floor(score * 100 + 0.5)


def horizon(frequency: float) -> int:
    """Return how many days back a win still weighs at least 2**-48 on today's score."""
    return math.ceil(HORIZON_HALF_LIVES * HALF_LIFE_DAYS / math.sqrt(frequency))


@dataclass(frozen=True)
class Progress:
    """A score part-way through the days: the score so far and the first day not yet applied.

    A step's score also keeps which of the 13 days before ``cursor`` had a win, the
    rest of its 14-day window.
    """

    score: float
    cursor: int  # an ordinal
    window: bytes = b""


def overall_momentum(
    days: Iterable[date], today: date, since: Progress | None = None
) -> int | None:
    """Return the overall momentum (0–100) as of ``today``, or None before the first win.

    With ``since`` (from ``overall_progress``), ``days`` hold only the days from its cursor on.
    """
    progress = overall_progress(days, today + timedelta(days=1), since)
    if progress is None:
        return None
    m = multiplier(1.0)
    days_after = today.toordinal() + 1 - progress.cursor
    return as_percentage(progress.score * m**days_after)  # the days since the last win


def overall_progress(
    days: Iterable[date], until: date, since: Progress | None = None
) -> Progress | None:
    """Apply every showed-up day before ``until`` to the overall score, after ``since``."""
    end = until.toordinal()
    showed_up = {day.toordinal() for day in days if day < until}
    if since is None:
        if not showed_up:
            return None
        since = Progress(score=0.0, cursor=max(min(showed_up), end - 1 - horizon(1.0)))
    m = multiplier(1.0)
    score, cursor = since.score, since.cursor
    for ordinal in sorted(day for day in showed_up if day >= cursor):
        score *= m ** (ordinal - cursor)  # the days without a win in between
        score = score * m + (1 - m)
        cursor = ordinal + 1
    return Progress(score=score, cursor=cursor)


def step_momentum(
    days: Iterable[date], today: date, weekly_target: int | None, since: Progress | None = None
) -> int | None:
    """Return a step's momentum (0–100) as of ``today``, or None without a target or a win.

    ``days`` are the dates with a win of the step or of any smaller step under it. Each
    day's input is ``min(1, n / 2k)``, ``n`` being the distinct dates with a win in the
    14 days ending that day: Loop doubles the window to smooth out irregular weeks.
    With ``since`` (from ``step_progress``), ``days`` hold only the days from its cursor on.
    """
    if weekly_target is None:
        return None
    progress = step_progress(days, today + timedelta(days=1), weekly_target, since)
    return None if progress is None else as_percentage(progress.score)


def step_progress(
    days: Iterable[date], until: date, weekly_target: int, since: Progress | None = None
) -> Progress | None:
    """Apply every day before ``until`` to a step's score, after ``since``."""
    if weekly_target not in WEEKLY_TARGETS:
        raise ValueError("a weekly target is 1 to 7 days")
    end = until.toordinal()
    showed_up = {day.toordinal() for day in days if day < until}
    frequency = weekly_target / 7
    if since is None:
        if not showed_up:
            return None
        start = max(min(showed_up), end - 1 - horizon(frequency))
        before = range(start - STEP_WINDOW_DAYS + 1, start)
        window = bytes(ordinal in showed_up for ordinal in before)
        since = Progress(score=0.0, cursor=start, window=window)
    m = multiplier(frequency)
    # One byte per day, from the first day of the cursor's 14-day window to ``until``.
    first = since.cursor - STEP_WINDOW_DAYS + 1
    won = bytearray(since.window) + bytearray(max(0, end - since.cursor))
    for ordinal in showed_up:
        if ordinal >= since.cursor:
            won[ordinal - first] = 1
    window_target = 2 * weekly_target
    in_window = sum(won[: STEP_WINDOW_DAYS - 1])
    score = since.score
    for index in range(STEP_WINDOW_DAYS - 1, len(won)):
        in_window += won[index]
        x = in_window / window_target if in_window < window_target else 1.0
        score = score * m + x * (1 - m)
        in_window -= won[index - STEP_WINDOW_DAYS + 1]
    window = bytes(won[1 - STEP_WINDOW_DAYS :])
    return Progress(score=score, cursor=first + len(won), window=window)


def days_lately(days: Iterable[date], today: date) -> int:
    """Return how many of the ``STEP_WINDOW_DAYS`` days ending ``today`` have a win."""
    first = today - timedelta(days=STEP_WINDOW_DAYS - 1)
    return sum(1 for day in set(days) if first <= day <= today)


class Words(Protocol):
    """Where a sentence's words come from: gettext and ngettext, as Flask-Babel has them."""

    def gettext(self, string: str, **variables: Any) -> str: ...  # noqa: D102

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str: ...  # noqa: D102


class SourceWords:
    """The English the sentences are written in, as gettext gives it without a catalog."""

    @staticmethod
    def gettext(string: str, **variables: Any) -> str:
        """Return the text, its %(name)s placeholders filled in."""
        return string % variables if variables else string

    @staticmethod
    def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
        """Return the singular for one and the plural otherwise, %(num)d and the rest filled in."""
        return (singular if num == 1 else plural) % {"num": num, **variables}


SOURCE_WORDS = SourceWords()


def explain_momentum(
    score: int | None,
    *,
    weekly_target: int | None = None,
    days_lately: int | None = None,
    words: Words = SOURCE_WORDS,
) -> str:
    """Put a momentum score into one short, warm sentence.

    Overall momentum reads as roughly ``score / 20`` days in 5. A step's momentum measures
    how much of its weekly target was met, so with ``weekly_target`` it reads as roughly
    ``score · k / 100`` of its ``k`` days a week. Low scores never read as failure.
    A score fades slowly, so with ``days_lately`` (the days with a win in the last 14)
    at 0 the sentence says the quiet is fine instead of a rhythm that is no longer true.

    The sentences are marked for the catalog; ``words`` translates them (the domain imports
    no Flask: a page passes Flask-Babel, ``services.lookback.said.explain_momentum`` does).
    Without it they read in English, the source language.
    """
    if score is None:
        return words.gettext("Log a win to start your momentum.")
    if not 0 <= score <= 100:
        raise ValueError("momentum is 0 to 100")
    if days_lately == 0:
        # Translators: momentum after two weeks without a win: rest is fine, never a failure.
        return words.gettext(
            "Quiet for a couple of weeks, and that's okay. It's here whenever you're ready."
        )
    if weekly_target is None:
        in_five = (score + 10) // 20
        if in_five == 0:
            return words.gettext("A gentle start — every day you show up lifts it.")
        if in_five == 5:
            return words.gettext("Just about every day lately.")
        if in_five == 1:
            # Translators: how often the person showed up lately, "%(num)d" of every 5 days.
            return words.ngettext(
                "About %(num)d day in 5 lately — every day you show up lifts it.",
                "About %(num)d days in 5 lately — every day you show up lifts it.",
                in_five,
            )
        return words.ngettext(
            "About %(num)d day in 5 lately.", "About %(num)d days in 5 lately.", in_five
        )
    if weekly_target not in WEEKLY_TARGETS:
        raise ValueError("a weekly target is 1 to 7 days")
    per_week = (score * weekly_target + 50) // 100
    if per_week == 0:
        return words.gettext("A gentle start — every day you show up lifts it.")
    if per_week == weekly_target:
        # Translators: a step's rhythm: the days a week the person set out to do it.
        return words.ngettext(
            "Right on your rhythm of %(num)d day a week lately.",
            "Right on your rhythm of %(num)d days a week lately.",
            weekly_target,
        )
    if score < 30:
        # Translators: %(count)s of the %(num)d days a week the person set out to do a step.
        return words.ngettext(
            "About %(count)s of your %(num)d day a week lately — every day you show up lifts it.",
            "About %(count)s of your %(num)d days a week lately — every day you show up lifts it.",
            weekly_target,
            count=per_week,
        )
    # Translators: %(count)s of the %(num)d days a week the person set out to do a step.
    return words.ngettext(
        "About %(count)s of your %(num)d day a week lately.",
        "About %(count)s of your %(num)d days a week lately.",
        weekly_target,
        count=per_week,
    )
