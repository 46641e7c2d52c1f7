"""Commands: flask --app forum users|seed-demo|recount ..."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from forum.demo import seed
from forum.models.user import ROLES
from forum.services import accounts
from forum.services.errors import ServiceError
from forum.services.recount import recount

users_cli = AppGroup("users", help="Create members and set their roles.")


def _fail(error: ServiceError) -> None:
    details = "; ".join(f"{k}: {' '.join(v)}" for k, v in (error.errors or {}).items())
    raise click.ClickException(f"{error.message} {details}".strip())


@users_cli.command("create")
@click.argument("username")
@click.option("--email", required=True, help="Email address of the account.")
@click.option("--password", help="Password (asked for when omitted).")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default="member",
    show_default=True,
)
@click.option("--display-name", help="Name shown on the site (default: the username).")
def create_user(username, email, password, role, display_name):
    """Create an account, for instance the first admin."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.register(username, email, password, display_name, role=role)
    except ServiceError as error:
        _fail(error)
    click.echo(f"Created {user.username} ({user.role}).")


@users_cli.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
def set_role(username, role):
    """Change a member's role (recorded in the audit log)."""
    try:
        user = accounts.set_role(None, accounts.get_user(username), role)
    except ServiceError as error:
        _fail(error)
    click.echo(f"{user.username} is now {user.role}.")


@click.command("seed-demo")
def seed_demo():
    """Create the demo community (idempotent: a second run changes nothing)."""
    created = seed()
    click.echo("Demo community created." if created else "Demo community already present.")


@click.command("recount")
def recount_command():
    """Recompute every stored counter and score from the rating rows."""
    fixed = recount()
    click.echo(f"Fixed {fixed['contributions']} contribution(s) and {fixed['prompts']} prompt(s).")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(recount_command)
