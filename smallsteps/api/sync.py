"""Sync over JSON: a device's batch of changes in, everything newer than its cursor out."""

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import ApiProblem
from ..services import sync as sync_service
from . import bp, json_object

MAX_CHANGES = 500
MAX_BYTES = 1024 * 1024


@bp.post("/sync")
@login_required
def sync():
    """Apply a batch of changes and return per-record results, newer changes and a cursor."""
    if (request.content_length or 0) > MAX_BYTES:
        raise ApiProblem(413, "request too large", _("Send at most 1 MiB per request."))
    # A body sent without a length is cut off at the same limit while it is read.
    request.max_content_length = MAX_BYTES
    request.get_data(cache=True)
    body = json_object(read_by_record=("changes",))
    since = body.get("since")
    changes = body.get("changes", [])
    if since is not None and not isinstance(since, str):
        raise ApiProblem(400, "invalid cursor", _("since must be a cursor string or null"))
    if not isinstance(changes, list):
        raise ApiProblem(400, "invalid changes", _("changes must be a list"))
    if len(changes) > MAX_CHANGES:
        detail = _("Send at most %(limit)s changes per request.", limit=MAX_CHANGES)
        raise ApiProblem(413, "too many changes", detail)
    return jsonify(sync_service.sync(current_user, since, changes))
