"""A person's nudge plan: checking it, saving it, and the one-tap low-capacity day."""

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...domain.nudges import MAX_TIMES, QuietHours, Rule, is_resting, next_slot
from ...extensions import db
from ...models import Goal, LowCapacityDay, NudgePlan, Step, User, Win, utcnow
from .. import records
from ..accounts import today_for

DEFAULT_PLAN: dict[str, Any] = {
    "enabled": False,
    "times": ["20:00"],
    "weekdays": [0, 1, 2, 3, 4, 5, 6],
    "quiet_hours": {"start": "22:00", "end": "08:00"},
    "only_if_no_win_today": True,
    "weekly": None,
}
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def plan_of(user: User) -> NudgePlan | None:
    """Return the person's saved plan, if they ever saved one."""
    return db.session.get(NudgePlan, user.id)


def clock(moment: time) -> str:
    """Return a time of day as HH:MM."""
    return moment.strftime("%H:%M")


def parse_time(value: object) -> time | None:
    """Return the time a 24-hour "HH:MM" string names, or None."""
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    return time(int(match.group(1)), int(match.group(2))) if match else None


def as_json(plan: NudgePlan | None) -> dict[str, Any]:
    """Return the plan as the API shows it (the defaults when none was saved)."""
    if plan is None:
        return {**DEFAULT_PLAN, "weekdays": list(DEFAULT_PLAN["weekdays"])}
    quiet = None
    if plan.quiet_start is not None and plan.quiet_end is not None:
        quiet = {"start": clock(plan.quiet_start), "end": clock(plan.quiet_end)}
    return {
        "enabled": plan.enabled,
        "times": [part for part in plan.times.split(",") if part],
        "weekdays": [int(digit) for digit in plan.weekdays],
        "quiet_hours": quiet,
        "only_if_no_win_today": plan.only_if_no_win_today,
        "weekly": weekly_json(plan),
    }


def weekly_json(plan: Any) -> dict[str, Any] | None:
    """Return the weekly reflection's nudge as the API shows it, or None."""
    if plan.weekly_day is None or plan.weekly_time is None:
        return None
    return {"weekday": plan.weekly_day, "time": clock(plan.weekly_time)}


def rule_of(plan: Any) -> Rule:
    """Return the daily nudges' timing rule the domain reasons with (a plan or a claimed row)."""
    return _rule(plan.times, plan.weekdays, plan.quiet_start, plan.quiet_end)


def weekly_rule_of(plan: Any) -> Rule | None:
    """Return the weekly reflection nudge's rule, or None when there is none."""
    if plan.weekly_day is None or plan.weekly_time is None:
        return None
    return _rule(clock(plan.weekly_time), str(plan.weekly_day), plan.quiet_start, plan.quiet_end)


def next_due(plan: Any, zone: ZoneInfo, after: datetime) -> datetime | None:
    """Return when the plan's next nudge, daily or weekly, falls due after an instant."""
    rules = [rule_of(plan), weekly_rule_of(plan)]
    upcoming = [next_slot(rule, zone, after) for rule in rules if rule is not None]
    dues = [slot.due_at for slot in upcoming if slot is not None]
    return min(dues) if dues else None


@lru_cache(maxsize=1024)
def _rule(times: str, weekdays: str, quiet_start: time | None, quiet_end: time | None) -> Rule:
    moments = (parse_time(part) for part in times.split(",") if part)
    quiet = None
    if quiet_start is not None and quiet_end is not None:
        quiet = QuietHours(quiet_start, quiet_end)
    return Rule(
        times=tuple(moment for moment in moments if moment is not None),
        weekdays=frozenset(int(digit) for digit in weekdays),
        quiet=quiet,
    )


