"""Commands: flask --app forum users|seed-demo|recount|search related ..."""

from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from forum.demo import seed
from forum.extensions import db
from forum.models import Prompt
from forum.models.user import ROLES
from forum.search.cli import search_cli
from forum.services import accounts, related
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
    """Recompute every stored counter and score from the rating, outcome and comment rows."""
    fixed = recount()
    click.echo(f"Fixed {fixed['contributions']} contribution(s) and {fixed['prompts']} prompt(s).")
    if fixed.get("comment_counts"):
        click.echo(f"Fixed the comment count of {fixed['comment_counts']} contribution(s).")
    if fixed.get("outcomes"):
        click.echo(f"Fixed the outcome counters of {fixed['outcomes']} contribution(s).")


@click.command("related")
def related_command():
    """Find every prompt's related reading again and keep it (after an import, so that first
    readers do not wait for it)."""
    total = db.session.scalar(select(func.count()).select_from(Prompt))
    started = time.perf_counter()
    with click.progressbar(length=total, label="Related reading", show_pos=True) as bar:
        done = related.find_all(progress=bar.update)
    seconds = time.perf_counter() - started
    click.echo(f"Related reading found for {done} prompts in {seconds:.1f} s.")


def init_app(app: Flask) -> None:
    search_cli.add_command(related_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(recount_command)
