"""The Look back page: how far you've come, drawn rather than listed."""

from datetime import timedelta

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from .domain.lookback import grid, next_milestone, quiet_lately, six_months_ago
from .domain.momentum import days_lately
from .services import accounts, reflections
from .services.lookback import energy, summarize, words_from_back_then
from .services.lookback.said import calendar_in_words, explain_momentum

bp = Blueprint("lookback", __name__)


@bp.get("/look-back")
@login_required
def show():
    """Show how far the person has come: the year, then and now, streak, momentum, goals."""
    today = accounts.today_for(current_user)
    result = summarize(current_user, today)
    weeks = energy.energy_by_week(current_user, today)
    return render_template(
        "lookback/show.html",
        summary=result,
        heat=calendar_in_words(
            grid.lay_out(result.counts, result.as_of, current_user.week_start, grid.YEAR)
        ),
        recent=calendar_in_words(
            grid.lay_out(result.counts, result.as_of, current_user.week_start, grid.RECENT)
        ),
        back_then=words_from_back_then(current_user.id, today),
        then_span=six_months_ago(today),
        next_milestone=next_milestone(result.look.since_start.wins),
        quiet_lately=quiet_lately(result.counts, result.as_of),
        show_streak=current_user.show_streak,
        explain=explain_momentum,
        days_lately=lambda days: days_lately(days, result.as_of),
        days_ago=lambda days: today - timedelta(days=days),
        this_week=reflections.week_of(current_user, today),
        energy=weeks,
        energy_words=energy.energy_in_words(weeks),
        reflected=reflections.recent(current_user),
    )
