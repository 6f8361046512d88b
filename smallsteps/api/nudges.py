"""Nudges over JSON: the VAPID key, this person's devices and their nudge plan."""

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import ApiProblem
from ..services.nudges import plans, subscriptions
from ..webpush import vapid
from ..webpush.endpoints import Refused
from . import bp, json_object


@bp.get("/push/key")
@login_required
def push_key():
    """Return the applicationServerKey browsers subscribe with."""
    key = subscriptions.server_key(current_app)
    if key is None:
        raise ApiProblem(503, "nudges are not set up on this server", _("no VAPID key yet"))
    return jsonify({"key": vapid.public_key(key)})


@bp.get("/push/subscriptions")
@login_required
def list_subscriptions():
    """Return this person's devices that receive nudges."""
    devices = subscriptions.devices_of(current_user)
    return jsonify([subscriptions.as_json(device) for device in devices])


@bp.post("/push/subscriptions")
@login_required
def add_subscription():
    """Store the browser's PushSubscription.toJSON(), or refresh it when it is known."""
    config = current_app.config
    try:
        device, created = subscriptions.save(
            current_user,
            json_object(),
            app_origin=request.host_url.rstrip("/"),
            allowed_hosts=config.get("PUSH_ALLOWED_HOSTS"),
            allow_http=bool(config.get("PUSH_ALLOW_HTTP")),
        )
    except Refused as refusal:
        words = subscriptions.refusal_words(refusal)
        raise ApiProblem(400, "subscription refused", words) from None
    return jsonify(subscriptions.as_json(device)), 201 if created else 200


@bp.delete("/push/subscriptions")
@login_required
def remove_subscription():
    """Stop nudges to one device, named by its endpoint."""
    endpoint = json_object().get("endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        raise ApiProblem(400, "endpoint missing", _("send the device's endpoint URL"))
    if not subscriptions.remove(current_user, endpoint=endpoint):
        raise ApiProblem(404, "no such device", _("none of your devices has this endpoint"))
    return "", 204


@bp.get("/nudges")
@login_required
def get_nudges():
    """Return the person's nudge plan."""
    return jsonify(plans.as_json(plans.plan_of(current_user)))


@bp.put("/nudges")
@login_required
def put_nudges():
    """Change any part of the nudge plan; nonsense is refused field by field."""
    current = plans.as_json(plans.plan_of(current_user))
    plan, errors = plans.validate(json_object(), current)
    if errors:
        raise ApiProblem(400, "invalid nudge plan", errors)
    plans.save(current_user, plan)
    return jsonify(plans.as_json(plans.plan_of(current_user)))
