"""The app server's own settings (forum/gunicorn_config.py) as a worker applies them."""

from __future__ import annotations

import gc

import pytest

from forum import gunicorn_config


@pytest.fixture
def collector_as_it_was():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_a_worker_keeps_what_its_app_holds_out_of_later_collections(collector_as_it_was):
    """Once a worker has made its app, the objects that live as long as the worker are frozen
    and young objects are collected every GC_YOUNG allocations: requests stop paying for
    collections that walk the whole heap."""
    gc.unfreeze()
    gunicorn_config.post_worker_init(worker=None)
    assert gc.get_freeze_count() > 10_000
    assert gc.get_threshold()[0] == gunicorn_config.GC_YOUNG > 700
