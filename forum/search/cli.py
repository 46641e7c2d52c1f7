"""flask --app forum search reindex|check"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from forum.search import documents, maintenance
from forum.search.engine import IndexBusy

search_cli = AppGroup("search", help="Rebuild the search index or check it against the database.")


@search_cli.command("reindex")
def reindex_command():
    """Rebuild the index from the database; searches keep answering meanwhile."""
    total = documents.searchable_count()
    try:
        with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
            rebuilt = maintenance.reindex(progress=bar.update)
    except IndexBusy as busy:
        raise click.ClickException(f"{busy}; nothing changed: try again when it is done.") from None
    click.echo(rebuilt.summary)


@search_cli.command("check")
def check_command():
    """Compare database and index; exit 1 when they drift apart."""
    drift = maintenance.check()
    for label in ("missing", "extra", "stale"):
        keys = getattr(drift, label)
        click.echo(f"{label}: {len(keys)}" + (f" ({', '.join(keys[:10])})" if keys else ""))
    for note in drift.notes:
        click.echo(note)
    if drift.drifted:
        click.echo(drift.repair)
        raise SystemExit(1)
    click.echo(drift.in_step)
