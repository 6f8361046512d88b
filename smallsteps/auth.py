"""Signing up (open, by invitation or closed), signing in and out, and a forgotten password."""

import math
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from . import i18n, mail
from .domain.text import N_
from .errors import ApiProblem, wants_json
from .forms import ForgotPasswordForm, LoginForm, ResetPasswordForm, SignupForm
from .services import accounts, invitations, password_resets, throttle

bp = Blueprint("auth", __name__)

WRONG_CREDENTIALS = N_("That email and password don't match. Try again?")
# Sent when a person signs out or deletes their account: this device forgets them.
CLEAR_SITE_DATA = '"cache", "storage"'


def too_many_tries(wait: timedelta) -> str:
    """Return a calm message saying when to try again."""
    minutes = math.ceil(wait.total_seconds() / 60)
    if minutes <= 1:
        return _("That's a lot of tries. Take a breather and try again in a minute.")
    return ngettext(
        "That's a lot of tries. Take a breather and try again in about %(num)d minute.",
        "That's a lot of tries. Take a breather and try again in about %(num)d minutes.",
        minutes,
    )


def load_user(session_id: str):
    """Return the signed-in person for Flask-Login."""
    return accounts.load_user(session_id)


def unauthorized():
    """Answer 401 JSON to the API and send people to the sign-in page."""
    if wants_json():
        raise ApiProblem(401, "sign in first")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def safe_next(target: str | None) -> str:
    """Return a same-site path to go on to after signing in."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("wins.today")


def begin_session(user, remember: bool) -> None:
    """Sign a person in with a fresh session and a fresh CSRF token."""
    notice_shown = session.get("https_notice_shown")
    session.clear()
    if notice_shown:  # said once is enough, signed in or not
        session["https_notice_shown"] = True
    login_user(user, remember=remember)
    # Made now, so requests racing right after sign-in all share this one token.
    generate_csrf()


def leave_device(goodbye: str, endpoint: str):
    """End the session and go on to `endpoint`, leaving nothing of the person on this device.

    Two things clear the device: the browser, told by Clear-Site-Data (honoured on https and
    localhost), and the next page's script, told by the "goodbye" flash (base.html). Not
    "cookies": this answer sets the session the goodbye is carried in, and the session and
    remember-me cookies are ended here anyway.
    """
    # The raw CSRF token stays: a page fetched just before leaving (the worker keeping pages
    # for offline use, say) can answer after the sign-in page did, and its cookie, holding
    # this token, must not leave that page's form with a token the session no longer has.
    csrf = session.get("csrf_token")
    session.clear()
    if csrf:
        session["csrf_token"] = csrf
    logout_user()  # after clear: it marks the remember-me cookie for removal
    flash(goodbye, "goodbye")
    response = redirect(url_for(endpoint))
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def retry_after(wait: timedelta) -> dict[str, str]:
    """Return the header that says how many seconds to wait."""
    return {"Retry-After": str(math.ceil(wait.total_seconds()))}


def signup_refused(invitation: str | None):
    """Answer a sign-up this server doesn't take now, saying kindly what would work."""
    page = render_template(
        "auth/signup_refused.html",
        spent=bool(invitation),
        closed=current_app.config["SIGNUPS"] == "closed",
    )
    return page, 403


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Create an account and sign in; with an invitation unless sign-up is open."""
    if current_user.is_authenticated:
        return redirect(url_for("wins.today"))
    form = SignupForm()
    invitation = None
    if current_app.config["SIGNUPS"] != "open":
        invitation = form.invite.data or request.args.get("invite") or ""
        if not invitations.is_usable(invitation):
            return signup_refused(invitation)
        form.invite.data = invitation
    if form.validate_on_submit():
        try:
            user = accounts.create_account(
                form.email.data,
                form.password.data,
                form.timezone.data,
                invitation,
                language=i18n.closest_language(request.accept_languages),
            )
        except accounts.EmailTaken:
            form.email.errors.append(_("There's already an account for this email. Sign in?"))
        except invitations.NotUsable:  # used by someone else a moment ago
            return signup_refused(invitation)
        else:
            begin_session(user, remember=True)
            flash(_("Welcome. Every small step counts here."), "welcome")
            return redirect(url_for("wins.today"))
    return render_template("auth/signup.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    error = None
    wait = timedelta(0)
    if form.validate_on_submit():
        attempt = throttle.begin_attempt(form.email.data, request.remote_addr)
        wait = attempt.wait
        if wait:
            error = too_many_tries(wait)
        else:
            user = accounts.authenticate(form.email.data, form.password.data)
            if user is not None:
                throttle.succeeded(attempt)
                begin_session(user, remember=form.remember.data)
                return redirect(safe_next(request.args.get("next")))
            error = _(WRONG_CREDENTIALS)
    if wait:
        page = render_template("auth/login.html", form=form, error=error)
        return page, 429, retry_after(wait)
    status = 400 if (error or form.errors) else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@login_required
def logout():
    """Sign out, ending remember-me sessions on every device, and clear this one."""
    accounts.end_every_session(current_user)
    return leave_device(_("You're signed out. Come back any time."), "auth.login")


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    """Ask for a link to choose a new password, mailed when this server can send mail."""
    if not mail.configured():
        return render_template("auth/forgot.html", form=None)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        wait = password_resets.request_link(form.email.data, request.remote_addr)
        if wait:
            page = render_template("auth/forgot.html", form=form, error=too_many_tries(wait))
            return page, 429, retry_after(wait)
        # The same answer whether or not the email has an account.
        return render_template("auth/forgot.html", form=form, sent=True)
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password with a reset link, then go on to Today signed in."""
    email = password_resets.email_of(token)
    if email is None:
        return render_template("auth/link_spent.html"), 410
    form = ResetPasswordForm(person_email=email)
    if form.validate_on_submit():
        user = password_resets.reset_password(token, form.password.data)
        if user is None:  # spent by another tab a moment ago
            return render_template("auth/link_spent.html"), 410
        begin_session(user, remember=form.remember.data)
        flash(_("Your new password is set. Welcome back."), "welcome")
        return redirect(url_for("wins.today"))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200
