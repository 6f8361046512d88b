"""Today and the days before it: log a small win in seconds, or for an earlier time.

See a day's wins; edit, move or delete one.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .domain.changes import WIN_TEXT_MAX
from .domain.days import EARLIEST_DAY, EVENING, iso_date, moment_on
from .domain.text import renderable
from .forms import WinForm, options
from .models import Step, Win
from .services import accounts, records, reflections
from .services.nudges import plans

bp = Blueprint("wins", __name__)

SUGGESTIONS = (
    # Translators: ideas for a small win, tapped to fill the field: written the way a person
    # notes their own win (past tense, often without "I"), short and kind.
    _l("Paused before reacting"),
    _l("Asked for help"),
    _l("Showed up even when I didn't feel like it"),
    _l("Chose rest when my body needed it"),
    _l("Wrote down one thought"),
    _l("Took a deep breath instead of snapping"),
    _l("Said no without guilt"),
)
CELEBRATIONS = (
    # Translators: said right after a win is logged: warm and short, never over the top.
    _l("That counts. Well done."),
    _l("One more small step. Nice."),
    _l("You showed up for yourself."),
    _l("Noticed and kept. That matters."),
    _l("Small wins add up. This is one."),
)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# How many days "Earlier" lists before its calendar.
RECENT_DAYS = 14


def step_choices(user) -> list[tuple[str, str]]:
    """Return the person's steps as form choices, smaller steps under their step."""
    choices = [("", _("No step"))]
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


def picked_moment(form: WinForm, now: datetime) -> datetime | None:
    """Return the moment the form's day and time name in the person's zone.

    None, with an error on the field to change, when they name no moment that can be.
    """
    day = iso_date(form.day.data)
    today = accounts.today_for(current_user, now)
    if day is None or not EARLIEST_DAY <= day <= today:
        form.day.errors = [_("Pick a day from 2000 to today (%(today)s).", today=today.isoformat())]
        return None
    at = plans.parse_time(form.time.data)
    if at is None:
        # Translators: 20:00 is the form's own way to write a time; keep it as it is.
        form.time.errors = [_("Pick a time, like 20:00.")]
        return None
    moment = moment_on(day, at, ZoneInfo(current_user.timezone), current_user.day_start)
    if moment > now + timedelta(minutes=5):
        form.time.errors = [_("That time hasn't come yet. Pick one up to now.")]
        return None
    return moment


def moment(form: WinForm, now: datetime) -> datetime | None:
    """Return when the win happened: just now, yesterday evening, or a day and time picked."""
    zone = ZoneInfo(current_user.timezone)
    if form.when.data == "yesterday":
        yesterday = accounts.today_for(current_user, now) - timedelta(days=1)
        return moment_on(yesterday, EVENING, zone, current_user.day_start)
    if form.when.data == "other":
        return picked_moment(form, now)
    return device_time(form.occurred_at.data, now) or now.astimezone(zone)


def win_fields(form: WinForm) -> dict:
    """Return the win's fields from a validated form."""
    step = records.owned(Step, current_user, form.step_id.data) if form.step_id.data else None
    return {
        "text": form.text.data,
        "note": form.note.data or "",
        "energy": form.energy.data or None,
        "step_id": step.id if step is not None else None,
    }


def render_today(form: WinForm, status: int = 200, open_more: bool = False):
    """Render Today with the form and today's wins."""
    day = accounts.today_for(current_user)
    wins = records.wins_on(current_user, day)
    steps = {step.id: step for step in records.steps_of(current_user)}
    return (
        render_template(
            "wins/today.html",
            form=form,
            day=day,
            yesterday=day - timedelta(days=1),
            wins=wins,
            steps=steps,
            suggestions=SUGGESTIONS,
            has_goals=bool(records.goals_of(current_user)),
            open_more=open_more or form.when.data != "now",
        ),
        status,
    )


def day_url(day: date) -> str:
    """Return the page of a day: Today for today, the day view for any other."""
    if day >= accounts.today_for(current_user):
        return url_for("wins.today")
    return url_for("wins.day", day=day.isoformat())


