"""The JSON API under /api/v1: every answer JSON, every error a 4xx with a message."""

from flask import Blueprint, request

from ..errors import ApiProblem

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_object() -> dict:
    """Return the request's JSON object, or refuse the request clearly."""
    if not request.is_json:
        raise ApiProblem(415, "send JSON", "Content-Type must be application/json")
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes: not a body we take
        body = None
    if not isinstance(body, dict):
        raise ApiProblem(400, "invalid JSON", "the body must be one JSON object")
    return body


# Each module adds its routes to `bp`; import them last so `bp` exists.
from . import export, openapi, push, settings, summary, sync  # noqa: E402, F401
