"""Fixtures of the importer's tests: a small dump folder, and the command that imports it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from tests.importers.dumps import SITE, write_dump


@pytest.fixture
def dump(tmp_path):
    return write_dump(tmp_path / "dumps" / SITE)


@pytest.fixture
def run_import(runner):
    def run(folder, *options):
        return runner.invoke(args=["import", "stackexchange", str(folder), *options])

    return run


@pytest.fixture
def imported(run_import, dump):
    result = run_import(dump, "--topic", "coaching")
    assert result.exit_code == 0, result.output
    return result


def row_counts() -> dict[str, int]:
    db.session.remove()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
