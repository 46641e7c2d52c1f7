"""Preview: the writing forms show Markdown as readers will see it before it is posted."""

from __future__ import annotations

import pytest

from forum.services import comments
from tests.factories import make_contribution, make_prompt, make_user


def test_a_member_previews_markdown_as_it_will_show(client, login):
    login(make_user())

    response = client.post("/preview", data={"body": "Start **small**. #tiny-steps"})

    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<strong>small</strong>" in html
    assert 'href="/search?tag=tiny-steps"' in html
    assert (
        response.headers["Cache-Control"].startswith("private")
        or "no-store" in (response.headers["Cache-Control"])
    )


def test_a_preview_is_sanitized_like_posted_text(client, login):
    login(make_user())
    html = client.post("/preview", data={"body": "<script>alert(1)</script>[x](javascript:1)"})
    assert "<script" not in html.get_json()["html"]
    assert 'href="javascript' not in html.get_json()["html"]


def test_a_comment_preview_has_no_headings(client, login):
    login(make_user())
    html = client.post("/preview", data={"body": "# Big", "kind": "comment"}).get_json()["html"]
    assert "<h1>" not in html


@pytest.mark.parametrize(
    ("data", "status"),
    [({"body": "x" * 20_001}, 413), ({"body": "x" * 2_001, "kind": "comment"}, 413),
     ({"body": "x", "kind": "poem"}, 400)],
)  # fmt: skip
def test_too_long_or_unknown_text_is_a_clear_4xx(client, login, data, status):
    login(make_user())
    response = client.post("/preview", data=data)
    assert response.status_code == status
    assert response.get_json()["error"]


def test_a_reader_who_is_not_signed_in_gets_no_preview(client):
    assert client.post("/preview", data={"body": "Hi"}).status_code in (302, 401)


def test_the_writing_forms_offer_a_preview(client, login):
    author = make_user()
    prompt = make_prompt()
    contribution = make_contribution(prompt=prompt, author=author)
    login(author)

    page = client.get(f"/prompts/{prompt.id}/{prompt.slug}").get_data(as_text=True)
    edit = client.get(f"/contributions/{contribution.id}/edit").get_data(as_text=True)

    assert 'data-preview="/preview"' in page
    assert 'data-preview="/preview"' in edit
    assert "preview.js" in page


def test_editing_a_comment_offers_a_comment_preview(client, login):
    """The comment's own renderer (no headings, no images), as when it was written."""
    author = make_user()
    comment = comments.create_comment(author, make_contribution(), "Did the client agree?")
    login(author)

    edit = client.get(f"/comments/{comment.id}/edit").get_data(as_text=True)

    assert 'data-preview="/preview"' in edit
    assert 'data-preview-kind="comment"' in edit
