"""Look back over JSON: the summary of streaks, momentum, look-back and heatmap as of a day."""

from datetime import date, timedelta

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.days import EARLIEST_DAY, iso_date
from ..errors import ApiProblem
from ..services import accounts
from ..services.lookback import Summary, summarize
from ..services.lookback.kept import summary_body
from . import bp


def parse_as_of(raw: str | None, today: date) -> date:
    """Return the day asked about: today when absent, else a plausible YYYY-MM-DD."""
    if raw is None:
        return today
    as_of = iso_date(raw)
    if as_of is None:
        # Translators: for the API's users: a date written YYYY-MM-DD, kept as it is.
        raise ApiProblem(400, "invalid as_of", _("Use a date like 2026-11-22."))
    # A device a zone ahead of the profile may already live tomorrow; no win is older than 2000.
    if not EARLIEST_DAY <= as_of <= today + timedelta(days=1):
        detail = _(
            "Use a date from %(first)s to %(last)s.",
            first=EARLIEST_DAY.isoformat(),
            last=today.isoformat(),
        )
        raise ApiProblem(400, "as_of out of range", detail)
    return as_of


@bp.get("/summary")
@login_required
def summary():
    """Return the person's summary as of ?as_of=YYYY-MM-DD, today by default."""
    user = current_user._get_current_object()
    as_of = parse_as_of(request.args.get("as_of"), accounts.today_for(user))
    body = summary_body(user, as_of, lambda: summary_json(summarize(user, as_of)))
    return current_app.response_class(body, mimetype="application/json")


def summary_json(result: Summary) -> dict:
    """Return a summary in the API's shape."""
    look = result.look

    def window(span):
        return {"wins": span.wins, "days": span.days}

    first_win = look.since_start.first_win
    return {
        "as_of": result.as_of.isoformat(),
        "streak": {
            "current": result.streak.current,
            "longest": result.streak.longest,
            "grace": result.streak.grace,
        },
        "momentum": result.momentum,
        "last_7_days": window(look.last_7_days),
        "previous_7_days": window(look.previous_7_days),
        "now": window(look.now),
        "six_months_ago": window(look.six_months_ago),
        "new_since_then": [
            {"id": str(step.id), "title": step.title} for step in result.new_since_then
        ],
        "since_start": {
            "first_win": first_win.isoformat() if first_win else None,
            "wins": look.since_start.wins,
            "days": look.since_start.days,
        },
        "milestones": [{"count": n, "date": day.isoformat()} for n, day in look.milestones],
        "heatmap": {"start": look.heatmap_start.isoformat(), "counts": look.heatmap_counts},
        "steps": [
            {
                "id": str(step.id),
                "title": step.title,
                "weekly_target": step.weekly_target,
                "weekly_streak": step.weekly_streak,
                "momentum": step.momentum,
            }
            for step in result.steps
        ],
    }
