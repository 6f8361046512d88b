"""Export and import over JSON: everything a person wrote, out and back in."""

from flask import jsonify, request
from flask_login import current_user, login_required

from ..errors import ApiProblem
from ..services import export as export_service
from ..services import importing
from ..services.sync import Conflict
from . import bp, json_object

IMPORT_ENDPOINT = "api.import_records"


@bp.get("/export")
@login_required
def export():
    """Return every record of the person's, their settings and nudge plan, re-importable."""
    user = current_user._get_current_object()
    response = jsonify(export_service.export_of(user))
    name = export_service.file_name(user, ".json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.url_value_preprocessor
def allow_a_large_import(endpoint, _values):
    """Let an import be larger than other requests, before anything reads its body."""
    if endpoint == IMPORT_ENDPOINT:
        request.max_content_length = importing.MAX_BYTES


@bp.post("/import")
@login_required
def import_records():
    """Merge an export back in by id, with sync's rules, and report what became of it."""
    if (request.content_length or 0) > importing.MAX_BYTES:
        raise ApiProblem(413, "request too large", "Import at most 10 MiB at a time.")
    request.get_data(cache=True)
    body = json_object(read_by_record=importing.PARTS)
    try:
        report = importing.import_export(current_user._get_current_object(), body)
    except importing.NotAnExport as error:
        raise ApiProblem(400, "not a Small Steps export", str(error)) from None
    except importing.TooManyRecords as error:
        raise ApiProblem(413, "too many records", str(error)) from None
    except Conflict:
        raise ApiProblem(409, "conflict", "another change got there first; try again") from None
    return jsonify(report)
