"""Export and import over JSON: everything a person wrote, out and back in."""

from flask import jsonify, request
from flask_login import current_user, login_required

from ..services import export as export_service
from ..services import importing
from . import bp, json_object

IMPORT_ENDPOINT = "api.import_records"


@bp.get("/export")
@login_required
def export():
    """Return every record of the person's, their settings and nudge plan, re-importable."""
    user = current_user._get_current_object()
    response = jsonify(export_service.export_of(user))
    response.headers.update(export_service.download_headers(user, ".json"))
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
        raise importing.TooLarge()
    request.get_data(cache=True)
    body = json_object(read_by_record=importing.PARTS)
    return jsonify(importing.import_export(current_user._get_current_object(), body))
