"""flask --app forum search reindex|check"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Contribution, Prompt

search_cli = AppGroup("search", help="Rebuild the search index or check it against the database.")


@search_cli.command("reindex")
def reindex_command():
    """Rebuild the index from the database into a fresh one, swapped in atomically."""
    from forum.search import get_engine, maintenance

    if get_engine().name == "postgres":
        result = maintenance.reindex()
        click.echo(
            f"Recomputed the search vectors of {result['documents']} prompts and contributions"
            f" in {result['seconds']:.1f} s (PostgreSQL keeps them current on every write)."
        )
        return
    total = db.session.scalar(select(func.count(Prompt.id))) + db.session.scalar(
        select(func.count(Contribution.id)).where(Contribution.status == "visible")
    )
    with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
        result = maintenance.reindex(progress=bar.update)
    click.echo(
        f"Indexed {result['documents']} documents in {result['seconds']:.1f} s "
        f"({result['per_second']:.0f} per second)."
    )


@search_cli.command("check")
def check_command():
    """Compare database and index; exit 1 when they drift apart."""
    from forum.search import get_engine, maintenance

    drift = maintenance.check()
    for label in ("missing", "extra", "stale"):
        keys = drift[label]
        click.echo(f"{label}: {len(keys)}" + (f" ({', '.join(keys[:10])})" if keys else ""))
    postgres = get_engine().name == "postgres"
    if not postgres:
        click.echo(f"pending in outbox: {drift['pending']}")
        _echo_words(drift)
    words_drift = not drift["word_list"] or drift["stale_words"] or drift["miscounted_words"]
    if drift["missing"] or drift["extra"] or drift["stale"] or words_drift:
        if postgres:
            click.echo("Run `flask --app forum search reindex` to recompute the search vectors.")
        else:
            click.echo("Run `flask --app forum search reindex` to rebuild the index and its"
                       " suggestion word list.")  # fmt: skip
        raise SystemExit(1)
    if postgres:
        click.echo("No drift: every search vector matches its row (PostgreSQL keeps them in the"
                   " writing transaction).")  # fmt: skip
    else:
        click.echo("No drift: the index matches the database.")


def _echo_words(drift: dict) -> None:
    """The suggestion word list, in counts only: its stale words are text no longer shown."""
    if not drift["word_list"]:
        click.echo("no suggestion word list: suggestions are off until"
                   " `flask --app forum search reindex` writes one.")  # fmt: skip
        return
    click.echo(f"suggestion words no visible content holds: {drift['stale_words']}")
    click.echo(f"suggestion words counted wrong: {drift['miscounted_words']}")
