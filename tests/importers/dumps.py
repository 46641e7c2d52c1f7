"""Small Stack Exchange dump folders written by the tests themselves."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

SITE = "coaching.stackexchange.com"


def write_table(path: Path, root: str, rows: list[dict]) -> None:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f"<{root}>"]
    for row in rows:
        attributes = " ".join(f"{k}={quoteattr(str(v))}" for k, v in row.items())
        lines.append(f"  <row {attributes} />")
    lines.append(f"</{root}>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def question(post_id: int, title: str, body: str, **extra) -> dict:
    return {"Id": post_id, "PostTypeId": 1, "Title": title, "Body": body, **extra}


def answer(post_id: int, parent: int, body: str, **extra) -> dict:
    return {"Id": post_id, "PostTypeId": 2, "ParentId": parent, "Body": body, **extra}


POSTS = [
    question(
        1,
        "How do you build trust with a new client?",
        "<p>I want <b>trust</b> early.</p><script>alert(1)</script>",
        OwnerUserId=10,
        CreationDate="2019-03-01T10:00:00.000",
        Score=4,
        Tags="<trust><first-session>",
        ContentLicense="CC BY-SA 4.0",
    ),
    answer(
        2,
        1,
        "<p>Mirror their words: the zanzibarian technique.</p>",
        OwnerUserId=11,
        CreationDate="2019-03-02T10:00:00.000",
    ),
    answer(3, 1, "<p>Ask what they already tried.</p>"),  # no owner, no date, no score
    question(
        4,
        "Keeping a client motivated",
        "<p>Motivation fades.</p>",
        OwnerDisplayName="Old Timer",
        Tags="|motivation|goals|",
    ),
    answer(5, 4, "<p>Small wins every week.</p>", OwnerDisplayName="Kim"),
    *[{"Id": n, "PostTypeId": n - 3, "Body": "<p>Tag wiki or such.</p>"} for n in range(6, 12)],
    answer(12, 999, "<p>An answer whose question is gone.</p>", OwnerUserId=11),
    answer(13, 14, "<p>Listed before its question.</p>", OwnerUserId=10),
    question(14, "A question listed after its answer", "<p>Order.</p>", OwnerUserId=10),
]
USERS = [{"Id": 10, "DisplayName": "Ada Lovelace"}, {"Id": 11, "DisplayName": "Grace Hopper"}]
VOTES = [
    *[{"Id": n, "PostId": 2, "VoteTypeId": 2} for n in range(1, 4)],  # 3 up on answer 2
    {"Id": 4, "PostId": 2, "VoteTypeId": 3},  # 1 down on answer 2
    {"Id": 5, "PostId": 5, "VoteTypeId": 2},
    {"Id": 6, "PostId": 777, "VoteTypeId": 2},  # a post that is not in Posts.xml
    {"Id": 7, "PostId": 1, "VoteTypeId": 5, "UserId": 10},  # a favourite: not a usefulness vote
    {"Id": 8, "PostId": 1, "VoteTypeId": 2},  # a vote on a question
]


def write_dump(folder: Path, posts=POSTS, users=USERS, votes=VOTES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_table(folder / "Posts.xml", "posts", posts)
    if users is not None:
        write_table(folder / "Users.xml", "users", users)
    if votes is not None:
        write_table(folder / "Votes.xml", "votes", votes)
    return folder
