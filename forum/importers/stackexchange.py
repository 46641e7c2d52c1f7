"""Reading a Stack Exchange data dump folder: Posts.xml, and Users.xml and Votes.xml where present.

Every file is streamed with `iterparse`, and each row is dropped from the tree once read, so memory
stays flat however big the file. A malformed or truncated file raises DumpError naming the file
and the line.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

QUESTION, ANSWER = "1", "2"
UP_VOTE, DOWN_VOTE = "2", "3"
ANONYMOUS = "anonymous"
# Post types that are neither questions nor answers: tag wikis, nominations, privilege pages.
OTHER_POST_TYPES = {
    "3": "orphaned tag wiki",
    "4": "tag wiki excerpt",
    "5": "tag wiki",
    "6": "moderator nomination",
    "7": "wiki placeholder",
    "8": "privilege wiki",
}


class DumpError(Exception):
    """A dump file that cannot be read; the message names the file and the line."""


def rows(path: Path, progress: Callable[[int], None] | None = None) -> Iterator[dict[str, str]]:
    """The attributes of every <row> of a dump file, streamed. `progress` gets bytes read."""
    with open(path, "rb") as handle:
        read = 0
        root = None
        try:
            # The operator's own file; expat (2.4.1+) caps entity expansion and never fetches
            # external entities.
            for event, element in ET.iterparse(handle, events=("start", "end")):  # noqa: S314
                if root is None:
                    root = element
                    continue
                if event == "end" and element.tag == "row":
                    yield dict(element.attrib)
                    root.clear()  # drop the rows read so far: memory stays flat
                    if progress:
                        position = handle.tell()
                        if position > read:
                            progress(position - read)
                            read = position
        except ET.ParseError as error:
            line = error.position[0] if error.position else "?"
            reason = re.sub(r":\s*line \d+, column \d+$", "", str(error))
            raise DumpError(f"{path.name} line {line}: {reason} (malformed or truncated)") from None
    if root is None:
        raise DumpError(f"{path.name} line 1: empty file")


def number(row: dict[str, str], name: str, path_name: str) -> int:
    """An integer attribute, or DumpError saying which row is wrong."""
    raw = row.get(name)
    try:
        return int(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DumpError(
            f"{path_name} row Id={row.get('Id', '?')}: {name} is {raw!r}, not a number"
        ) from None


def optional_number(raw: str | None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


def parse_tags(raw: str | None) -> list[str]:
    """`<a><b>` (unescaped by the XML parser) or, in dumps from 2024 on, `|a|b|`."""
    if not raw:
        return []
    names = re.findall(r"<([^<>]+)>", raw) if "<" in raw else raw.strip("|").split("|")
    return [n.strip() for n in names if n.strip()]


def parse_date(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_BLOCK_END = re.compile(r"</(p|div|blockquote|h[1-6]|ul|ol|table|tr)\s*>", re.I)
_PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.I | re.S)
_CODE = re.compile(r"<code[^>]*>(.*?)</code>", re.I | re.S)
_LINK = re.compile(r"<a\s[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.I | re.S)
_IMG = re.compile(r"<img\s[^>]*src=\"([^\"]*)\"[^>]*?(?:alt=\"([^\"]*)\")?[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_to_markdown(body: str) -> str:
    """A post's HTML body as Markdown-ish text (what the body is edited and searched as)."""
    text = body or ""
    text = _PRE.sub(lambda m: "\n```\n" + _TAG.sub("", m.group(1)).strip("\n") + "\n```\n", text)
    text = _CODE.sub(lambda m: "`" + _TAG.sub("", m.group(1)) + "`", text)
    text = _LINK.sub(lambda m: f"[{_TAG.sub('', m.group(2))}]({m.group(1)})", text)
    text = _IMG.sub(lambda m: f"![{m.group(2) or ''}]({m.group(1)})", text)
    text = re.sub(r"<h([1-6])[^>]*>", lambda m: "\n" + "#" * int(m.group(1)) + " ", text)
    text = re.sub(r"</?(strong|b)>", "**", text, flags=re.I)
    text = re.sub(r"</?(em|i)>", "*", text, flags=re.I)
    text = re.sub(r"<li[^>]*>", "\n- ", text, flags=re.I)
    text = re.sub(r"<blockquote[^>]*>", "\n> ", text, flags=re.I)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"<hr\s*/?>", "\n---\n", text, flags=re.I)
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def user_names(path: Path) -> dict[int, str]:
    """DisplayName by user id, from Users.xml."""
    names: dict[int, str] = {}
    for row in rows(path):
        user_id = optional_number(row.get("Id"))
        if user_id is not None:
            names[user_id] = row.get("DisplayName") or ""
    return names


def votes_by_post(path: Path) -> tuple[dict[int, list[int]], int]:
    """Up (VoteTypeId 2) and down (3) counts per post id, and how many such votes were read.
    Other vote types (favourites, bounties, closes) say nothing about usefulness."""
    counts: dict[int, list[int]] = {}
    total = 0
    for row in rows(path):
        kind = row.get("VoteTypeId")
        if kind not in (UP_VOTE, DOWN_VOTE):
            continue
        post_id = optional_number(row.get("PostId"))
        if post_id is None:
            continue
        pair = counts.setdefault(post_id, [0, 0])
        pair[0 if kind == UP_VOTE else 1] += 1
        total += 1
    return counts, total


def content_license(post: dict[str, str]) -> str:
    """The post's licence: its ContentLicense (dumps from 2019 on), else the one in force when it
    was posted (CC BY-SA 2.5 until 2011-04-08, 3.0 until 2018-05-02, 4.0 since)."""
    if post.get("ContentLicense"):
        return post["ContentLicense"][:40]
    created = parse_date(post.get("CreationDate"))
    if created is None:
        return "CC BY-SA"
    for until, version in ((datetime(2011, 4, 8, tzinfo=UTC), "2.5"),
                           (datetime(2018, 5, 2, tzinfo=UTC), "3.0")):  # fmt: skip
        if created < until:
            return f"CC BY-SA {version}"
    return "CC BY-SA 4.0"


def author_name(post: dict[str, str], names: dict[int, str]) -> str:
    """The name to credit: the account's DisplayName, else the name kept on the post."""
    owner = optional_number(post.get("OwnerUserId"))
    name = names.get(owner, "") if owner is not None else ""
    name = name or post.get("OwnerDisplayName") or (f"user{owner}" if owner is not None else "")
    return (name.strip() or ANONYMOUS)[:60]
