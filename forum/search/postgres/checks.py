"""`search check` on the PostgreSQL engine: stored vectors against fresh ones."""

from __future__ import annotations

from sqlalchemy import text

from forum.extensions import db
from forum.search.engine import Drift


def drift() -> Drift:
    """What differs from a fresh computation (only writes around the triggers can do it):
    visible items without a vector, vectors of items no longer visible, stale vectors. The
    suggestions are checked against the visible vectors as they are made."""
    missing = db.session.scalars(text(
        "SELECT 'c:' || c.id FROM contributions c WHERE c.status = 'visible' AND NOT EXISTS"
        " (SELECT 1 FROM contribution_search s WHERE s.contribution_id = c.id)"
        " UNION ALL SELECT 'p:' || id FROM prompts WHERE search_vector IS NULL"
    )).all()  # fmt: skip
    extra = db.session.scalars(text(
        "SELECT 'c:' || s.contribution_id FROM contribution_search s"
        " JOIN contributions c ON c.id = s.contribution_id WHERE c.status <> 'visible'"
    )).all()  # fmt: skip
    stale = db.session.scalars(text(
        "SELECT 'c:' || c.id FROM contribution_search s"
        " JOIN contributions c ON c.id = s.contribution_id WHERE c.status = 'visible' AND"
        " (s.prompt_id <> c.prompt_id OR s.search_vector <>"
        "  search_contribution_vector(c.prompt_id, c.key_point_id, c.body_html))"
        " UNION ALL SELECT 'p:' || id FROM prompts WHERE search_vector IS NOT NULL"
        " AND search_vector <> search_prompt_vector(id, title, intro_html)"
    )).all()  # fmt: skip
    return Drift(
        sorted(missing),
        sorted(extra),
        sorted(stale),
        repair="Run `flask --app forum search reindex` to recompute the search vectors.",
        in_step="No drift: every search vector matches its row (PostgreSQL keeps them in the"
        " writing transaction).",
    )
