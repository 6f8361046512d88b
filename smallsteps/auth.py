"""Signing up, signing in and out."""

import math
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from .errors import ApiProblem, wants_json
from .forms import LoginForm, SignupForm
from .services import accounts, throttle

bp = Blueprint("auth", __name__)

WRONG_CREDENTIALS = "That email and password don't match. Try again?"
# Sent when a person signs out or deletes their account: this device forgets them.
CLEAR_SITE_DATA = '"cache", "storage"'


def too_many_tries(wait: timedelta) -> str:
    """Return a calm message saying when to try again."""
    minutes = math.ceil(wait.total_seconds() / 60)
    when = "in a minute" if minutes <= 1 else f"in about {minutes} minutes"
    return f"That's a lot of tries. Take a breather and try again {when}."


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
    session.clear()
    logout_user()  # after clear: it marks the remember-me cookie for removal
    flash(goodbye, "goodbye")
    response = redirect(url_for(endpoint))
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Create an account and sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("wins.today"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_account(form.email.data, form.password.data, form.timezone.data)
        except accounts.EmailTaken:
            form.email.errors.append("There's already an account for this email. Sign in?")
        else:
            begin_session(user, remember=True)
            flash("Welcome. Every small step counts here.", "welcome")
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
            error = WRONG_CREDENTIALS
    if wait:
        headers = {"Retry-After": str(math.ceil(wait.total_seconds()))}
        return render_template("auth/login.html", form=form, error=error), 429, headers
    status = 400 if (error or form.errors) else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@login_required
def logout():
    """Sign out, ending remember-me sessions on every device, and clear this one."""
    accounts.end_every_session(current_user)
    return leave_device("You're signed out. Come back any time.", "auth.login")
