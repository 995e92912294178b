"""Errors as application/problem+json (RFC 9457) with a message a person can act on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from samfard.errors import DomainError, Unauthenticated

PROBLEM = "application/problem+json"
# Seconds a client is asked to wait when the database is busy (pool exhausted, SQLite locked).
BUSY_RETRY_AFTER = 5

log = logging.getLogger("samfard.problems")


def problem(
    status: int, title: str, detail: str, *, field: str | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if field is not None:
        body["field"] = field
    body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


# A part of a field's path longer than this is cut: a dict's key is the caller's text, and
# a key of 100 000 characters came back whole in the refusal (the probe of 2026-12-06).
FIELD_PART_MOST = 60


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [
        part if len(part) <= FIELD_PART_MOST else f"{part[:FIELD_PART_MOST]}…"
        for part in (str(p) for p in location if p not in ("body", "query", "path", "header"))
    ]
    name = ""
    for part in parts:
        name += f"[{part}]" if part.isdigit() else (f".{part}" if name else part)
    return name or ".".join(str(p) for p in location)


# pydantic's words when the whole body is not an object; they do not say why.
_NOT_AN_OBJECT = frozenset({"model_attributes_type", "dict_type", "model_type"})


def _said(request: Request, problem: Mapping[str, Any]) -> str:
    """A validation error's message; a body refused whole says what to send instead."""
    if tuple(problem["loc"]) != ("body",) or problem["type"] not in _NOT_AN_OBJECT:
        return str(problem["msg"])
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return "the body must be a JSON object, {...}"
    sent = f"it came as {media[:80]}" if media else "it came without a Content-Type"
    return f"send the body as a JSON object with Content-Type: application/json ({sent})"


class _Failure(DomainError):
    """A failure outside the services, carried to the page renderer as theirs are."""

    def __init__(self, status: int, title: str, message: str, *, field: str | None) -> None:
        super().__init__(message, field=field)
        self.status, self.title = status, title


PageErrorRenderer = Callable[[Request, DomainError], Response]
# A page's unreadable query or form values, as (field, pydantic error type) pairs.
PageInvalidRenderer = Callable[[Request, list[tuple[str, str]]], Response]


def install(
    app: FastAPI,
    *,
    page_error: PageErrorRenderer | None = None,
    page_invalid: PageInvalidRenderer | None = None,
) -> None:
    """Map errors to problem+json; on a page (any path outside /api/) an unauthenticated
    visitor is sent to the login page, other errors are shown by `page_error`, and values
    that cannot be read (a date typed the wrong way) by `page_invalid`."""

    def answer(
        request: Request,
        status: int,
        title: str,
        detail: str,
        *,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """A failure met outside the services (an unknown address, a busy database): a
        problem document, or on a page the shell's error page, as the services' own."""
        if page_error is not None and not request.url.path.startswith("/api/"):
            response = page_error(request, _Failure(status, title, detail, field=field))
        else:
            response = problem(status, title, detail, field=field)
        response.headers.update(headers or {})
        return response

    @app.exception_handler(DomainError)
    async def _domain(request: Request, error: DomainError) -> Response:
        if not request.url.path.startswith("/api/"):
            if isinstance(error, Unauthenticated):
                return RedirectResponse("/login", status_code=303)  # a page: go log in
            if page_error is not None:
                return page_error(request, error)
        return problem(error.status, error.title, error.message, field=error.field, **error.extra())

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        if page_invalid is not None and not request.url.path.startswith("/api/"):
            fields = [(_field_name(tuple(e["loc"])), str(e["type"])) for e in error.errors()]
            return page_invalid(request, fields)
        errors = [
            {"field": _field_name(tuple(e["loc"])), "message": _said(request, e)}
            for e in error.errors()
        ]
        first = errors[0] if errors else {"field": None, "message": "invalid request"}
        return problem(
            422,
            "Invalid input",
            f"{first['field']}: {first['message']}",
            field=first["field"],
            errors=errors,
        )

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, error: StaleDataError) -> Response:
        return answer(
            request,
            409,
            "Conflict",
            "the record was changed by someone else at the same time; reload it and try again",
            field="version",
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        detail = str(error.detail)  # e.g. Allow on 405 in its headers
        return answer(request, error.status_code, detail, detail, headers=error.headers)

    @app.exception_handler(PoolTimeout)
    @app.exception_handler(OperationalError)
    async def _busy(request: Request, error: Exception) -> Response:
        # Every connection of this worker is in use (or SQLite's writer kept the lock past
        # the busy timeout, or the database is down): the request is fine, the moment is not.
        # The log keeps the statement without its parameters (hide_parameters on the engine).
        log.error(
            "database busy or unavailable on %s %s: %s", request.method, request.url.path, error
        )
        return answer(
            request,
            503,
            "Database busy",
            "the database is busy or unreachable; try again in a few seconds",
            headers={"Retry-After": str(BUSY_RETRY_AFTER)},
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, error: IntegrityError) -> Response:
        # The last resort: services check uniqueness and references themselves and say what
        # clashes; this catches the race where two requests pass the check at the same time.
        log.warning(
            "integrity error on %s %s: %s",
            request.method,
            request.url.path,
            error.orig.__class__.__name__,
        )
        return answer(
            request,
            409,
            "Conflict",
            "the change clashes with one stored at the same moment; reload and try again",
        )

    @app.exception_handler(DataError)
    async def _data(request: Request, error: DataError) -> Response:
        # The last resort for a value the database cannot hold (too long for its column,
        # out of its range) that a schema let through: the request is at fault, not the
        # server. The log names the route and the kind, never the value (personal data).
        log.warning(
            "value refused by the database on %s %s: %s",
            request.method,
            request.url.path,
            error.orig.__class__.__name__,
        )
        return answer(
            request,
            422,
            "Invalid input",
            "a value is too long or out of range for what can be stored; shorten it",
        )
