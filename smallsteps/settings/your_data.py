"""Your data, from the settings page: the wins as CSV, and an export brought back in."""

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..forms import SettingsForm
from ..services import export as export_service
from ..services import importing
from ..services.errors import ServiceError
from . import bp

IMPORT_ENDPOINT = "settings.import_file"
# The rejected records an import's report names one by one; the rest are counted.
REJECTED_SHOWN = 20
# The outcomes a record can have, in the order the report says them.
STATUSES = ("applied", "unchanged", "stale", "rejected")


@bp.get("/export.csv")
@login_required
def wins_csv():
    """Download the person's wins as a CSV file for a spreadsheet."""
    user = current_user._get_current_object()
    return current_app.response_class(
        export_service.wins_csv(user),
        mimetype="text/csv; charset=utf-8",
        headers=export_service.download_headers(user, "-wins.csv"),
    )


@bp.app_url_value_preprocessor
def allow_a_large_upload(endpoint, _values):
    """Let the import form carry a whole export, before anything reads the body."""
    if endpoint == IMPORT_ENDPOINT:
        request.max_content_length = importing.MAX_BYTES + 64 * 1024  # the form around it


def render_settings(status: int = 200, **context):
    """Render the settings page with the outcome of an import."""
    form = SettingsForm(obj=current_user)
    return render_template("settings/edit.html", form=form, **context), status


@bp.post("/settings/import")
@login_required
def import_file():
    """Merge an uploaded export into the account and show what became of it."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_settings(400, import_error=_("Choose the export file to import."))
    body = importing.read_file(upload.read(importing.MAX_BYTES + 1))
    report = importing.import_export(current_user._get_current_object(), body)
    return render_settings(import_lines=report_lines(report))


def counted(status: str, count: int) -> str:
    """Return how many records of a part had an outcome: "3 already here"."""
    if status == "applied":
        return ngettext(
            "%(num)d added or brought up to date", "%(num)d added or brought up to date", count
        )
    if status == "unchanged":
        return ngettext("%(num)d already here", "%(num)d already here", count)
    if status == "stale":
        return ngettext(
            "%(num)d older than what is here, so the newer one stays",
            "%(num)d older than what is here, so the newer ones stay",
            count,
        )
    return ngettext("%(num)d couldn't be used", "%(num)d couldn't be used", count)


def outcome_words(status: str) -> str:
    """Return what became of a part that is one thing, like the settings."""
    return {
        "applied": _("added or brought up to date"),
        "unchanged": _("already here"),
        "stale": _("older than what is here, so the newer one stays"),
    }.get(status) or _("couldn't be used")


def report_lines(report: dict) -> dict[str, list[str] | int]:
    """Return an import's report as the page says it: a line a part, and what was rejected."""
    parts = []
    for name, label in (("wins", _("Wins")), ("goals", _("Goals")), ("steps", _("Steps"))):
        counts = report[name]
        shown = [counted(status, counts[status]) for status in STATUSES if counts[status]]
        # Translators: what goes between the items of a list, like “Walk, Call my sister”.
        outcomes = _(", ").join(shown) if shown else _("none in the file")
        # Translators: a line of an import report, like "Wins: 3 already here, 1 couldn't be used".
        parts.append(_("%(part)s: %(outcomes)s.", part=label, outcomes=outcomes))
    for name, label in (("settings", _("Settings")), ("nudges", _("Nudge plan"))):
        part = report[name]
        outcome = outcome_words(part["status"])
        if part.get("message"):
            # Translators: like "Settings: couldn't be used (grace: Choose a whole number…)."
            line = _(
                "%(part)s: %(outcome)s (%(message)s).",
                part=label,
                outcome=outcome,
                message=part["message"],
            )
        else:
            line = _("%(part)s: %(outcome)s.", part=label, outcome=outcome)
        parts.append(line)
    kinds = {"win": _("A win"), "goal": _("A goal"), "step": _("A step")}
    kinds["reflection"] = _("A reflection")
    rejected = []
    for item in report["rejected"][:REJECTED_SHOWN]:
        what = kinds.get(item["type"], item["type"])
        if item["id"]:
            # Translators: a record an import couldn't use, like "A win (1b4e…): text is missing."
            line = _(
                "%(what)s (%(id)s): %(message)s", what=what, id=item["id"], message=item["message"]
            )
        else:
            line = _("%(what)s: %(message)s", what=what, message=item["message"])
        rejected.append(line)
    more = max(len(report["rejected"]) - REJECTED_SHOWN, 0)
    return {"parts": parts, "rejected": rejected, "more": more}


@bp.errorhandler(ServiceError)
def refuse_import(error: ServiceError):
    """Show on the settings page why an import was turned down."""
    return render_settings(error.status, import_error=error.said)
