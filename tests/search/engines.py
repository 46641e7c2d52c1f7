"""The search tests against each engine (docs/architecture.md: both pass the same contract tests).

A test that uses the app runs once per engine; the PostgreSQL run needs a server (see
`postgres_search_database` in tests/conftest.py) and is skipped, saying why, without one. Tests of
the Whoosh engine's own machinery (its outbox, generations, failures) carry the `whoosh_only`
marker (on the test, or as the module's `pytestmark`).
"""

from __future__ import annotations

ENGINES = ("whoosh", "postgres")
# The PostgreSQL engine's own machinery (triggers, migration, word list).
POSTGRES_ONLY_MODULES = {"test_postgres_engine"}


def parametrize(metafunc) -> None:
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if "search_backend" not in metafunc.fixturenames:
        return
    if module in POSTGRES_ONLY_MODULES:
        metafunc.parametrize("search_backend", ["postgres"], indirect=True)
    elif metafunc.definition.get_closest_marker("whoosh_only") is None:
        metafunc.parametrize("search_backend", ENGINES, indirect=True)


def pytest_generate_tests(metafunc) -> None:
    """Import this into a test module outside tests/search/ to run it for each engine."""
    parametrize(metafunc)
