"""Fixtures of the search suite. Nothing here turns the outbox off: every test data row goes
through it into the test's own Whoosh index, as in production. Tests run against each engine."""

from __future__ import annotations

import pytest

from tests.factories import make_contribution, make_prompt, make_topic, rate_many
from tests.search import engines


def pytest_generate_tests(metafunc):
    """Every test here that uses the app runs against each engine (engines.py)."""
    engines.parametrize(metafunc)


@pytest.fixture
def trust(app):
    """A prompt about trust in the life-coaching topic, and a rated answer tagged #listening."""
    topic = make_topic(slug="life-coaching", name="Life Coaching")
    prompt = make_prompt(topic=topic, title="Building trust with a new client", tags=("trust",))
    answer = make_contribution(prompt=prompt, body="Trust grows from kept promises. #listening")
    rate_many(answer, [5, 4])
    return prompt, answer
