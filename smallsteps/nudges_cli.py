"""Commands for nudges: `vapid init`, `nudges send-due [--at ISO-8601]` and `nudges run`."""

import logging
import signal
import threading
import time
from datetime import UTC, datetime, timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from .config import Defaults
from .extensions import db
from .services.nudges.dispatcher import send_due, sender_for
from .webpush import vapid
from .webpush.vapid import NotSetUp

log = logging.getLogger(__name__)
vapid_cli = AppGroup("vapid", help="The key pair that signs nudges (VAPID).")
nudges_cli = AppGroup("nudges", help="Send the nudges that are due.")


def init_app(app):
    """Register the command groups."""
    app.cli.add_command(vapid_cli)
    app.cli.add_command(nudges_cli)


@vapid_cli.command("init")
def vapid_init():
    """Create the VAPID key pair in the instance folder if there is none."""
    app = current_app
    if app.config.get("VAPID_PRIVATE_KEY"):
        click.echo("The VAPID key comes from config (VAPID_PRIVATE_KEY); nothing to create.")
    elif vapid.create(app.instance_path):
        click.echo("Created a VAPID key pair in the instance folder.")
    else:
        click.echo("A VAPID key pair is already in the instance folder.")
    if app.config["VAPID_SUBJECT"] == Defaults.VAPID_SUBJECT:
        click.echo(
            "Set VAPID_SUBJECT to a real mailto: or https: address where push services "
            "can reach you (SMALLSTEPS_VAPID_SUBJECT)."
        )


def ready_sender():
    """Return a sender, or stop with a clear message when there is no VAPID key."""
    try:
        return sender_for(current_app)
    except NotSetUp as error:
        raise click.ClickException(str(error)) from None


def max_lateness() -> timedelta:
    """Return how far behind a slot may be and still be sent."""
    return timedelta(seconds=float(current_app.config["NUDGE_MAX_LATENESS"]))


def parse_instant(_ctx, _param, value: str | None) -> datetime | None:
    """Read --at as an ISO-8601 instant with its UTC offset."""
    if value is None:
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use ISO-8601, like 2026-11-22T20:00:00+01:00") from None
    if instant.tzinfo is None:
        raise click.BadParameter("add a UTC offset, like +01:00 or Z")
    return instant


@nudges_cli.command("send-due")
@click.option("--at", "at", callback=parse_instant, help="Act as if it were this instant.")
def nudges_send_due(at: datetime | None):
    """Send every nudge due now (or at --at), then exit."""
    sender = ready_sender()
    try:
        report = send_due(at or datetime.now(UTC), sender, max_lateness())
    finally:
        sender.close()
        db.session.remove()
    click.echo(report.describe())


@nudges_cli.command("run")
@click.option("--interval", default=30.0, show_default=True, help="Seconds between passes.")
def nudges_run(interval: float):
    """Send due nudges every `interval` seconds until stopped."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    sender = ready_sender()
    click.echo(f"Sending nudges every {interval:g} seconds. Stop with Ctrl-C.")
    try:
        while not stop.is_set():
            started = time.monotonic()
            try:
                report = send_due(datetime.now(UTC), sender, max_lateness())
                if report.sent or report.skipped:
                    click.echo(report.describe())
            except Exception:  # noqa: BLE001 - a bad pass must not stop tomorrow's nudges
                log.exception("A dispatcher pass failed; trying again soon")
                db.session.rollback()
            finally:
                db.session.remove()
            stop.wait(max(0.0, interval - (time.monotonic() - started)))
    finally:
        sender.close()
    click.echo("Stopped sending nudges.")
