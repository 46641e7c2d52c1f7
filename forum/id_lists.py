"""A column among a list of values given at execution, written so that PostgreSQL can keep the
statement: `column = ANY(:name)` with the list as one array there, `column IN (...)` elsewhere.

`column.in_(bindparam(name, expanding=True))` writes one parameter per value, so each length
of list is another statement text: the driver prepares a statement only once it has seen its
text five times (forum/kept_statements.py), and a page of results' ids is rarely the same
length twice. One array parameter keeps one text whatever the list's length.

    select(Prompt.title).where(one_of(Prompt.id, "ids"))   executed with {"ids": [3, 5, 8]}
"""

from __future__ import annotations

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean


class OneOf(ColumnElement):
    """`column` is one of the values of the parameter `name` (a list)."""

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("name", InternalTraversal.dp_string),
    ]

    def __init__(self, column, name: str) -> None:
        self.column = column
        self.name = name

    @property
    def _from_objects(self):
        return self.column._from_objects

    def self_group(self, against=None):
        """A condition already, as a comparison is. A boolean expression's default grouping in
        WHERE is `expression = 1` on SQLite (which has no boolean type), and `x IN (...) = 1`
        hid the index from SQLite's planner: it read the whole table."""
        return self


def one_of(column, name: str) -> OneOf:
    return OneOf(column, name)


@compiles(OneOf)
def _in_list(element: OneOf, compiler, **kw) -> str:
    return compiler.process(element.column.in_(bindparam(element.name, expanding=True)), **kw)


@compiles(OneOf, "postgresql")
def _any_of_array(element: OneOf, compiler, **kw) -> str:
    array = bindparam(element.name, type_=ARRAY(element.column.type))
    return compiler.process(element.column == any_(array), **kw)
