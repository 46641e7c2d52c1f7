"""The search page: prompts and contributions, best first, with facets and a "did you mean"."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request, url_for

from forum.models.search import SEARCH_SORTS
from forum.services import search, search_details
from forum.web import evidence
from forum.web.helpers import page_arg, sort_labels

bp = Blueprint("search", __name__)

FILTERS = ("type", "topic", "tag", "author")
SORT_LABELS = sort_labels(SEARCH_SORTS)
# What stays as written in a query string, as url_for writes it (werkzeug's choice).
URL_SAFE = "!$'()*,/:;?@"


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
        # The page's address once; each link adds its arguments (a page has dozens of links:
        # one per facet, sort and page).
        self.path = url_for("search.results")

    def to(self, **changes) -> str:
        args = {k: v for k, v in {**self.args, **changes}.items() if v}
        return f"{self.path}?{urlencode(args, safe=URL_SAFE)}" if args else self.path

    def with_topic(self, slug: str) -> str:
        return self.to(topic=slug)

    def with_tag(self, name: str) -> str:
        """Narrow to a tag: the tag= parameter, or `#name` in the query when one is taken."""
        if self.args["tag"] in (None, name):
            return self.to(tag=name)
        return self.to(q=f"{self.args['q']} #{name}".strip())


@dataclass
class Group:
    """The hits of one prompt on this page, under one heading: the prompt itself when it is a hit,
    and its contributions, best first."""

    prompt_id: int
    title: str
    slug: str
    topic: str
    prompt: search.Result | None = None
    contributions: list[search.Result] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"p{self.prompt_id}"


def grouped(items: list[search.Result]) -> list[Group]:
    """The page's hits by prompt, each group where its best hit ranks."""
    groups: dict[int, Group] = {}
    for hit in items:
        group = groups.get(hit.prompt_id)
        if group is None:
            slug = hit.prompt_slug or hit.slug
            group = groups[hit.prompt_id] = Group(hit.prompt_id, hit.title, slug, hit.topic)
        if hit.type == "prompt":
            group.prompt = hit
        else:
            group.contributions.append(hit)
    return list(groups.values())


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
        "groups": [],
        "error": None,
        "topic_names": {},
        "links": Links(q, filters, sort),
        "mostly": {},
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
    context["topic_names"] = search_details.topic_names(context["result"])
    items = context["result"].items
    context["groups"] = grouped(items)
    # Where the contributions members tried were mostly tried: one query for the page.
    context["mostly"] = evidence.mostly_of(
        r.id for r in items if r.type == "contribution" and r.tried
    )
    return render_template("search.html", **context)
