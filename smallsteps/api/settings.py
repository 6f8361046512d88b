"""Settings and CSRF tokens over JSON."""

from flask import jsonify
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from ..errors import ApiProblem
from ..services import accounts
from . import bp, json_object


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
