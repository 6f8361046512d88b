"""The JSON API under /api/v1: every answer JSON, every error a 4xx with a message."""

from collections.abc import Collection

from flask import Blueprint, request
from flask_babel import gettext as _

from ..domain.text import UNSTORABLE, unstorable_path
from ..errors import ApiProblem

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_object(read_by_record: Collection[str] = ()) -> dict:
    """Return the request's JSON object, or refuse the request clearly.

    Text that can't be saved is refused here, anywhere in the body but under the keys of
    `read_by_record`: their records are checked one by one, so one never sinks the rest.
    """
    if not request.is_json:
        raise ApiProblem(415, "send JSON", _("Content-Type must be application/json"))
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes: not a body we take
        body = None
    if not isinstance(body, dict):
        raise ApiProblem(400, "invalid JSON", _("the body must be one JSON object"))
    where = unstorable_path({k: v for k, v in body.items() if k not in read_by_record})
    if where is not None:
        raise ApiProblem(400, "invalid text", {where: _(UNSTORABLE)})
    return body


# Each module adds its routes to `bp`; import them last so `bp` exists.
from . import days, export, lookback, nudges, openapi, settings, shares, sync  # noqa: E402, F401
