"""Search API: prompts and contributions, best first, with facets and a "did you mean"."""

from __future__ import annotations

from flask_smorest import Blueprint

from forum.schemas.search import SearchArgs, SearchPageSchema
from forum.services import search

blp = Blueprint("api_search", __name__, description="Search")


@blp.get("/search")
@blp.arguments(SearchArgs, location="query")
@blp.response(200, SearchPageSchema)
def search_everything(args):
    """Words, "phrases", AND / OR / NOT, -word, topic:, tag: or #, author: or @, type:.

    `best` blends text match with usefulness; every hit carries `explain`. A query that cannot
    be parsed is a 400 naming the problem.
    """
    return search.search(**args)
