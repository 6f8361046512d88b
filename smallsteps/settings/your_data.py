"""Your data, from the settings page: the wins as CSV, and an export brought back in."""

from flask import current_app, render_template, request
from flask_login import current_user, login_required

from ..forms import SettingsForm
from ..services import export as export_service
from ..services import importing
from ..services.errors import ServiceError
from . import bp

IMPORT_ENDPOINT = "settings.import_file"


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
        return render_settings(400, import_error="Choose the export file to import.")
    body = importing.read_file(upload.read(importing.MAX_BYTES + 1))
    report = importing.import_export(current_user._get_current_object(), body)
    return render_settings(import_report=report)


@bp.errorhandler(ServiceError)
def refuse_import(error: ServiceError):
    """Show on the settings page why an import was turned down."""
    return render_settings(error.status, import_error=error.said)
