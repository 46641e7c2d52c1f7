"""What services publish after they commit, for subsystems that follow the content (search)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sent with kind ("prompt" or "contribution") and ids (a list) after a change is committed
content_changed = _signals.signal("content-changed")


def publish(kind: str, *ids: int) -> None:
    content_changed.send(kind, ids=list(ids))
