"""The settings page: name, time zone, week start, grace days and day start."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import i18n
from ..forms import SettingsForm
from ..services import accounts
from . import bp


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def edit():
    """Show and change the person's settings."""
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        changes = {name: form[name].data for name in accounts.settings_of(current_user)}
        clean, errors = accounts.validate_settings(changes)
        for name, message in errors.items():
            form[name].errors.append(message)
        if not errors:
            accounts.update_settings(current_user, clean)
            i18n.refresh()  # a new language is said from here on, this message too
            flash(_("Settings saved."), "info")
            return redirect(url_for("settings.edit"))
    status = 400 if form.errors else 200
    return render_template("settings/edit.html", form=form), status
