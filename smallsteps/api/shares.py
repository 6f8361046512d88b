"""Shares over JSON: make one (its link shown once), list them, revoke one, see who looked."""

from flask import abort, jsonify
from flask_login import current_user, login_required

from ..links import shown_url
from ..services import sharing
from . import bp, json_object


@bp.get("/shares")
@login_required
def list_shares():
    """Return the person's shares, newest first, without their links."""
    return jsonify([sharing.as_json(share) for share in sharing.shares_of(current_user)])


@bp.post("/shares")
@login_required
def create_share():
    """Make a share; the answer carries its link, shown this once and never again."""
    fields = sharing.checked(current_user, json_object())
    share, token = sharing.create(current_user, fields)
    return jsonify({**sharing.as_json(share), "url": shown_url("sharing.shared", token=token)}), 201


def owned_share(share_id: str):
    """Return the person's share, or answer 404 (a stranger's is not theirs to know of)."""
    share = sharing.owned(current_user, share_id)
    if share is None:
        abort(404)
    return share


@bp.delete("/shares/<share_id>")
@login_required
def revoke_share(share_id: str):
    """Revoke a share at once: its link answers 404 from now on."""
    sharing.revoke(owned_share(share_id))
    return "", 204


@bp.get("/shares/<share_id>/views")
@login_required
def share_views(share_id: str):
    """Return who looked at a share, newest first."""
    return jsonify([sharing.view_json(view) for view in sharing.views_of(owned_share(share_id))])
