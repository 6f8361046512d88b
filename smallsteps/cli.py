"""Commands for `flask --app wsgi`: keys kept in the instance folder."""

import os
import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

secret_cli = AppGroup("secret", help="The key that signs sessions.")


def init_app(app):
    """Register the command groups."""
    app.cli.add_command(secret_cli)
    from . import assets

    app.cli.add_command(assets.cli)
    from . import backups

    backups.init_app(app)
    from . import nudges_cli

    nudges_cli.init_app(app)
    from . import users_cli

    users_cli.init_app(app)


def write_private_file(path: Path, content: str) -> None:
    """Write a file only its owner can read."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)


@secret_cli.command("init")
def secret_init():
    """Create the session secret key in the instance folder if there is none."""
    path = Path(current_app.instance_path) / "secret_key"
    if path.exists():
        click.echo("A secret key is already in the instance folder.")
        return
    write_private_file(path, secrets.token_hex(32) + "\n")
    click.echo("Created a secret key in the instance folder.")
