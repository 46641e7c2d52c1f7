"""HTML pages for people. Views are thin: parse the form, call a service, render a template."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from forum.web import accounts, contributions, prompts

    for module in (accounts, prompts, contributions):
        app.register_blueprint(module.bp)
