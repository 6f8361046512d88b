"""The Today page: log a small win in seconds, see today's wins, edit or delete one."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .domain.changes import WIN_TEXT_MAX
from .domain.text import renderable
from .forms import WinForm, options
from .models import Step, Win
from .services import accounts, records

bp = Blueprint("wins", __name__)

SUGGESTIONS = (
    "Paused before reacting",
    "Asked for help",
    "Showed up even when I didn't feel like it",
    "Chose rest when my body needed it",
    "Wrote down one thought",
    "Took a deep breath instead of snapping",
    "Said no without guilt",
)
CELEBRATIONS = (
    "That counts. Well done.",
    "One more small step. Nice.",
    "You showed up for yourself.",
    "Noticed and kept. That matters.",
    "Small wins add up. This is one.",
)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def step_choices(user) -> list[tuple[str, str]]:
    """Return the person's steps as form choices, smaller steps under their step."""
    choices = [("", "No step")]
    for goal in records.goals_of(user):
        for rung in records.flatten(records.ladder(goal)):
            prefix = "\u2003" * rung.depth + ("\u21b3 " if rung.depth else "")
            choices.append((str(rung.step.id), f"{goal.title}: {prefix}{rung.step.title}"))
    return choices


def win_form(**kwargs) -> WinForm:
    """Return a win form whose step list is the signed-in person's."""
    form = WinForm(**kwargs)
    form.step_id.choices = options(*step_choices(current_user))
    return form


def device_time(raw: str | None, now: datetime) -> datetime | None:
    """Return the device's own timestamp if it is aware and plausible."""
    try:
        stamp = datetime.fromisoformat(raw or "")
    except ValueError:
        return None
    if stamp.tzinfo is None or not EARLIEST <= stamp <= now + timedelta(days=1):
        return None
    return stamp


def win_fields(form: WinForm) -> dict:
    """Return the win's fields from a validated form."""
    step = records.owned(Step, current_user, form.step_id.data) if form.step_id.data else None
    return {
        "text": form.text.data,
        "note": form.note.data or "",
        "energy": form.energy.data or None,
        "step_id": step.id if step is not None else None,
    }


def render_today(form: WinForm, status: int = 200):
    """Render Today with the form and today's wins."""
    day = accounts.today_for(current_user)
    wins = records.wins_on(current_user, day)
    steps = {step.id: step for step in records.steps_of(current_user)}
    return (
        render_template(
            "wins/today.html",
            form=form,
            day=day,
            wins=wins,
            steps=steps,
            suggestions=SUGGESTIONS,
            has_goals=bool(records.goals_of(current_user)),
        ),
        status,
    )


@bp.get("/")
@login_required
def today():
    """Show Today: the log form first, then today's wins."""
    return render_today(win_form())


def shared_text(title: str, text: str, link: str) -> str:
    """Return what another app shared as a win's words, trimmed to fit; the person confirms."""
    words = " ".join(part.strip() for part in (text or title, link) if part and part.strip())
    return renderable(" ".join(words.split()))[:WIN_TEXT_MAX]


@bp.get("/share")
@login_required
def share():
    """Open Today with text shared from another app in the log field, ready to confirm."""
    args = request.args
    form = win_form(
        text=shared_text(args.get("title", ""), args.get("text", ""), args.get("url", ""))
    )
    if form.text.data:
        flash("Shared with Small Steps. Change it if you like, then log it.", "info")
    return render_today(form)


@bp.post("/wins")
@login_required
def create():
    """Log a win from the form."""
    form = win_form()
    if not form.validate_on_submit():
        return render_today(form, 400)
    now = datetime.now(UTC)
    occurred_at = device_time(form.occurred_at.data, now) or now.astimezone(
        ZoneInfo(current_user.timezone)
    )
    records.log_win(current_user, occurred_at, **win_fields(form))
    count = len(records.wins_on(current_user, accounts.today_for(current_user)))
    flash(CELEBRATIONS[(count - 1) % len(CELEBRATIONS)], "celebrate")
    return redirect(url_for("wins.today"))


def owned_win(win_id: str) -> Win:
    """Return the signed-in person's win, or answer 404."""
    win = records.owned(Win, current_user, win_id)
    if win is None:
        abort(404)
    return win


@bp.route("/wins/<win_id>/edit", methods=["GET", "POST"])
@login_required
def edit(win_id):
    """Change a win's words, step, energy or note."""
    win = owned_win(win_id)
    current = {
        "text": win.text,
        "note": win.note,
        "energy": win.energy or "",
        "step_id": str(win.step_id) if win.step_id else "",
    }
    form = win_form(data=current)
    if form.validate_on_submit():
        records.edit(win, **win_fields(form))
        flash("Saved.", "info")
        return redirect(url_for("wins.today"))
    status = 400 if form.errors else 200
    return render_template("wins/edit.html", form=form, win=win), status


@bp.post("/wins/<win_id>/delete")
@login_required
def delete(win_id):
    """Delete a win."""
    records.tombstone(owned_win(win_id))
    flash("Deleted.", "info")
    return redirect(url_for("wins.today"))
