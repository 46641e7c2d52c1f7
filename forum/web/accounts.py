"""Account pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from forum.services import accounts

bp = Blueprint("accounts", __name__)


@bp.get("/login")
def login():
    return render_template("login.html")


@bp.get("/u/<username>")
def profile(username):
    return render_template("profile.html", user=accounts.get_user(username))
