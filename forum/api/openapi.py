"""The API object: flask-smorest's Api, which routes the blueprints and writes the OpenAPI
document (served at /api/v1/openapi.json and read by the docs page)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_smorest import Api as SmorestApi

from forum.api.openapi_errors import ErrorResponsesPlugin
from forum.schemas.common import ErrorSchema


class Api(SmorestApi):
    """flask-smorest's Api, minus its app-wide error handler: forum.errors answers for the API
    (in the shape of docs/api.md) and renders pages for people everywhere else. The document
    describes those answers with the schema forum.errors dumps them with."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Register as flask-smorest does, then file the blueprint's operations under its human
        tag ("Accounts", not "api_accounts"), with a description and an example."""
        super().register_blueprint(blp, parameters=parameters, **options)
        group = TAGS.get(options.get("name", blp.name))
        if group is not None:
            name_tag(self.spec, options.get("name", blp.name), group)


@dataclass(frozen=True)
class Tag:
    """A group of operations in the document and on the docs page: its name, what it is for,
    and one request with its answer."""

    name: str
    about: str
    request: str
    answer: str

    @property
    def description(self) -> str:
        """The OpenAPI tag description (CommonMark): what the group is for, then the example."""
        return (
            f"{self.about}\n\nExample request:\n\n{_indented(self.request)}\n\n"
            f"Answer:\n\n{_indented(self.answer)}"
        )


def _indented(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def name_tag(spec, blueprint_name: str, group: Tag) -> None:
    """Rename the tag flask-smorest named after the blueprint, on the tag list and on every
    operation. Paths, fields and status codes stay as they are."""
    for tag in spec._tags:  # apispec keeps the tag list and the paths as plain data
        if tag.get("name") == blueprint_name:
            tag["name"] = group.name
            tag["description"] = group.description
            tag["x-example"] = {"request": group.request, "answer": group.answer}
    for operations in spec._paths.values():
        for operation in operations.values():
            if isinstance(operation, dict) and blueprint_name in operation.get("tags", ()):
                operation["tags"] = [
                    group.name if name == blueprint_name else name for name in operation["tags"]
                ]


# The blueprints' groups, in the order of docs/api.md.
TAGS = {
    "api_accounts": Tag(
        "Accounts",
        "Register, create API tokens with HTTP Basic credentials, read and change your own "
        "profile, export what you wrote, and read anyone's public profile.",
        "POST /api/v1/auth/tokens\n"
        "Authorization: Basic bWFyaWE6YSBsb25nIHBhc3N3b3Jk\n"
        "Content-Type: application/json\n\n"
        '{"name": "reporting script"}',
        "201 Created\n\n"
        '{"id": 3, "name": "reporting script", "token": "cp_4V6w...", '
        '"created_at": "2026-03-02T09:15:00Z"}',
    ),
    "api_topics": Tag(
        "Topics",
        "The subject areas prompts are filed under. Anyone lists them; moderators add them.",
        "GET /api/v1/topics",
        "200 OK\n\n"
        '{"items": [{"slug": "life-coaching", "name": "Life Coaching", '
        '"description": "Habits, goals and change.", "prompt_count": 12}]}',
    ),
    "api_prompts": Tag(
        "Prompts",
        "The questions practitioners answer, each with key points. Anyone reads them; "
        "moderators write, edit, lock and archive them; members say whether a prompt helped.",
        "POST /api/v1/prompts\n"
        "Authorization: Bearer <token>\n"
        "Content-Type: application/json\n\n"
        '{"title": "What helps clients keep a new habit?", "intro": "Share what worked.", '
        '"topic": "life-coaching", "key_points": [{"title": "The first week", "body": ""}], '
        '"tags": ["habits"]}',
        "201 Created\n\n"
        '{"id": 12, "slug": "what-helps-clients-keep-a-new-habit", '
        '"title": "What helps clients keep a new habit?", "status": "open", '
        '"topic": {"slug": "life-coaching", "name": "Life Coaching"}, "tags": ["habits"], '
        '"key_points": [{"id": 31, "position": 1, "title": "The first week", "body": ""}], '
        '"contribution_count": 0, "url": "https://commonplace.example/prompts/12/...", ...}',
    ),
    "api_contributions": Tag(
        "Contributions",
        "What members share under a prompt, ranked by usefulness; their ratings (1 to 5), "
        "revisions and flags, and the strategies listing across prompts.",
        "PUT /api/v1/contributions/7/rating\n"
        "Authorization: Bearer <token>\n"
        "Content-Type: application/json\n\n"
        '{"score": 5}',
        "200 OK\n\n"
        '{"count": 7, "average": 4.6, "histogram": [0, 0, 1, 1, 5], "score": 3.41, '
        '"my_rating": 5}',
    ),
    "api_outcomes": Tag(
        "Outcomes",
        'Members report what happened when they tried a strategy ("I tried it"): worked, '
        "partly or didn't, and in which setting.",
        "PUT /api/v1/contributions/7/outcome\n"
        "Authorization: Bearer <token>\n"
        "Content-Type: application/json\n\n"
        '{"result": "worked", "setting": "one_to_one"}',
        "200 OK\n\n"
        '{"tried": 4, "worked": 3, "partly": 1, "didnt": 0, "success": 0.47, '
        '"by_setting": {"one_to_one": 3, "group": 1}, "my_outcome": {"result": "worked", ...}}',
    ),
    "api_comments": Tag(
        "Comments",
        "Short questions, context or counter-experiences under a contribution, addressed to "
        "its author.",
        "POST /api/v1/contributions/7/comments\n"
        "Authorization: Bearer <token>\n"
        "Content-Type: application/json\n\n"
        '{"body": "How long did the first week take?", "kind": "question"}',
        "201 Created\n\n"
        '{"id": 40, "contribution_id": 7, "body": "How long did the first week take?", '
        '"kind": "question", "status": "visible", '
        '"author": {"username": "kofi", "display_name": "Kofi Mensah"}, ...}',
    ),
    "api_moderation": Tag(
        "Moderation",
        "For moderators: the flag queue and its decisions, hiding, restoring and featuring, "
        "suspensions and purges, redaction, and the audit log no one can change.",
        "POST /api/v1/moderation/flags/15/resolve\n"
        "Authorization: Bearer <token>\n"
        "Content-Type: application/json\n\n"
        '{"action": "hide", "note": "Names a client."}',
        "200 OK\n\n"
        '{"id": 15, "target_type": "contribution", "contribution_id": 7, "comment_id": null, '
        '"reason": "other", "status": "resolved", "resolution": "hide", ...}',
    ),
    "api_search": Tag(
        "Search",
        "Full-text search over prompts and contributions, with filters, facets and the "
        "reasons for each hit's rank.",
        "GET /api/v1/search?q=trust&type=contribution&per_page=1",
        "200 OK\n\n"
        '{"items": [{"type": "contribution", "id": 7, "prompt_id": 2, "title": "...", '
        '"snippet": "... <mark>trust</mark> ...", "score": 0.81, ...}], '
        '"page": 1, "per_page": 1, "total": 42, "facets": {"topics": {...}, "tags": {...}}, '
        '"suggestion": null, "notice": null}',
    ),
    "api_following": Tag(
        "Following",
        "Follow prompts, key points, topics, tags and members; read the notifications they "
        "bring and mark them read.",
        "PUT /api/v1/subscriptions\n"
        "Authorization: Bearer <token>\n"
        "Content-Type: application/json\n\n"
        '{"target_type": "topic", "target": "life-coaching", "level": "watching"}',
        "200 OK\n\n"
        '{"id": 5, "target_type": "topic", "target": "life-coaching", "level": "watching"}',
    ),
    "api_playbook": Tag(
        "Playbook",
        "Strategies a member saved to try, with a reminder to say how it went.",
        "PUT /api/v1/contributions/7/save\n"
        "Authorization: Bearer <token>\n"
        "Content-Type: application/json\n\n"
        '{"remind_in_days": 14}',
        '200 OK\n\n{"saved": true, "remind_at": "2026-03-16T09:15:00Z"}',
    ),
}


api = Api(spec_kwargs={"extra_plugins": [ErrorResponsesPlugin()]})
