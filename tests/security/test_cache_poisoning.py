"""Nothing one request sends reaches other readers through the shared anonymous cache.

The API's absolute links come from FORUM_BASE_URL (or SERVER_NAME), never from the request's Host
or X-Forwarded-Host; cached pages link back to their own canonical address, not to the query
string of whoever filled the cache.
"""

from __future__ import annotations

import re

import pytest

from tests.factories import make_contribution

EVIL = "evil.example"
POISONINGS = {
    "a Host header": ({"Host": EVIL}, {}),
    "an X-Forwarded-Host header behind one proxy": ({"X-Forwarded-Host": EVIL}, {"PROXY_HOPS": 1}),
}


def _shared_cache_app(client_with, **settings):
    """An app with the shared cache on and no SERVER_NAME, as most deployments run."""
    return client_with(CACHE_TYPE="SimpleCache", SERVER_NAME=None, **settings)


def _addresses(contribution) -> list[str]:
    prompt = contribution.prompt
    return [
        f"/api/v1/prompts/{prompt.id}/contributions",
        f"/prompts/{prompt.id}/{prompt.slug}",
        f"/api/v1/prompts/{prompt.id}",
        f"/api/v1/contributions/{contribution.id}",
        f"/api/v1/prompts?topic={prompt.topic.slug}",
    ]


@pytest.mark.parametrize("poisoning", POISONINGS, ids=list(POISONINGS))
def test_a_poisoned_host_never_reaches_the_next_reader(client_with, poisoning):
    headers, settings = POISONINGS[poisoning]
    client = _shared_cache_app(client_with, **settings)
    contribution = make_contribution()
    addresses = _addresses(contribution)
    for address in addresses:
        assert client.get(address, headers=headers).status_code == 200

    later = {address: client.get(address).get_data(as_text=True) for address in addresses}

    assert {address: EVIL in body for address, body in later.items()} == dict.fromkeys(
        addresses, False
    )


@pytest.mark.parametrize("poisoning", POISONINGS, ids=list(POISONINGS))
def test_api_links_come_from_the_configured_base_url_whatever_the_request_says(
    client_with, poisoning
):
    headers, settings = POISONINGS[poisoning]
    client = _shared_cache_app(client_with, BASE_URL="https://coaching.example.org/", **settings)
    contribution = make_contribution()
    prompt = contribution.prompt

    listing = client.get(f"/api/v1/prompts/{prompt.id}/contributions", headers=headers)
    shown = client.get(f"/api/v1/prompts/{prompt.id}", headers=headers)

    assert [item["url"] for item in listing.get_json()["items"]] == [
        f"https://coaching.example.org/contributions/{contribution.id}"
    ]
    assert (
        shown.get_json()["url"] == f"https://coaching.example.org/prompts/{prompt.id}/{prompt.slug}"
    )


def test_without_a_base_url_api_links_are_paths_on_this_site(client_with):
    client = _shared_cache_app(client_with)
    contribution = make_contribution()

    body = client.get(f"/api/v1/contributions/{contribution.id}", headers={"Host": EVIL})

    assert body.get_json()["url"] == f"/contributions/{contribution.id}"


def test_a_base_url_that_is_not_an_http_address_is_refused_at_start(client_with):
    with pytest.raises(RuntimeError, match="FORUM_BASE_URL"):
        client_with(BASE_URL="coaching.example.org")


def _login_links(html: str) -> list[str]:
    return re.findall(r'href="(/login[^"]*)"', html)


def test_the_login_links_of_a_cached_page_carry_no_other_readers_query_string(client_with):
    client = _shared_cache_app(client_with)
    prompt = make_contribution().prompt
    page = f"/prompts/{prompt.id}/{prompt.slug}"
    first = client.get(f"{page}?sort=newest&utm_source=mail&ref=someone-else")

    later = client.get(f"{page}?sort=newest").get_data(as_text=True)

    canonical = f"/login?next={page}?sort%3Dnewest"
    # The header's, the helpful vote's, the contribution's comments', the contribute form's.
    expected = [canonical, canonical, canonical, f"{canonical}%23contribute"]
    assert _login_links(later) == expected
    assert _login_links(first.get_data(as_text=True)) == _login_links(later)
