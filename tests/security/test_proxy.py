"""Behind a reverse proxy, per-address limits count the client's address, not the proxy's."""

from __future__ import annotations


def _register(client, n: int, forwarded_for: str):
    return client.post(
        "/api/v1/auth/register",
        json={"username": f"coach{n}", "email": f"c{n}@example.org", "password": "x" * 12},
        headers={"X-Forwarded-For": forwarded_for},
    )


def test_with_one_trusted_proxy_each_client_address_has_its_own_limit(client_with):
    client = client_with(PROXY_HOPS=1, RATELIMIT_ENABLED=True, RATELIMIT_REGISTER="1 per hour")
    assert _register(client, 1, "203.0.113.7").status_code == 201
    assert _register(client, 2, "198.51.100.9").status_code == 201
    assert _register(client, 3, "203.0.113.7").status_code == 429


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(client_with):
    client = client_with(RATELIMIT_ENABLED=True, RATELIMIT_REGISTER="1 per hour")
    assert _register(client, 1, "203.0.113.7").status_code == 201
    # A client cannot dodge the limit by inventing a forwarded address.
    assert _register(client, 2, "198.51.100.9").status_code == 429
