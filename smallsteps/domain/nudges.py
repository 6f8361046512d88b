"""Nudge timing: when a person's slots fall due, which one to send, and what it says.

A slot is one planned local time on one local date in the person's time zone. It falls
due at that wall time; a time that spring-forward skips falls due at the first instant
after the gap, and a time the autumn repeats falls due at its first occurrence only.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from .text import N_

MAX_TIMES = 3
WEEKDAYS = range(7)
# A week of unanswered nudges, then one every few days until the person comes back.
RESTING_AFTER_DAYS = 7
RESTING_EVERY_DAYS = 3
LOOK_AHEAD_DAYS = 8

SEND = "sent"
LATE = "late"
SUPERSEDED = "superseded"
QUIET = "quiet"
LOW_CAPACITY = "low_capacity"
LOGGED = "logged"
RESTING = "resting"

# The brand, the same in every language.
TITLE = "Small Steps"
# The nudges' words, marked for the catalog: the dispatcher translates each into the
# language of the person it goes to (services/nudges/claims.py).
MESSAGES = (
    # Translators: a nudge, shown as a phone notification: short, kind, never pushy.
    N_("What's one small win from today?"),
    N_("Even a tiny step counts. Anything to log?"),
    N_("Did something kind for yourself today? That counts too."),
    N_("A moment to notice one thing that went okay today?"),
    N_("Rest counts as a win. Anything you'd like to note?"),
    N_("One small thing you did today: want to keep it?"),
    N_("Showing up looks different every day. What did it look like today?"),
)
# The weekly reflection's nudge: one message, never about streaks or what was missed.
# Translators: a weekly notification that opens the week's reflection.
WEEKLY_MESSAGE = N_("Your week in small steps is ready to look back on.")
RESTING_MESSAGES = (
    # Translators: a nudge after a week of quiet: nothing to catch up on, no pressure at all.
    N_("Still here whenever you want. Nothing to catch up on."),
    N_("No pressure at all. If a small win comes to mind, it's welcome here."),
    N_("Whenever you're ready, one tiny step is plenty."),
)


@dataclass(frozen=True)
class QuietHours:
    """A stretch of the day with no nudges; it may run past midnight."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        """Tell whether a wall time falls inside the quiet hours."""
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(frozen=True)
class Rule:
    """When a person wants nudges: local times, weekdays (0 = Monday) and quiet hours."""

    times: tuple[time, ...]
    weekdays: frozenset[int]
    quiet: QuietHours | None = None


@dataclass(frozen=True)
class Slot:
    """One planned nudge: a local date and time, and the UTC instant it falls due."""

    local_date: date
    local_time: time
    due_at: datetime


@dataclass(frozen=True)
class Situation:
    """What the dispatcher knows about a person at the moment a slot is decided."""

    today: date
    wall_time: time
    last_win_on: date | None = None
    low_capacity_on: date | None = None
    only_if_no_win_today: bool = True
    nudged_since: date | None = None
    last_sent_on: date | None = None


def due_instant(day: date, at: time, zone: tzinfo) -> datetime:
    """Return the UTC instant a local wall time falls due in a zone."""
    wall = datetime.combine(day, at)
    # fold=0 is the first occurrence of a repeated time.
    instant = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall:
        return instant
    return _end_of_gap(wall, zone)


def _end_of_gap(wall: datetime, zone: tzinfo) -> datetime:
    """Return the first instant after the spring-forward gap a wall time falls into."""
    early = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    late = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    offset_after = late.astimezone(zone).utcoffset()
    # The transition lies in (early, late]; zones change offset on a whole second.
    low, high = int(early.timestamp()), int(late.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(zone).utcoffset() == offset_after:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


@lru_cache(maxsize=4096)
def slots_on(rule: Rule, day: date, zone: tzinfo) -> tuple[Slot, ...]:
    """Return one local date's slots, earliest first; two that fall due together count once.

    Cached: many people share a zone and a time, and a dispatcher asks about the same days.
    """
    if day.weekday() not in rule.weekdays:
        return ()
    slots: list[Slot] = []
    for at in sorted(set(rule.times)):
        due_at = due_instant(day, at, zone)
        if slots and slots[-1].due_at >= due_at:
            continue
        slots.append(Slot(day, at, due_at))
    return tuple(slots)


def slots_between(rule: Rule, zone: tzinfo, start: datetime, end: datetime) -> list[Slot]:
    """Return the slots due in (start, end], earliest first, looking back at most a week."""
    start = max(start, end - timedelta(days=LOOK_AHEAD_DAYS))
    day = start.astimezone(zone).date() - timedelta(days=1)
    last_day = end.astimezone(zone).date() + timedelta(days=1)
    found: list[Slot] = []
    while day <= last_day:
        found.extend(slot for slot in slots_on(rule, day, zone) if start < slot.due_at <= end)
        day += timedelta(days=1)
    return found


def next_slot(rule: Rule, zone: tzinfo, after: datetime) -> Slot | None:
    """Return the first slot due after an instant, or None when the rule has no slots."""
    if not rule.times or not rule.weekdays:
        return None
    day = after.astimezone(zone).date() - timedelta(days=1)
    for _ in range(LOOK_AHEAD_DAYS + 2):
        for slot in slots_on(rule, day, zone):
            if slot.due_at > after:
                return slot
        day += timedelta(days=1)
    return None


def sort_due(slots: Iterable[Slot], now: datetime, max_lateness: timedelta) -> list[tuple]:
    """Pair each due slot with LATE, SUPERSEDED or None (the one slot still to decide).

    A slot more than ``max_lateness`` behind is dropped: no 3 a.m. nudge after an outage.
    Of the slots still on time only the latest is sent; the others are superseded by it.
    """
    ordered = sorted(slots, key=lambda slot: slot.due_at)
    on_time = [slot for slot in ordered if now - slot.due_at <= max_lateness]
    last = on_time[-1] if on_time else None
    return [
        (slot, None if slot is last else (SUPERSEDED if slot in on_time else LATE))
        for slot in ordered
    ]


def is_resting(nudged_since: date | None, last_win_on: date | None, today: date) -> bool:
    """Tell whether a week of nudges has passed with nothing logged, so nudges come less often."""
    if nudged_since is None or came_back(nudged_since, last_win_on):
        return False
    return (today - nudged_since).days >= RESTING_AFTER_DAYS


def came_back(nudged_since: date | None, last_win_on: date | None) -> bool:
    """Tell whether the person logged something since the nudges started going unanswered."""
    return nudged_since is not None and last_win_on is not None and last_win_on >= nudged_since


def verdict(situation: Situation, quiet: QuietHours | None) -> str:
    """Decide what happens to the slot being sent now: SEND, or why it stays quiet."""
    if quiet is not None and quiet.contains(situation.wall_time):
        return QUIET
    if situation.low_capacity_on == situation.today:
        return LOW_CAPACITY
    logged_today = situation.last_win_on is not None and situation.last_win_on >= situation.today
    if situation.only_if_no_win_today and logged_today:
        return LOGGED
    if is_resting(situation.nudged_since, situation.last_win_on, situation.today):
        last = situation.last_sent_on
        if last is not None and (situation.today - last).days < RESTING_EVERY_DAYS:
            return RESTING
    return SEND


def weekly_verdict(situation: Situation, quiet: QuietHours | None) -> str:
    """Decide the weekly reflection's nudge: quiet hours and a low-capacity day hold it back."""
    if quiet is not None and quiet.contains(situation.wall_time):
        return QUIET
    if situation.low_capacity_on == situation.today:
        return LOW_CAPACITY
    return SEND


def without_clashes(daily: list[Slot], weekly: list[Slot]) -> list[Slot]:
    """Return the daily slots that do not fall on a weekly one (one nudge, not two)."""
    taken = {(slot.local_date, slot.local_time) for slot in weekly}
    return [slot for slot in daily if (slot.local_date, slot.local_time) not in taken]


def nudged_since_after_send(
    nudged_since: date | None, last_win_on: date | None, today: date
) -> date:
    """Return the first day of the current run of unanswered nudges, once one more is sent."""
    if nudged_since is None or came_back(nudged_since, last_win_on):
        return today
    return nudged_since


def message_for(user_id: int, slot: Slot, resting: bool = False) -> str:
    """Pick a kind line for a slot; it changes from one day and one slot to the next."""
    lines = RESTING_MESSAGES if resting else MESSAGES
    turn = slot.local_date.toordinal() + user_id + slot.local_time.hour
    return lines[turn % len(lines)]
