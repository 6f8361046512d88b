"""Sharing with a counsellor or supporter, read-only, on the person's terms.

The settings page makes and ends shares, the page a share opens lives at /s/<token>, and a
summary of the last weeks prints for a session.
"""

from babel.lists import format_list
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from . import i18n
from .domain import devices
from .links import shown_url
from .services import records, sharing, throttle

bp = Blueprint("sharing", __name__)

# Who looked at a shared page is told in its log; the page tells search engines and the
# next site nothing.
PRIVATE_PAGE = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}
OPEN_FOR = (30, 90, 180, 365)
# How far back a share reaches (None reaches the first win): as the form offers it, and as
# the list of shares says it, mid-sentence.
REACH_CHOICES = {
    28: _l("4 weeks"),
    91: _l("3 months"),
    365: _l("A year"),
    None: _l("Everything"),
}
REACH_WORDS = {
    28: _l("4 weeks"),
    91: _l("3 months"),
    # Translators: how far back a share reaches, in a list like "4 weeks · no notes".
    365: _l("a year"),
    None: _l("everything"),
}
# Everyone opening a shared page counts under this one name, and per address (domain.throttle).
GUESSING = "shared page"


def form_body(form) -> dict:
    """Read the share form into the API's shape."""
    chosen = form.getlist("goal_ids")
    days = form.get("days", "")
    open_for = form.get("expires_in_days", "")
    return {
        "name": form.get("name", ""),
        "goal_ids": None if form.get("goals", "all") == "all" else chosen,
        "include_notes": form.get("include_notes") == "on",
        "days": int(days) if days.isdigit() else None,
        "expires_in_days": int(open_for) if open_for.isdigit() else open_for,
    }


def device_said(name: str) -> str:
    """Return a device's kept name ("Safari on a Mac") in the reader's language."""
    pattern, names = devices.reading(name)
    if pattern is None:
        return name
    return _(pattern, **{key: _(value) for key, value in names.items()})


def listed(items) -> Markup:
    """Return items as the reader's language lists them: "A, B and C".

    Each item is escaped, unless it is markup already: a title set apart with `| bdi`.
    """
    return Markup(format_list([str(escape(item)) for item in items], locale=get_locale() or "en"))


def render_settings(errors: dict | None = None, typed: dict | None = None, status: int = 200):
    """Render the sharing page: the form for a new share and every share with its log."""
    shares = sharing.shares_of(current_user)
    goals = records.goals_of(current_user)
    titles = {str(goal.id): goal.title for goal in goals}
    shows = {
        # Translators: what goes between the items of a list, like “Walk, Call my sister”.
        share.id: escape(_(", ")).join(
            i18n.isolated(titles[i]) for i in share.goal_ids.split(",") if i in titles
        )
        or _("Goals since removed")
        if share.goal_ids
        else _("Every goal and win")
        for share in shares
    }
    return (
        render_template(
            "sharing/index.html",
            shares=shares,
            views={share.id: sharing.views_of(share) for share in shares},
            goals=goals,
            shows=shows,
            reach_choices=REACH_CHOICES,
            reach_words=REACH_WORDS,
            device_said=device_said,
            open_for=OPEN_FOR,
            errors=errors or {},
            typed=typed or {"goals": "all", "days": 28, "expires_in_days": 90},
            now=sharing.utcnow(),
        ),
        status,
    )


@bp.get("/settings/sharing")
@login_required
def index():
    """Show the person's shares, who looked at each, and a form to make a new one."""
    return render_settings()


@bp.post("/settings/sharing")
@login_required
def create():
    """Make a share and show its link and QR code, this once."""
    body = form_body(request.form)
    try:
        fields = sharing.checked(current_user, body)
    except sharing.InvalidShare as refused:
        return render_settings(refused.fields, {**body, "goals": request.form.get("goals")}, 400)
    share, token = sharing.create(current_user, fields)
    url = shown_url("sharing.shared", token=token)
    return render_template("sharing/created.html", share=share, url=url, qr=sharing.qr_svg(url))


@bp.post("/settings/sharing/<share_id>/revoke")
@login_required
def revoke(share_id: str):
    """End a share at once."""
    share = sharing.owned(current_user, share_id)
    if share is None:
        abort(404)  # errors.py says it: "We couldn't find that", the same as any missing page
    sharing.revoke(share)
    flash(_("Ended. The link for %(name)s opens nothing now.", name=share.name), "info")
    return redirect(url_for("sharing.index"))


def gone():
    """Answer a link that opens nothing: the same bytes whether wrong, revoked or ended."""
    response = make_response(render_template("sharing/gone.html"), 404)
    response.headers.update(PRIVATE_PAGE)
    return response


class Unopened(Exception):
    """A link that opens nothing now, with the answer it gets."""

    def __init__(self, answer):
        """Keep the answer: the plain 404, or 429 for an address that guessed too often."""
        super().__init__()
        self.answer = answer


def opened(token: str):
    """Return the live share a link opens and log the look; slow down guessing.

    Raises Unopened with the answer for a link that opens nothing (or too many tries).
    """
    attempt = throttle.begin_attempt(GUESSING, request.remote_addr, purpose="share")
    if attempt.wait:
        raise Unopened(slow_down())
    share = sharing.live_share(token)
    if share is None:
        raise Unopened(gone())  # the failure stays counted against this address
    throttle.taken_back(attempt)
    sharing.note_view(share, request.headers.get("User-Agent"))
    return share


def private(page: str):
    """Return a shared page with the headers that keep it to its reader."""
    response = make_response(page)
    response.headers.update(PRIVATE_PAGE)
    return response


def slow_down():
    """Answer 429 to an address that guessed too often."""
    response = make_response(render_template("sharing/slow.html"), 429)
    response.headers.update({**PRIVATE_PAGE, "Retry-After": "900"})
    return response


@bp.errorhandler(Unopened)
def unopened(refused: Unopened):
    """Answer a link that opens nothing."""
    return refused.answer


@bp.get("/s/<token>")
def shared(token: str):
    """Show a share's read-only page: the progress in its scope, and nothing else."""
    share = opened(token)
    scope = sharing.scope_of(share)
    # Read in the language of the person who shared it, whoever opens the link.
    with i18n.speaking(scope.user.language):
        page = render_template(
            "sharing/shared.html",
            share=share,
            p=sharing.progress(scope),
            token=token,
            weeks=None,
            listed=listed,
        )
    return private(page)


def weeks_asked() -> int:
    """Return the weeks a summary covers: 1, 2 or 4 (4 unless asked otherwise)."""
    weeks = request.args.get("weeks", "4")
    return int(weeks) if weeks in ("1", "2", "4") else 4


@bp.get("/s/<token>/summary")
def shared_summary(token: str):
    """Show a share's summary of the last weeks, made to print on one or two pages."""
    share = opened(token)
    weeks = weeks_asked()
    scope = sharing.scope_of(share, weeks)
    with i18n.speaking(scope.user.language):
        page = render_template(
            "sharing/summary.html",
            p=sharing.progress(scope),
            weeks=weeks,
            for_whom=share.name,
            token=token,
            listed=listed,
        )
    return private(page)


@bp.get("/look-back/summary")
@login_required
def own_summary():
    """Show the person's own summary of the last weeks, to print and bring to a session."""
    weeks = weeks_asked()
    notes = request.args.get("notes") == "1"
    progress = sharing.progress(sharing.own_scope(current_user, weeks, notes))
    page = render_template(
        "sharing/summary.html",
        p=progress,
        weeks=weeks,
        for_whom=None,
        notes=notes,
        own=True,
        listed=listed,
    )
    return page
