"""A prompt's page, in two parts (forum/page_parts.py): the page as every reader sees it, built
once per version of the prompt and kept in the page cache, and the reader's own part (their
ratings, their vote, their name, their forms), written in per request from one small query
(forum/services/member_state.py)."""

from __future__ import annotations

from flask import current_app, g, request, url_for

from forum import page_cache, page_parts
from forum.extensions import cache
from forum.models.contribution import CONTRIBUTION_SORTS
from forum.page_parts import Fill, SharedPage
from forum.permissions import can
from forum.services import contributions, contributors, member_state, prompts, related
from forum.services.paging import Page
from forum.web import comment_parts, evidence
from forum.web.forms import ContributionForm
from forum.web.helpers import page_arg, sort_labels

SORT_LABELS = sort_labels(CONTRIBUTION_SORTS)
LISTING_ARGS = ("sort", "key_point", "page", "view")
# The "By key point" view: how many of the best contributions each key point shows.
PER_KEY_POINT = 3
# A page without related reading is kept this long only (seconds): the next prompt of its topic
# moves no version of this one, and its readers should not wait the cache's ten minutes for it.
KEEP_WITHOUT_RELATED = 30


def listing_args() -> dict[str, str]:
    """The query arguments that choose a listing; anything else (say `_external`) is dropped."""
    args = request.args
    return {name: args[name] for name in LISTING_ARGS if name in args}


def render(
    prompt_id: int, version: int | None, person, contribute_form: ContributionForm | None = None
) -> str:
    """The page as `person` (None: a reader who is not signed in) sees it. With the prompt's
    `version`, the shared part comes from the cache; a contribute form sent back with its
    errors is shown as sent."""
    # Moderators list hidden contributions too: their listing is shared among them.
    audience = "moderators" if can(person, "read_hidden") else "everyone"
    cacheable = version is not None and contribute_form is None
    key = f"parts:{audience}:{prompt_id}:{version}:{sorted(listing_args().items())}"
    shared = page_cache.cached(key) if cacheable else None
    built = shared is None
    if built:
        shared = build(prompt_id, person if audience == "moderators" else None)
    state = member_state.on_prompt(person, prompt_id)
    if state.hidden_own and audience == "everyone":
        # Their own hidden contributions are listed for them (with the reason): a listing of
        # their own, never kept.
        shared, cacheable = build(prompt_id, person), False
    writing = Fill(person, state, shared, contribute_form=contribute_form)
    body = page_parts.fill(shared, writing)
    if cacheable and (built or writing.kept_new_variants):
        cache.set(key, shared, g.get("page_keep_seconds"))
    return body


def build(prompt_id: int, lister) -> SharedPage:
    """The page as every reader sees it, listing what `lister` may see listed (None: the
    visible contributions)."""
    prompt = prompts.get_prompt(prompt_id)
    sort = request.args.get("sort", "useful")
    if sort not in CONTRIBUTION_SORTS:
        sort = "useful"
    key_points = {kp.id: kp for kp in prompt.key_points}
    key_point_id = request.args.get("key_point", type=int)
    if key_point_id not in key_points:
        key_point_id = None
    # "By key point": the contributions under the key point each answers, best first.
    grouped = request.args.get("view") == "key_points" and bool(key_points)
    groups = None
    if grouped:
        sort, key_point_id = "useful", None
        groups, new_id, total = contributions.grouped_by_key_point(
            prompt, per_group=PER_KEY_POINT, viewer=lister
        )
        shown = [c for group in groups for c in group.items]
        page = Page(shown, 1, max(1, len(shown)), total)
    else:
        page, new_id = contributions.list_for_prompt(
            prompt,
            sort=sort,
            key_point_id=key_point_id,
            page=page_arg(),
            per_page=current_app.config["CONTRIBUTIONS_PER_PAGE"],
            viewer=lister,
        )
    back = url_for("prompts.show", prompt_id=prompt.id, slug=prompt.slug, **listing_args())
    related_reading = related.related_headings(prompt)
    if not related_reading:
        g.page_keep_seconds = KEEP_WITHOUT_RELATED
    shared = page_parts.render_shared(
        "prompt.html",
        prompt=prompt,
        page=page,
        new_id=new_id,
        sort=sort,
        sort_labels=SORT_LABELS,
        key_point_id=key_point_id,
        key_points=key_points,
        groups=groups,
        key_point_choices=tuple((kp.id, kp.title) for kp in prompt.key_points),
        related=related_reading,
        # The side rail's "Who contributed" (visible contributions only, for every audience).
        contributors=contributors.of_prompt(prompt.id),
        # The first comments under every card, in one query.
        card_comments=comment_parts.on_cards(page.items, lister),
        # Where the cards members tried were mostly tried: one query for the page (shared
        # content: an outcome moves the prompt's version).
        mostly=evidence.mostly_of(c.id for c in page.items if c.outcome_count),
        # Where the small forms (rating, flag) bring the reader back to: this very listing.
        back=back,
        # The login links name it too, never the request's own query string: readers share
        # this page from the cache.
        canonical_path=back,
    )
    return shared
