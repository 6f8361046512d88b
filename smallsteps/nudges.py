"""Nudge pages: the plan and devices at /settings/nudges, and the one-tap low-capacity day."""

from babel import Locale
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from . import i18n
from .domain.nudges import MAX_TIMES
from .services.accounts import today_for
from .services.nudges import plans, subscriptions

bp = Blueprint("nudges", __name__)


def plan_from_form(form) -> tuple[dict, dict[str, str]]:
    """Read the plan form into the API's shape; note what cannot be read."""
    errors: dict[str, str] = {}
    times = []
    for raw in form.getlist("times"):
        raw = raw.strip()
        # Some browsers send seconds with a time input; a nudge needs minutes only.
        times.append(raw[:5] if len(raw) == 8 and raw.endswith(":00") else raw)
    weekdays = []
    for raw in form.getlist("weekdays"):
        if raw.isdigit():
            weekdays.append(int(raw))
        else:
            errors["weekdays"] = _("Pick days from the list.")
    start, end = form.get("quiet_start", "").strip()[:5], form.get("quiet_end", "").strip()[:5]
    quiet = {"start": start, "end": end} if start or end else None
    if bool(start) != bool(end):
        errors["quiet_hours"] = _("Give quiet hours a start and an end, or leave both empty.")
    weekly = None
    if form.get("weekly_on") == "on":
        day, at = form.get("weekly_day", ""), form.get("weekly_time", "").strip()
        weekly = {"weekday": int(day) if day.isdigit() else day, "time": at[:5]}
    data = {
        "weekly": weekly,
        "enabled": form.get("enabled") == "on",
        "times": [moment for moment in times if moment],
        "weekdays": weekdays,
        "quiet_hours": quiet,
        "only_if_no_win_today": form.get("only_if_no_win_today") == "on",
    }
    return data, errors


EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
WEEKDAYS = [0, 1, 2, 3, 4]


def weekday_names(context: str = "stand-alone", width: str = "wide") -> list[str]:
    """Return the weekdays' names in the reader's language, Monday first."""
    days = (get_locale() or Locale.parse(i18n.SOURCE_LANGUAGE)).days[context][width]
    return [days[day] for day in range(7)]


def plan_days(plan: dict) -> list[int]:
    """Return the plan's weekdays that name a day (a form may hold others), in order."""
    return sorted({day for day in plan["weekdays"] if day in range(7)})


def listed(items) -> str:
    """Return items as a list the way the reader's language writes one."""
    # Translators: what goes between the items of a list, like “Walk, Call my sister”.
    return _(", ").join(items)


def when_said(plan: dict) -> str:
    """Return "every day at 20:00" or "on Monday, Friday at 08:00, 19:30"."""
    times = listed(plan["times"])
    if plan_days(plan) == EVERY_DAY:
        return _("every day at %(times)s", times=times)
    if plan_days(plan) == WEEKDAYS:
        return _("on weekdays at %(times)s", times=times)
    names = weekday_names("format")
    # Translators: when nudges come: %(days)s like “Monday, Friday”, %(times)s like “08:00, 19:30”.
    return _(
        "on %(days)s at %(times)s",
        days=listed(names[day] for day in plan_days(plan)),
        times=times,
    )


def nudge_status(plan: dict, devices: list) -> str:
    """Say, truthfully, whether nudges reach anyone: the plan and the devices together."""
    if not plan["enabled"]:
        return _("Nudges are off.")
    if not devices:
        return _("Your plan is on, but no device gets nudges yet. Turn them on here to get them.")
    times = listed(plan["times"])
    if plan_days(plan) == EVERY_DAY:
        return ngettext(
            "Nudges are on for %(num)d device, every day at %(times)s.",
            "Nudges are on for %(num)d devices, every day at %(times)s.",
            len(devices),
            times=times,
        )
    if plan_days(plan) == WEEKDAYS:
        return ngettext(
            "Nudges are on for %(num)d device, on weekdays at %(times)s.",
            "Nudges are on for %(num)d devices, on weekdays at %(times)s.",
            len(devices),
            times=times,
        )
    names = weekday_names("format")
    # Translators: %(days)s like “Monday, Friday”, %(times)s like “08:00, 19:30”.
    return ngettext(
        "Nudges are on for %(num)d device, on %(days)s at %(times)s.",
        "Nudges are on for %(num)d devices, on %(days)s at %(times)s.",
        len(devices),
        days=listed(names[day] for day in plan_days(plan)),
        times=times,
    )


