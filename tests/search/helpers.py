"""Asking the search API the way a program does, and reading its answers."""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlencode

from forum.search import get_engine
from forum.search.query import parse

SEARCH = "/api/v1/search"


def search_url(q: str | None = None, **params) -> str:
    args = {"q": q} if q is not None else {}
    args.update({name: value for name, value in params.items() if value is not None})
    return f"{SEARCH}?{urlencode(args)}" if args else SEARCH


def search(client, q: str | None = None, **params) -> dict:
    """The JSON page of a search that must succeed."""
    response = client.get(search_url(q, **params))
    assert response.status_code == 200, (response.status_code, response.get_json(silent=True))
    return response.get_json()


def hits(body: dict) -> list[tuple[str, int]]:
    """(type, id) of every item, in the order given."""
    return [(item["type"], item["id"]) for item in body["items"]]


def contribution_ids(body: dict) -> list[int]:
    return [item["id"] for item in body["items"] if item["type"] == "contribution"]


def found(client, q: str, **params) -> set[tuple[str, int]]:
    """Everything a search finds (first page of up to 100)."""
    return set(hits(search(client, q, per_page=100, **params)))


def assert_bad_query(response, *fragments: str) -> str:
    """A 400 in the error shape of docs/api.md, whose message names the problem."""
    body = response.get_json(silent=True)
    assert response.status_code == 400, (response.status_code, body)
    assert body["code"] == 400
    assert body["status"] == HTTPStatus.BAD_REQUEST.phrase
    for fragment in fragments:
        assert fragment in body["message"], body
    return body["message"]


def indexed_keys(text: str) -> set[str]:
    """Keys the Whoosh index itself answers for these words, bypassing the service's SQL."""
    return {hit.key for hit in get_engine().search(parse(text), 200)}