def _check_times(value: object) -> tuple[list[str] | None, str | None]:
    if not isinstance(value, list):
        # Translators: for the API's users: ["20:00"] is JSON, kept as it is.
        return None, _('Give the times as a list, like ["20:00"].')
    if len(value) > MAX_TIMES:
        return None, _("Pick up to %(most)s times a day.", most=MAX_TIMES)
    parsed = [parse_time(item) for item in value]
    for item, moment in zip(value, parsed, strict=True):
        if moment is None:
            # Translators: %(given)s is what was sent, quoted; HH:MM and 20:00 are kept as they are.
            return None, _(
                "%(given)s is not a time of day. Use 24-hour HH:MM, like 20:00.",
                given=repr(str(item)[:20]),
            )
    if len(set(parsed)) != len(parsed):
        return None, _("Each time only once, please.")
    return [clock(moment) for moment in sorted(parsed)], None


def _check_weekdays(value: object) -> tuple[list[int] | None, str | None]:
    if not isinstance(value, list) or not all(
        isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 6 for day in value
    ):
        return None, _("Weekdays are whole numbers from 0 (Monday) to 6 (Sunday).")
    if len(set(value)) != len(value):
        return None, _("Each weekday only once, please.")
    return sorted(value), None


def _check_quiet(value: object) -> tuple[dict | None, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict) or set(value) != {"start", "end"}:
        # Translators: for the API's users: the braces hold JSON, kept as it is.
        return None, _(
            'Quiet hours need a start and an end, like {"start": "22:00", "end": "08:00"}.'
        )
    start, end = parse_time(value["start"]), parse_time(value["end"])
    if start is None or end is None:
        return None, _("Quiet hours start and end at a 24-hour HH:MM time, like 22:00.")
    if start == end:
        return None, _("Quiet hours need a start and an end that differ.")
    return {"start": clock(start), "end": clock(end)}, None


def _check_weekly(value: object) -> tuple[dict | None, str | None]:
    if value is None:
        return None, None
    # Translators: for the API's users: null is JSON's word for none, kept as it is.
    wrong = _("Send null, or a weekday (0 = Monday … 6 = Sunday) and a time like 18:00.")
    if not isinstance(value, dict) or set(value) != {"weekday", "time"}:
        return None, wrong
    weekday, at = value["weekday"], parse_time(value["time"])
    if isinstance(weekday, bool) or not isinstance(weekday, int) or weekday not in range(7):
        return None, wrong
    if at is None:
        return None, wrong
    return {"weekday": weekday, "time": clock(at)}, None


