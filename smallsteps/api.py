"""The JSON API under /api/v1: every answer JSON, every error a 4xx with a message."""

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from .errors import ApiProblem
from .services import accounts

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_object() -> dict:
    """Return the request's JSON object, or refuse the request clearly."""
    if not request.is_json:
        raise ApiProblem(415, "send JSON", "Content-Type must be application/json")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiProblem(400, "invalid JSON", "the body must be one JSON object")
    return body


@bp.get("/csrf")
@login_required
def csrf_token():
    """Return a fresh CSRF token for the X-CSRFToken header."""
    return jsonify({"csrf_token": generate_csrf()})


@bp.get("/settings")
@login_required
def get_settings():
    """Return the person's settings."""
    return jsonify(accounts.settings_of(current_user))


@bp.put("/settings")
@login_required
def put_settings():
    """Change any subset of the person's settings."""
    clean, errors = accounts.validate_settings(json_object())
    if errors:
        raise ApiProblem(400, "invalid settings", errors)
    accounts.update_settings(current_user, clean)
    return jsonify(accounts.settings_of(current_user))
