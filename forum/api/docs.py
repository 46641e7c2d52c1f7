"""A readable page of the OpenAPI document at /api/v1/docs, and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text

from forum.api.openapi import TAGS, api
from forum.extensions import db
from forum.search import get_engine

blp = Blueprint("api_docs", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


@blp.get("/api/v1/docs")
def docs():
    """Every operation of the API, grouped by tag, from the generated OpenAPI document."""
    spec = api.spec.to_dict()
    groups: dict[str, list[dict]] = {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            tag = (operation.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "responses": sorted(operation.get("responses", {})),
                    "auth": bool(operation.get("security")),
                }
            )
    examples = {group.name: group for group in TAGS.values()}
    return render_template("api_docs.html", spec=spec, groups=groups, examples=examples)


@blp.get("/healthz")
def health():
    """200 when the database answers and the search index opens; 503 with the failing part."""
    status = {"status": "ok", "database": "ok", "search": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure of the database is a failing part
        db.session.rollback()
        status["database"] = "unavailable"
        status["status"] = "unavailable"
    try:
        healthy = get_engine().healthy()
    except Exception:  # noqa: BLE001 - any failure of the index is a failing part
        healthy = False
    if not healthy:
        status["search"] = "unavailable"
        status["status"] = "unavailable"
    response = jsonify(status)
    response.status_code = 200 if status["status"] == "ok" else 503
    return response
