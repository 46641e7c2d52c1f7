"""Reading pages the way a person does, and re-reading rows the way the database has them."""

from __future__ import annotations

import html
import re

from forum.extensions import db

INLINE_TAG = re.compile(r"</?(a|abbr|b|code|em|i|mark|span|strong|time)\b[^>]*>")


def page_text(response) -> str:
    """The visible text of a page, tags removed and whitespace collapsed."""
    markup = response.get_data(as_text=True)
    text = INLINE_TAG.sub("", markup)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def fresh(model, ident):
    """Re-read a row from the database, ignoring anything this test's session cached."""
    db.session.expire_all()
    return db.session.get(model, ident)
