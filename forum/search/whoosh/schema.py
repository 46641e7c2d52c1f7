"""What the Whoosh index holds: its fields, their analyzer and boosts, and a document's fields."""

from __future__ import annotations

from datetime import UTC

from whoosh.fields import ID, KEYWORD, STORED, Schema

from forum.search.whoosh.fields import IndexedText, SortedDatetime, text_analyzer

TEXT_FIELDS = ("title", "context", "body")
# Tuned on the Stack Exchange judgments of bench/search_eval.py (bench/README.md): a lower title
# boost and the prompt's title weighing as much on its contributions as their own words.
TITLE_BOOST = 2.0
CONTEXT_BOOST = 1.0


def make_schema() -> Schema:
    analyzer = text_analyzer("en")
    # Numbers are only stored: nothing searches them, and indexed numbers cost ~40 terms each.
    return Schema(
        key=ID(stored=True, unique=True),
        type=ID(stored=True),
        id=STORED(),
        prompt_id=STORED(),
        title=IndexedText(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST),
        context=IndexedText(analyzer=analyzer, field_boost=CONTEXT_BOOST),
        body=IndexedText(analyzer=analyzer, stored=True),
        topic=ID(stored=True),
        tags=KEYWORD(stored=True, commas=True, lowercase=True),
        author=ID(stored=True),
        usefulness=STORED(),
        ratings=STORED(),
        featured=STORED(),
        created=SortedDatetime(stored=True, sortable=True),
    )


def naive_utc(value):
    """Whoosh stores naive datetimes; ours are aware UTC."""
    return value.astimezone(UTC).replace(tzinfo=None) if value is not None else None


def document_fields(document: dict) -> dict:
    """The fields Whoosh stores for a search document (documents.py)."""
    fields = dict(document)
    fields["tags"] = ",".join(document.get("tags") or [])
    fields["created"] = naive_utc(document.get("created"))
    fields.setdefault("context", "")
    return fields
