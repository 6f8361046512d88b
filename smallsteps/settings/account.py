"""The person's account: a new password, and leaving with everything deleted."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth import begin_session, leave_device
from ..domain.text import N_
from ..forms import DeleteAccountForm, PasswordChangeForm
from ..services import accounts
from . import bp

WRONG_PASSWORD = N_("That isn't your current password.")


def password_matches(password: str) -> bool:
    """Tell whether the signed-in person typed their own password."""
    return accounts.authenticate(current_user.email, password) is not None


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every other device has to sign in again."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if password_matches(form.current_password.data):
            user = current_user._get_current_object()
            accounts.change_password(user, form.new_password.data)
            # The person, not the proxy: signed in again, `current_user` must not name itself.
            begin_session(user, remember=False)
            flash(_("Password changed. Other devices will ask you to sign in again."), "info")
            return redirect(url_for("settings.edit"))
        form.current_password.errors.append(_(WRONG_PASSWORD))
    status = 400 if form.errors else 200
    return render_template("settings/password.html", form=form), status


@bp.route("/settings/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    """Delete the account and everything in it, after the password is typed again."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if password_matches(form.password.data):
            accounts.delete_account(current_user._get_current_object())
            goodbye = _("Your account and everything in it are deleted. Take good care.")
            # Where sign-up is by invitation or closed, its page would only say so.
            after = "auth.signup" if current_app.config["SIGNUPS"] == "open" else "auth.login"
            return leave_device(goodbye, after)
        form.password.errors.append(_(WRONG_PASSWORD))
    status = 400 if form.errors else 200
    return render_template("settings/delete.html", form=form), status