def validate(
    data: Mapping[str, Any], current: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Merge a change into the current plan; return the plan and a message per bad field."""
    plan = dict(current)
    errors: dict[str, str] = {}
    checks = {
        "times": _check_times,
        "weekdays": _check_weekdays,
        "quiet_hours": _check_quiet,
        "weekly": _check_weekly,
    }
    for key, value in data.items():
        if key in checks:
            clean, message = checks[key](value)
        elif key in ("enabled", "only_if_no_win_today"):
            # Translators: true and false are JSON's words, kept as they are.
            clean, message = value, None if isinstance(value, bool) else _("Use true or false.")
        else:
            clean, message = None, _("This is not part of the nudge plan.")
        if message:
            errors[key] = message
        else:
            plan[key] = clean
    if errors:
        return plan, errors
    if plan["enabled"] and not plan["times"]:
        errors["times"] = _("Pick at least one time for your nudge.")
    if plan["enabled"] and not plan["weekdays"]:
        errors["weekdays"] = _("Pick at least one day for your nudges.")
    quiet = plan["quiet_hours"]
    if quiet is not None and "times" not in errors:
        hours = QuietHours(parse_time(quiet["start"]), parse_time(quiet["end"]))
        for moment in plan["times"]:
            if hours.contains(parse_time(moment)):
                errors["times"] = _(
                    "%(time)s falls in your quiet hours (%(start)s–%(end)s). "
                    "Pick another time or change the quiet hours.",
                    time=moment,
                    start=quiet["start"],
                    end=quiet["end"],
                )
                break
        weekly = plan.get("weekly")
        if weekly is not None and hours.contains(parse_time(weekly["time"])):
            errors["weekly"] = _(
                "%(time)s falls in your quiet hours (%(start)s–%(end)s). "
                "Pick another time for your weekly look back.",
                time=weekly["time"],
                start=quiet["start"],
                end=quiet["end"],
            )
    return plan, errors


def save(user: User, plan_data: Mapping[str, Any], now: datetime | None = None) -> NudgePlan:
    """Store a validated plan and schedule its next slot."""
    now = now or utcnow()
    plan = plan_of(user)
    if plan is None:
        plan = NudgePlan(user_id=user.id)
        db.session.add(plan)
    elif plan_data["enabled"] and not plan.enabled:
        plan.nudged_since = None  # turned back on: a fresh start, no resting
    quiet = plan_data["quiet_hours"]
    plan.enabled = plan_data["enabled"]
    plan.times = ",".join(plan_data["times"])
    plan.weekdays = "".join(str(day) for day in plan_data["weekdays"])
    plan.quiet_start = parse_time(quiet["start"]) if quiet else None
    plan.quiet_end = parse_time(quiet["end"]) if quiet else None
    plan.only_if_no_win_today = plan_data["only_if_no_win_today"]
    weekly = plan_data.get("weekly")
    plan.weekly_day = weekly["weekday"] if weekly else None
    plan.weekly_time = parse_time(weekly["time"]) if weekly else None
    plan.updated_at = now
    schedule(plan, user, now)
    db.session.commit()
    return plan


def schedule(plan: NudgePlan, user: User, now: datetime) -> None:
    """Point the plan at its next slot after `now` in the person's zone."""
    plan.zone = user.timezone
    plan.next_due_at = next_due(plan, ZoneInfo(user.timezone), now) if plan.enabled else None


def last_win_on(user: User) -> Any:
    """Return the local date of the person's latest live win, or None."""
    return db.session.scalar(
        select(func.max(Win.local_date)).where(Win.user_id == user.id, Win.deleted_at.is_(None))
    )


def resting(user: User, now: datetime | None = None) -> bool:
    """Tell whether nudges are resting: a week went by unanswered, so they come less often."""
    plan = plan_of(user)
    if plan is None or not plan.enabled:
        return False
    return is_resting(plan.nudged_since, last_win_on(user), today_for(user, now))


def is_low_capacity_day(user: User, now: datetime | None = None) -> bool:
    """Tell whether the person marked today as a low-capacity day."""
    return is_low_capacity_on(user, today_for(user, now))


def is_low_capacity_on(user: User, day: date) -> bool:
    """Tell whether the person marked one local date as a low-capacity day."""
    return db.session.get(LowCapacityDay, (user.id, day)) is not None


def set_low_capacity(user: User, on: bool, now: datetime | None = None) -> None:
    """Mark today as a low-capacity day, or take the mark away."""
    set_low_capacity_on(user, today_for(user, now), on)


def set_low_capacity_on(user: User, day: date, on: bool) -> None:
    """Make one local date a low-capacity day, or end it; the same call twice changes nothing."""
    marked = db.session.get(LowCapacityDay, (user.id, day))
    if on and marked is None:
        db.session.add(LowCapacityDay(user_id=user.id, day=day))
    elif not on and marked is not None:
        db.session.delete(marked)
    db.session.commit()


def low_capacity_days(user: User, first: date, last: date) -> list[date]:
    """Return the low-capacity days set from `first` to `last`, both included, in order."""
    return list(
        db.session.scalars(
            select(LowCapacityDay.day)
            .where(
                LowCapacityDay.user_id == user.id,
                LowCapacityDay.day >= first,
                LowCapacityDay.day <= last,
            )
            .order_by(LowCapacityDay.day)
        )
    )


def smallest_steps(user: User) -> list[tuple[Goal, Step]]:
    """Return the smallest step at the bottom of each ladder, goal by goal."""
    found = []
    for goal in records.goals_of(user):
        for rung in records.flatten(records.ladder(goal)):
            if not rung.smaller:
                found.append((goal, rung.step))
    return found
