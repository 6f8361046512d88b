"""Commands for whoever runs the server: `flask users invite | list | remove | reset-password`."""

import click
from flask import current_app
from flask.cli import AppGroup

from .extensions import db
from .links import LOCAL_BASE_URL, absolute_url
from .services import accounts, invitations, password_resets

users_cli = AppGroup("users", help="Invite people, list them, remove one, reset a password.")


def init_app(app):
    """Register the command group."""
    app.cli.add_command(users_cli)


def note(text: str) -> None:
    """Say something beside the command's answer, on standard error, so scripts get the answer."""
    click.echo(text, err=True)


def echo_link(link: str) -> None:
    """Print a link, noting where it points when BASE_URL is not set."""
    click.echo(link)
    if not current_app.config.get("BASE_URL"):
        note(
            f"Note: BASE_URL is not set, so the link starts with {LOCAL_BASE_URL}. Set BASE_URL "
            "to where people reach this server, like https://steps.example.org."
        )


def person_named(email: str):
    """Return the person with this email, or stop with a message saying there is none."""
    user = accounts.find_by_email(email)
    # Ended here, so no lock is held while the owner reads or answers a question.
    db.session.commit()
    if user is None:
        raise click.ClickException(f"There is no account for {email}.")
    return user


@users_cli.command("invite")
@click.option(
    "--days",
    default=7,
    show_default=True,
    type=click.IntRange(1, 365),
    help="How many days the link works for.",
)
def invite(days: int):
    """Print a sign-up link that works once."""
    echo_link(absolute_url("auth.signup", invite=invitations.create(days)))
    note(f"It works once, for {days} {'day' if days == 1 else 'days'}.")
    if current_app.config["SIGNUPS"] == "open":
        note("SIGNUPS is open: anyone can sign up here, with or without a link.")


@users_cli.command("list")
def list_users():
    """Print each person's email, the day they signed up and how many wins they kept."""
    people = accounts.everyone()
    if not people:
        note("No accounts yet.")
    for email, created_at, wins in people:
        click.echo(f"{email}\t{created_at:%Y-%m-%d}\t{wins} {'win' if wins == 1 else 'wins'}")


@users_cli.command("remove")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Don't ask before deleting.")
def remove(email: str, yes: bool):
    """Delete a person's account and everything in it."""
    user = person_named(email)
    email = user.email
    if not yes:
        click.confirm(
            f"Delete {email} and everything they wrote? This cannot be undone.", abort=True
        )
    accounts.delete_account(user)
    click.echo(f"Deleted {email} and everything in it.")


@users_cli.command("reset-password")
@click.argument("email")
def reset_password(email: str):
    """Print a link, good for an hour, to choose a new password."""
    echo_link(password_resets.link_for(person_named(email)))
    note("It works once, for an hour. Send it to them yourself, privately.")
