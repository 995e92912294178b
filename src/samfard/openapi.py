"""The OpenAPI document, made true about errors in one place.

Every route answers its errors as application/problem+json, but FastAPI's generated document
knows only the success answer and a 422 of its own shape. Rather than repeat a `responses=`
table on some forty routes, the document is completed here from what each route is: every
route may refuse input (422; 400 for a body that cannot be read) or find the database busy
(503, Retry-After); a route that
needs a login may answer 401, 403 and 404 (ids out of scope look missing); one that changes
state may answer 409; the login routes may answer 429 (Retry-After) and, for a form without
its login token, 403. The contract test (tests/access/test_access_fuzz.py) holds the
document to the answers the application really gives.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from samfard.access.routes import api_routes
from samfard.problems import PROBLEM

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `detail` says what to fix, `field` where.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "field": {"type": ["string", "null"]},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "whole seconds to wait before trying again",
        "schema": {"type": "integer"},
    }
}
REASONS = {
    400: "the body could not be read (not UTF-8, or not the declared media type)",
    401: "not logged in, or the token expired",
    403: "the role lacks the permission, or a CSRF token is missing",
    404: "no such record, or it is outside the caller's scope",
    409: "the record changed meanwhile, or the change clashes with its state",
    422: "invalid input; `field` names it",
    429: "too many login attempts",
    503: "the database is busy or unreachable",
}
LOGIN_PATHS = frozenset({"/api/v1/auth/token", "/api/v1/auth/session"})
STATE_CHANGING = frozenset({"post", "put", "patch", "delete"})


def _statuses(path: str, method: str, public: bool, has_body: bool) -> set[int]:
    statuses = {422, 503}
    if has_body:
        statuses.add(400)
    if not public:
        statuses |= {401, 403, 404}
    if method in STATE_CHANGING and not public:
        statuses.add(409)
    if path in LOGIN_PATHS:
        statuses |= {401, 403, 429}
    if path == "/api/v1/auth/logout":
        statuses.add(403)  # a cookie session without its CSRF token
    return statuses


def _problem_response(status: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": REASONS[status],
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status in (429, 503):
        answer["headers"] = RETRY_AFTER
    return answer


def complete_errors(document: dict[str, Any], public: set[tuple[str, str]]) -> dict[str, Any]:
    """Declare the problem+json answers of every operation in `document` (in place)."""
    document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    schemas = document["components"]["schemas"]
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            has_body = "requestBody" in operation
            for status in _statuses(path, method, (path, method) in public, has_body):
                responses[str(status)] = _problem_response(status)
    return document


def install(app: FastAPI) -> None:
    """Serve the completed document at the application's openapi_url."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            public = {
                (route.path, method.lower())
                for route in api_routes(app)
                if route.permission is None
                for method in route.methods
            }
            app.openapi_schema = complete_errors(document, public)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