def render_day(day: date, form: WinForm | None = None, status: int = 200):
    """Render one earlier day: its wins, whether it was a low-capacity day, a form to add one."""
    if form is None:
        form = win_form(when="other", day=day.isoformat(), time=EVENING.strftime("%H:%M"))
    today = accounts.today_for(current_user)
    later = day + timedelta(days=1)
    return (
        render_template(
            "wins/day.html",
            form=form,
            day=day,
            today=today,
            earlier=day - timedelta(days=1) if day > EARLIEST_DAY else None,
            later=later if later < today else None,
            wins=records.wins_on(current_user, day),
            steps={step.id: step for step in records.steps_of(current_user)},
            low_capacity=plans.is_low_capacity_on(current_user, day),
            reflection=reflections.of_week(current_user, day)
            if day.weekday() == current_user.week_start
            else None,
        ),
        status,
    )


@bp.get("/days/<day>")
@login_required
def day(day: str):
    """Show one earlier day; today's own page is Today, and days to come have nothing yet."""
    when = iso_date(day)
    if when is None or when < EARLIEST_DAY:
        abort(404)
    if when >= accounts.today_for(current_user):
        return redirect(url_for("wins.today"))
    return render_day(when)


@bp.get("/days")
@login_required
def earlier():
    """Show the recent days at a glance and a calendar to open any day; ?date= opens one."""
    picked = request.args.get("date")
    today = accounts.today_for(current_user)
    if picked is not None:
        when = iso_date(picked)
        if when is not None and EARLIEST_DAY <= when:
            return redirect(day_url(when))
        flash(_("Pick a day from the calendar, like %(example)s.", example="2026-11-22"), "error")
    recent = [today - timedelta(days=back) for back in range(1, RECENT_DAYS + 1)]
    counts = records.win_counts(current_user, recent[-1], recent[0])
    low = set(plans.low_capacity_days(current_user, recent[-1], recent[0]))
    days = [(day, counts.get(day, 0), day in low) for day in recent]
    return render_template("wins/earlier.html", days=days, today=today)


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
        flash(_("Shared with Small Steps. Change it if you like, then log it."), "info")
    return render_today(form)


@bp.post("/wins")
@login_required
def create():
    """Log a win from the form, for now or an earlier time; back to the day it landed on."""
    form = win_form()
    back_to = iso_date(request.form.get("from_day"))
    now = datetime.now(UTC)
    occurred_at = moment(form, now) if form.validate_on_submit() else None
    if occurred_at is None:
        if back_to is not None:
            return render_day(back_to, form, 400)
        return render_today(form, 400, open_more=True)
    win = records.log_win(current_user, occurred_at, **win_fields(form))
    count = len(records.wins_on(current_user, win.local_date))
    flash(str(CELEBRATIONS[(count - 1) % len(CELEBRATIONS)]), "celebrate")
    return redirect(day_url(win.local_date))


def owned_win(win_id: str) -> Win:
    """Return the signed-in person's win, or answer 404."""
    win = records.owned(Win, current_user, win_id)
    if win is None:
        abort(404)
    return win


@bp.route("/wins/<win_id>/edit", methods=["GET", "POST"])
@login_required
def edit(win_id):
    """Change a win's words, step, energy or note, or move it to another day and time."""
    win = owned_win(win_id)
    current = {
        "text": win.text,
        "note": win.note,
        "energy": win.energy or "",
        "step_id": str(win.step_id) if win.step_id else "",
        "day": win.local_date.isoformat(),
        "time": win.local_time.strftime("%H:%M"),
    }
    form = win_form(data=current)
    if form.validate_on_submit():
        fields = win_fields(form)
        moved = (form.day.data, form.time.data) != (current["day"], current["time"])
        occurred_at = picked_moment(form, datetime.now(UTC)) if moved else None
        if not moved or occurred_at is not None:
            records.edit_win(win, occurred_at, current_user.day_start, **fields)
            flash(_("Moved and saved.") if moved else _("Saved."), "info")
            return redirect(day_url(win.local_date))
    status = 400 if form.errors else 200
    page = render_template(
        "wins/edit.html",
        form=form,
        win=win,
        today=accounts.today_for(current_user),
        back=day_url(win.local_date),
    )
    return page, status


@bp.post("/wins/<win_id>/delete")
@login_required
def delete(win_id):
    """Delete a win."""
    win = owned_win(win_id)
    records.tombstone(win)
    flash(_("Deleted."), "info")
    return redirect(day_url(win.local_date))
