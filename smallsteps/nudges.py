"""Nudge pages: the plan and devices at /settings/nudges, and the one-tap low-capacity day."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .domain.nudges import MAX_TIMES
from .domain.words import plural
from .services.accounts import WEEKDAY_NAMES, today_for
from .services.nudges import plans, subscriptions
from .services.nudges.plans import weekday_names

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
            errors["weekdays"] = "Pick days from the list."
    start, end = form.get("quiet_start", "").strip()[:5], form.get("quiet_end", "").strip()[:5]
    quiet = {"start": start, "end": end} if start or end else None
    if bool(start) != bool(end):
        errors["quiet_hours"] = "Give quiet hours a start and an end, or leave both empty."
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


def when_said(plan: dict) -> str:
    """Return "every day at 20:00" or "on Monday, Friday at 08:00, 19:30"."""
    return f"{weekday_names(plan['weekdays'])} at {', '.join(plan['times'])}"


def nudge_status(plan: dict, devices: list) -> str:
    """Say, truthfully, whether nudges reach anyone: the plan and the devices together."""
    if not plan["enabled"]:
        return "Nudges are off."
    if not devices:
        return "Your plan is on, but no device gets nudges yet. Turn them on here to get them."
    return f"Nudges are on for {plural(len(devices), 'device')}, {when_said(plan)}."


def render_nudges(plan: dict, errors: dict[str, str], status: int = 200):
    """Render the nudges page with a plan (saved or as typed) and any messages."""
    devices = subscriptions.devices_of(current_user)
    return (
        render_template(
            "nudges/plan.html",
            plan=plan,
            errors=errors,
            time_slots=(plan["times"] + [""] * MAX_TIMES)[:MAX_TIMES],
            weekday_names=WEEKDAY_NAMES,
            status=nudge_status(plan, devices),
            when_said=when_said(plan),
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
    flash("Nudge plan saved." if plan["enabled"] else "Nudges are off.", "info")
    return redirect(url_for("nudges.edit_plan"))


@bp.post("/settings/nudges/switch")
@login_required
def switch():
    """Turn the plan on or off as it stands; on a device, nudges.js subscribes it first."""
    plan = plans.as_json(plans.plan_of(current_user))
    plans.save(current_user, {**plan, "enabled": request.form.get("on") == "1"})
    if request.form.get("on") == "1":
        flash("Nudges are on. They reach each device you turn them on for.", "info")
    else:
        flash("Nudges are off.", "info")
    return redirect(url_for("nudges.edit_plan"))


@bp.post("/settings/nudges/devices/<int:device_id>/remove")
@login_required
def remove_device(device_id: int):
    """Stop nudges to one of the person's devices."""
    if not subscriptions.remove(current_user, device_id=device_id):
        abort(404)
    flash("Removed. That device won't get nudges any more.", "info")
    return redirect(url_for("nudges.edit_plan"))


@bp.post("/today/low-capacity")
@login_required
def low_capacity():
    """Mark today as a low-capacity day (or undo it) with one tap."""
    on = request.form.get("on") == "1"
    plans.set_low_capacity(current_user, on)
    if on:
        flash("A gentle day. Nudges are quiet today, and your smallest steps come first.", "info")
    else:
        flash("Back to your usual day.", "info")
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
