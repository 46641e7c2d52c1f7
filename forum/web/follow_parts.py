"""The follow buttons a page leaves as part(...) holes (forum/page_parts.py): what the reader
follows is theirs alone. On a prompt's page the state comes with the member's one query
(forum/services/member_state.py); elsewhere it is one small query for the one target."""

from __future__ import annotations

from forum.page_parts import Fill, filler, macro
from forum.services import following

FOLLOWING = "macros/following.html"
NAMES = {
    "prompt": "this prompt",
    "key_point": "this key point",
    "topic": "this topic",
    "tag": "this tag",
    "user": "this member",
}


@filler("follow")
def _follow(fill: Fill, target_type, target_id, back) -> bytes | str:
    """Follow / mute buttons for one target; nothing for a reader who is not signed in (the
    page readers share stays as it was)."""
    person = fill.person
    if person is None or target_id is None:
        return ""
    if isinstance(target_id, str):  # a tag's listing names the tag
        target_id = following.tag_id(target_id)
        if target_id is None:
            return ""
    if fill.state is not None:  # a prompt's page: its follows came with the member's state
        level = fill.state.follows.get((target_type, target_id))
    else:
        level = following.level_of(person, target_type, target_id)
    key = ("follow", target_type, target_id, level, back)
    return fill.variant(
        key,
        lambda: macro(FOLLOWING, "follow_form")(
            target_type, target_id, level, back, NAMES[target_type]
        ),
    )
