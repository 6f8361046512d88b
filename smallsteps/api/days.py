"""Low-capacity days over JSON: set or end one local date, list those set in a range."""

from datetime import date, timedelta

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.days import EARLIEST_DAY, iso_date
from ..errors import ApiProblem
from ..services.accounts import today_for
from ..services.nudges import plans
from . import bp, json_object


def parse_day(raw: str | None, name: str) -> date:
    """Return the YYYY-MM-DD date in `raw`, or refuse the request naming the field."""
    day = iso_date(raw)
    if day is None:
        raise ApiProblem(400, f"invalid {name}", _("Use a date like 2026-11-22."))
    return day


def settable_day(raw: str) -> date:
    """Return a day a person may mark: from 2000 to tomorrow, as a zone ahead may live it."""
    day = parse_day(raw, "date")
    latest = today_for(current_user) + timedelta(days=1)
    if not EARLIEST_DAY <= day <= latest:
        detail = _(
            "Use a date from %(first)s to %(last)s.",
            first=EARLIEST_DAY.isoformat(),
            last=latest.isoformat(),
        )
        raise ApiProblem(400, "date out of range", detail)
    return day


@bp.get("/days")
@login_required
def list_days():
    """Return the low-capacity days set from ?from= to ?to=, both included."""
    first = parse_day(request.args.get("from"), "from")
    last = parse_day(request.args.get("to"), "to")
    if first > last:
        raise ApiProblem(400, "invalid range", _("`from` must not be after `to`."))
    days = plans.low_capacity_days(current_user, first, last)
    return jsonify({"days": [{"date": day.isoformat(), "low_capacity": True} for day in days]})


@bp.put("/days/<day>")
@login_required
def put_day(day: str):
    """Make a local date a low-capacity day, or end it; the same request twice is a no-op."""
    on = json_object().get("low_capacity")
    when = settable_day(day)
    if not isinstance(on, bool):
        raise ApiProblem(400, "invalid day", {"low_capacity": _("Send true or false.")})
    plans.set_low_capacity_on(current_user, when, on)
    active = plans.is_low_capacity_on(current_user, when)
    return jsonify({"date": when.isoformat(), "low_capacity": active})
