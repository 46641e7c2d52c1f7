"""flask --app forum import stackexchange DIR --topic SLUG"""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import AppGroup

from forum.importers.service import import_dumps, site_folders
from forum.importers.stackexchange import DumpError
from forum.search import documents, maintenance

import_cli = AppGroup("import", help="Import content from elsewhere, with its attribution.")


@import_cli.command("stackexchange")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--topic", help="Slug of the topic (created when missing). Default: one per site.")
@click.option("--site", help="The site's host name (default: the folder's name).")
def stackexchange_command(folder: Path, topic: str | None, site: str | None):
    """Import a Stack Exchange data dump: questions become prompts, answers contributions.

    FOLDER is a site's dump folder (Posts.xml, and Users.xml and Votes.xml where present), or a
    folder of such folders, imported together with one topic per site unless --topic is given.
    Idempotent: a second run adds nothing. A malformed file stops the import and leaves the
    database as it was.
    """
    started = time.perf_counter()
    try:
        folders = site_folders(folder)
        size = sum((f / "Posts.xml").stat().st_size for f in folders)
        with click.progressbar(length=size, label="Reading Posts.xml") as bar:
            summaries = import_dumps(folders, topic, site=site, progress=bar.update)
    except DumpError as error:
        raise click.ClickException(f"{error}. Nothing was imported.") from None
    for summary in summaries:
        click.echo(_summary_text(summary))
    prompts = sum(s.prompts for s in summaries)
    contributions = sum(s.contributions for s in summaries)
    read = time.perf_counter() - started
    if prompts or contributions:
        with click.progressbar(length=documents.searchable_count(), label="Search") as bar:
            how = maintenance.after_import(prompts + contributions, bar.update)
        click.echo(f"Search: {how} ({time.perf_counter() - started - read:.1f} s).")
    click.echo(
        f"Done in {time.perf_counter() - started:.1f} s: {prompts} prompts and "
        f"{contributions} contributions imported from {len(summaries)} site(s)."
        + ("" if prompts or contributions else " Nothing new: all of it was already here.")
    )


def _summary_text(summary) -> str:
    lines = [
        f"{summary.site} -> topic {summary.topic}"
        + (" (new)" if summary.topic_created else "")
        + f": {summary.prompts} prompts, {summary.contributions} contributions, "
        f"{summary.tags} new tags; imported ratings (from {summary.votes_from}): "
        f"{summary.up_votes} up as 5, {summary.down_votes} down as 1"
    ]
    for reason, count in sorted(summary.skipped.items()):
        if count:
            lines.append(f"  skipped {count}: {reason}")
    if summary.not_imported:
        lines.append(f"  not imported (no counterpart here): {', '.join(summary.not_imported)}")
    return "\n".join(lines)
