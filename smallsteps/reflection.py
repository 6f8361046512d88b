"""The weekly reflection: three questions, one at a time, each beside its evidence."""

import uuid
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from .domain.changes import ANSWER_MAX, QUESTIONS
from .domain.days import EARLIEST_DAY, iso_date
from .domain.text import unstorable
from .services import reflections

bp = Blueprint("reflection", __name__)

# Translators: said after a weekly reflection is saved.
THANKS = _l("Kept. Looking back is a small step too.")


def asked_week(raw: str) -> date:
    """Return the week a reflection page is for, or answer 404 for one it can't be."""
    week = iso_date(raw)
    this_week, last_week = reflections.open_weeks(current_user)
    if week is None or week.weekday() != current_user.week_start:
        abort(404)
    if not EARLIEST_DAY <= week <= this_week:
        abort(404)
    if week < last_week and reflections.of_week(current_user, week) is None:
        abort(404)  # a week long closed, never written: nothing to edit
    return week


@bp.get("/reflect")
@login_required
def this_week():
    """Open this week's reflection."""
    week = reflections.week_of(current_user)
    return redirect(url_for("reflection.week", week=week.isoformat()))


def listed(items) -> Markup:
    """Return a few of the person's own words as a list, the way their language writes one.

    Each item is escaped, unless it is markup already: a title set apart with `| bdi`.
    """
    # Translators: what goes between the items of a list, like “Walk, Call my sister”.
    return escape(_(", ")).join(items)


def render_week(week: date, given: dict[str, str] | None = None, errors=None, status=200):
    """Render a week's reflection: the questions, the evidence, the answers so far."""
    kept = reflections.of_week(current_user, week)
    evidence = reflections.evidence(current_user, week)
    return (
        render_template(
            "reflection/week.html",
            week=week,
            kept=kept,
            reflection_id=str(kept.id if kept else uuid.uuid4()),
            answers=given or reflections.answers(kept),
            asked={key: str(question) for key, question in reflections.ASKED.items()},
            evidence=evidence,
            compared=reflections.compared(evidence),
            errors=errors or {},
            most=ANSWER_MAX,
            listed=listed,
        ),
        status,
    )


@bp.get("/reflect/<week>")
@login_required
def week(week: str):
    """Show a week's reflection, answered or not."""
    return render_week(asked_week(week))


@bp.post("/reflect/<week>")
@login_required
def save(week: str):
    """Keep the answers; every one may be left empty."""
    when = asked_week(week)
    given = {key: request.form.get(key, "") for key in QUESTIONS}
    errors = {
        key: _("Keep it to %(limit)s characters.", limit=format_number(ANSWER_MAX))
        for key, value in given.items()
        if len(value.strip()) > ANSWER_MAX
    }
    errors.update(
        {
            key: _("Use letters, numbers and punctuation.")
            for key, v in given.items()
            if unstorable(v)
        }
    )
    if errors:
        return render_week(when, given, errors, 400)
    reflections.save(current_user, when, given)
    flash(str(THANKS), "celebrate")
    return redirect(url_for("reflection.week", week=when.isoformat()))
