"""Values an app keeps in its process for a while: read once, then used again for some seconds
instead of read on every request (the search tables' statistics, a page's shared part as an
object, a session's signed CSRF token).

Each kind is a dict in `app.extensions` under its own name, holding at most `most` values: past
that, the dict starts again (a plain bound on memory; what was dropped is read again when asked
for). Nothing here is shared between processes, and nothing outlives its seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")

clock = time.monotonic  # tests move it


def kept_for(
    name: str,
    key: Hashable,
    seconds: float,
    read: Callable[[], T],
    *,
    most: int = 1,
    keep: Callable[[T], bool] | None = None,
) -> T:
    """The value of `key` in the `name` kind as read within the last `seconds`, or `read()` now
    and kept (only when `keep(value)` says so, if given)."""
    values = current_app.extensions.setdefault(name, {})
    now = clock()
    found = values.get(key)
    if found is not None and now < found[0]:
        return found[1]
    value = read()
    if keep is None or keep(value):
        if len(values) >= most and key not in values:
            values.clear()
        values[key] = (now + seconds, value)
    return value


def forget(name: str) -> None:
    """Every value of the `name` kind is read again when next asked for."""
    current_app.extensions.pop(name, None)
