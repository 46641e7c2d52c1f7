"""Which engine serves search: postgres on PostgreSQL, whoosh otherwise, unless set."""

from __future__ import annotations

import pytest

from forum import create_app
from tests.conftest import base_config

POSTGRES = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # never connected to here


def backend(url: str, setting: str | None) -> str:
    app = create_app(base_config(DATABASE_URL=url, SEARCH_BACKEND=setting, SEARCH_PATH="/nowhere"))
    return app.config["SEARCH_BACKEND"]


@pytest.mark.parametrize(
    ("url", "setting", "expected"),
    [
        (POSTGRES, None, "postgres"),
        ("postgres://nobody@127.0.0.1:1/none", None, "postgres"),
        ("sqlite://", None, "whoosh"),
        (POSTGRES, "whoosh", "whoosh"),
        (POSTGRES, "Postgres", "postgres"),
    ],
)
def test_the_database_picks_the_engine_unless_a_setting_says_otherwise(url, setting, expected):
    assert backend(url, setting) == expected


@pytest.mark.parametrize(
    ("url", "setting", "message"),
    [
        ("sqlite://", "postgres", "needs a PostgreSQL database"),
        ("sqlite://", "elastic", "whoosh or postgres, not 'elastic'"),
    ],
)
def test_an_impossible_setting_stops_the_app_at_start(url, setting, message):
    with pytest.raises(RuntimeError, match=message):
        backend(url, setting)
