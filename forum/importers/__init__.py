"""Importing content from elsewhere: Stack Exchange data dumps (CC BY-SA, attributed)."""

from __future__ import annotations

from flask import Flask

from forum.importers.cli import import_cli


def init_app(app: Flask) -> None:
    app.cli.add_command(import_cli)
