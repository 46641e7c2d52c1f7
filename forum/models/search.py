"""What a reader may ask of search. Search has no table of its own: the index is built from
prompts and contributions (and kept current through the search outbox)."""

# The orders of search results: text match blended with usefulness, text match alone, most
# useful first, newest first.
SEARCH_SORTS = ("best", "relevance", "useful", "newest")
