"""The search page: prompts and contributions, best first, with facets and a "did you mean"."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for

from forum.models.search import SEARCH_SORTS
from forum.services import search, topics
from forum.web.helpers import page_arg, sort_labels

bp = Blueprint("search", __name__)

FILTERS = ("type", "topic", "tag", "author")
SORT_LABELS = sort_labels(SEARCH_SORTS)


def _arguments() -> tuple[str, dict[str, str | None], str]:
    """The query, its filters and the sort, as the page's links carry them."""
    q = request.args.get("q", "").strip()
    filters = {name: request.args.get(name, "").strip() or None for name in FILTERS}
    sort = request.args.get("sort", "best")
    # A shared link with an unknown sort shows the default order, not an error.
    return q, filters, sort if sort in SEARCH_SORTS else "best"


class Links:
    """Links from this results page: the same search with one thing changed."""

    def __init__(self, q: str, filters: dict[str, str | None], sort: str):
        self.args = {"q": q, **filters, "sort": None if sort == "best" else sort}

    def to(self, **changes) -> str:
        args = {**self.args, **changes}
        return url_for("search.results", **{k: v for k, v in args.items() if v})

    def with_topic(self, slug: str) -> str:
        return self.to(topic=slug)

    def with_tag(self, name: str) -> str:
        """Narrow to a tag: the tag= parameter, or `#name` in the query when one is taken."""
        if self.args["tag"] in (None, name):
            return self.to(tag=name)
        return self.to(q=f"{self.args['q']} #{name}".strip())


@bp.get("/search")
def results():
    """Search results; an empty search shows the form with a hint, a bad query a 400 with why."""
    q, filters, sort = _arguments()
    context = {
        "q": q,
        "filters": filters,
        "sort": sort,
        "sort_labels": SORT_LABELS,
        "result": None,
        "error": None,
        "topic_names": {},
        "links": Links(q, filters, sort),
    }
    if not q and not any(filters.values()):
        return render_template("search.html", **context)
    try:
        context["result"] = search.search(
            q,
            **filters,
            sort=sort,
            page=page_arg(),
            per_page=current_app.config["PER_PAGE"],
        )
    except search.BadQuery as error:
        context["error"] = error.message
        return render_template("search.html", **context), error.code
    context["topic_names"] = topics.topic_names()
    return render_template("search.html", **context)
