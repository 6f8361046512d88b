"""Your data, from the settings page: the wins as CSV, and an export brought back in."""

import json

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from .forms import SettingsForm
from .services import export as export_service
from .services import importing
from .services.sync import Conflict

bp = Blueprint("your_data", __name__)

IMPORT_ENDPOINT = "your_data.import_file"
NOT_AN_EXPORT = (
    "That file isn't a Small Steps export. Choose the .json file that "
    "“Download everything” gave you."
)


@bp.get("/export.csv")
@login_required
def wins_csv():
    """Download the person's wins as a CSV file for a spreadsheet."""
    user = current_user._get_current_object()
    response = current_app.response_class(
        export_service.wins_csv(user), mimetype="text/csv; charset=utf-8"
    )
    name = export_service.file_name(user, "-wins.csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


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
    raw = upload.read(importing.MAX_BYTES + 1)
    if len(raw) > importing.MAX_BYTES:
        return render_settings(413, import_error="That file is larger than 10 MiB.")
    try:
        body = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return render_settings(400, import_error=NOT_AN_EXPORT)
    if not isinstance(body, dict):
        return render_settings(400, import_error=NOT_AN_EXPORT)
    try:
        report = importing.import_export(current_user._get_current_object(), body)
    except importing.NotAnExport:
        return render_settings(400, import_error=NOT_AN_EXPORT)
    except importing.TooManyRecords as error:
        return render_settings(413, import_error=str(error))
    except Conflict:
        return render_settings(409, import_error="Something else changed at the same moment.")
    return render_settings(import_report=report)