def render_nudges(plan: dict, errors: dict[str, str], status: int = 200):
    """Render the nudges page with a plan (saved or as typed) and any messages."""
    devices = subscriptions.devices_of(current_user)
    return (
        render_template(
            "nudges/plan.html",
            plan=plan,
            errors=errors,
            time_slots=(plan["times"] + [""] * MAX_TIMES)[:MAX_TIMES],
            weekday_names=weekday_names(),
            weekday_short=weekday_names(width="abbreviated"),
            status=nudge_status(plan, devices),
            when_said=when_said(plan),
            today=today_for(current_user),
            devices=devices,
            device_name=subscriptions.device_name,
            resting=plans.resting(current_user),
        ),
        status,
    )


@bp.get("/settings/nudges")
@login_required
def edit_plan():
    """Show what nudges are, the plan, and the devices that get them."""
    return render_nudges(plans.as_json(plans.plan_of(current_user)), {})


@bp.post("/settings/nudges")
@login_required
def save_plan():
    """Save the plan from the form; nonsense is refused with a clear message."""
    data, errors = plan_from_form(request.form)
    current = plans.as_json(plans.plan_of(current_user))
    plan, problems = plans.validate({k: v for k, v in data.items() if k not in errors}, current)
    errors = {**problems, **errors}
    if errors:
        return render_nudges({**plan, **data}, errors, 400)
    plans.save(current_user, plan)
    flash(_("Nudge plan saved.") if plan["enabled"] else _("Nudges are off."), "info")
    return redirect(url_for("nudges.edit_plan"))


@bp.post("/settings/nudges/switch")
@login_required
def switch():
    """Turn the plan on or off as it stands; on a device, nudges.js subscribes it first."""
    plan = plans.as_json(plans.plan_of(current_user))
    plans.save(current_user, {**plan, "enabled": request.form.get("on") == "1"})
    if request.form.get("on") == "1":
        flash(_("Nudges are on. They reach each device you turn them on for."), "info")
    else:
        flash(_("Nudges are off."), "info")
    return redirect(url_for("nudges.edit_plan"))


@bp.post("/settings/nudges/devices/<int:device_id>/remove")
@login_required
def remove_device(device_id: int):
    """Stop nudges to one of the person's devices."""
    if not subscriptions.remove(current_user, device_id=device_id):
        abort(404)
    flash(_("Removed. That device won't get nudges any more."), "info")
    return redirect(url_for("nudges.edit_plan"))


@bp.post("/today/low-capacity")
@login_required
def low_capacity():
    """Mark today as a low-capacity day (or undo it) with one tap."""
    on = request.form.get("on") == "1"
    plans.set_low_capacity(current_user, on)
    if on:
        flash(
            _("A gentle day. Nudges are quiet today, and your smallest steps come first."), "info"
        )
    else:
        flash(_("Back to your usual day."), "info")
    return redirect(url_for("wins.today"))


@bp.app_context_processor
def low_capacity_helpers():
    """Let Today ask about the low-capacity day without wins.py knowing about nudges."""
    return {"low_capacity_day": low_capacity_view}


def low_capacity_view() -> dict | None:
    """Return what Today shows for a low-capacity day: whether it is one and the smallest steps."""
    if not current_user.is_authenticated:
        return None
    active = plans.is_low_capacity_day(current_user)
    return {
        "active": active,
        "day": today_for(current_user).isoformat(),
        "steps": plans.smallest_steps(current_user) if active else [],
        "resting": plans.resting(current_user),
    }
