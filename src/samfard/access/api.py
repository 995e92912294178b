"""Routes of login, page sessions, user administration, the audit trail and the
registerutdrag, under /api/v1."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from samfard.access import extract as extract_service
from samfard.access import service, trail, users
from samfard.access.account_names import hidden_usernames, shown, user_shown
from samfard.access.actor import Actor
from samfard.access.deps import (
    CSRF_COOKIE,
    PUBLIC,
    SESSION_COOKIE,
    bearer_token,
    check_csrf,
    require,
    set_session_cookies,
    signed_in,
)
from samfard.access.login_csrf import LOGIN_CSRF_FIELD, check_login_csrf
from samfard.access.permissions import Permission as P
from samfard.access.ratelimit import LoginLimiter, RateLimitExceeded
from samfard.access.schemas import (
    AuditEntryPublic,
    PasswordChange,
    PasswordReset,
    SessionPublic,
    TokenPublic,
    TokenRequest,
    UserCreate,
    UserPublic,
)
from samfard.config import Settings
from samfard.deps import NowDep, SessionDep, SettingsDep
from samfard.errors import InputError
from samfard.problems import problem
from samfard.schemas_common import Offset, Page, QueryId, RecordId

FORM_MEDIA = "application/x-www-form-urlencoded"
JSON_MEDIA = "application/json"
router = APIRouter(tags=["auth"])
admin_router = APIRouter(tags=["access"])

_CREDENTIALS = TokenRequest.model_json_schema()
_CREDENTIALS_FORM = _CREDENTIALS | {
    "properties": _CREDENTIALS["properties"]
    | {LOGIN_CSRF_FIELD: {"type": "string", "description": "the login page's token"}}
}
CREDENTIALS_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _CREDENTIALS},
            FORM_MEDIA: {"schema": _CREDENTIALS_FORM},
        },
    }
}


def login_limiter(request: Request) -> LoginLimiter:
    """One limiter per application, made on first use."""
    state = request.app.state
    if not hasattr(state, "login_limiter"):
        state.login_limiter = LoginLimiter.default()
    limiter: LoginLimiter = state.login_limiter
    return limiter


LimiterDep = Annotated[LoginLimiter, Depends(login_limiter)]


async def credentials(request: Request) -> TokenRequest:
    """Username and password from a JSON body or the login page's form.

    JSON only as application/json: a browser sends that cross-site only with the site's
    CORS consent, so the login needs no CSRF token, whereas text/plain is a simple request
    any page can send (a form of enctype text/plain writes a JSON document), which would let
    another site log a visitor into an account of its choosing. The form carries the login
    page's CSRF token."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in (JSON_MEDIA, FORM_MEDIA):
        raise InputError(
            f"send username and password as JSON with Content-Type: {JSON_MEDIA}, or as "
            f"the login page's form ({FORM_MEDIA}); {media[:80] or 'no Content-Type'} is not "
            "taken here",
            field="username",
        )
    raw = await request.body()
    try:
        if media == FORM_MEDIA:
            fields = {k: v[0] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
            request.state.login_csrf_sent = fields.pop(LOGIN_CSRF_FIELD, None)
            return TokenRequest.model_validate(fields)
        return TokenRequest.model_validate(json.loads(raw or b"null"))
    except (ValueError, ValidationError, UnicodeDecodeError, RecursionError):
        # RecursionError: JSON nested thousands deep, which was a 500 (the probe of the
        # seventh session of 2026-12-06); FastAPI answers it 400 on the other routes.
        raise InputError(
            "send username and password as JSON or as a form", field="username"
        ) from None


CredentialsDep = Annotated[TokenRequest, Depends(credentials)]


def _too_many(error: RateLimitExceeded) -> JSONResponse:
    response = problem(429, error.title, error.message, field=error.field)
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def _login(
    request: Request,
    data: TokenRequest,
    kind: str,
    session: Any,
    now: datetime,
    limiter: LoginLimiter,
    settings: Settings,
) -> str | JSONResponse:
    # The TCP peer, or the client a trusted proxy names (uvicorn's forwarded_allow_ips,
    # set from SAMFARD_TRUSTED_PROXIES by `samfard serve`); never a header anyone can send.
    address = request.client.host if request.client else "unknown"
    try:
        limiter.check(address=address, username=data.username, now=now)
    except RateLimitExceeded as error:
        return _too_many(error)
    token = service.login(
        session=session,
        username=data.username,
        password=data.password,
        kind=kind,
        now=now,
        lifetime=settings.bearer_token_lifetime if kind == "bearer" else None,
    )
    limiter.succeeded(address=address, username=data.username, now=now)
    return token


@router.post(
    "/auth/token", dependencies=[PUBLIC], response_model=TokenPublic, openapi_extra=CREDENTIALS_BODY
)
def issue_token(
    request: Request,
    data: CredentialsDep,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    limiter: LimiterDep,
) -> Any:
    """A bearer token for a system or a script; it lives SAMFARD_BEARER_TOKEN_HOURS hours."""
    token = _login(request, data, "bearer", session, now, limiter, settings)
    if isinstance(token, JSONResponse):
        return token
    lifetime = int(settings.bearer_token_lifetime.total_seconds())
    return TokenPublic(access_token=token, expires_in=lifetime)


@router.post(
    "/auth/session",
    dependencies=[PUBLIC],
    response_model=SessionPublic,
    openapi_extra=CREDENTIALS_BODY,
)
def open_session(
    request: Request,
    response: Response,
    data: CredentialsDep,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    limiter: LimiterDep,
) -> Any:
    """Page login: the session token goes in a secure, HTTP-only, SameSite=Strict cookie;
    the CSRF token in a readable cookie and in the body, to be echoed as X-CSRF-Token.
    A form (rather than JSON) must carry the login page's csrf_token (login CSRF)."""
    if request.headers.get("content-type", "").startswith(FORM_MEDIA):
        check_login_csrf(request, getattr(request.state, "login_csrf_sent", None))
    token = _login(request, data, "session", session, now, limiter, settings)
    if isinstance(token, JSONResponse):
        return token
    actor = service.actor_for_token(session=session, token=token, now=now, request_id=None)
    lifetime = service.TOKEN_LIFETIME["session"]
    csrf = set_session_cookies(
        response, token, secure=settings.secure_cookies, max_age=int(lifetime.total_seconds())
    )
    return SessionPublic(
        csrf_token=csrf, expires_at=now + lifetime, username=actor.username, role=actor.role
    )


@router.post("/auth/logout", dependencies=[PUBLIC], status_code=204)
def close_session(request: Request, response: Response, session: SessionDep) -> Response:
    """Revoke the presented session (or bearer token) and clear the cookies. Public so an
    expired session can still be cleared; a cookie session needs its CSRF token."""
    check_csrf(request)
    token = bearer_token(request) or request.cookies.get(SESSION_COOKIE)
    if token is not None:
        service.logout(session=session, token=token)
    response.status_code = 204
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@admin_router.post("/users", status_code=201)
def create_user(
    data: UserCreate,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
) -> UserPublic:
    return UserPublic.model_validate(users.create(session=session, actor=actor, data=data, now=now))


@admin_router.get("/users")
def list_users(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> Page[UserPublic]:
    rows, total = users.list_users(
        session=session, actor=actor, limit=limit, offset=offset, now=now
    )
    hidden = hidden_usernames(session, actor)
    return Page(
        items=[user_shown(u, hidden) for u in rows], total=total, limit=limit, offset=offset
    )


@admin_router.post("/users/{user_id}/deactivate")
def deactivate_user(
    user_id: RecordId,
    session: SessionDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
) -> UserPublic:
    user = users.deactivate(session=session, actor=actor, user_id=user_id)
    return user_shown(user, hidden_usernames(session, actor))


@admin_router.post("/users/{user_id}/reactivate")
def reactivate_user(
    user_id: RecordId,
    session: SessionDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
) -> UserPublic:
    """Let a deactivated account log in again; its revoked tokens stay revoked."""
    user = users.reactivate(session=session, actor=actor, user_id=user_id)
    return user_shown(user, hidden_usernames(session, actor))


@admin_router.post("/users/{user_id}/password")
def reset_user_password(
    user_id: RecordId,
    data: PasswordReset,
    session: SessionDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
) -> UserPublic:
    """A new start password: the account is unlocked and its sessions and tokens revoked."""
    user = users.reset_password(
        session=session, actor=actor, user_id=user_id, password=data.password
    )
    return user_shown(user, hidden_usernames(session, actor))


@admin_router.post("/users/{user_id}/unlock")
def unlock_user(
    user_id: RecordId,
    session: SessionDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
) -> UserPublic:
    """Let an account locked by wrong passwords log in again now."""
    user = users.unlock(session=session, actor=actor, user_id=user_id)
    return user_shown(user, hidden_usernames(session, actor))


@router.post("/auth/password", status_code=204)
def change_password(
    request: Request,
    data: PasswordChange,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, signed_in()],
) -> Response:
    """Change the signed-in account's own password; its other sessions and tokens are
    revoked, the one making the request kept. A wrong current password counts as a failed
    login."""
    token = bearer_token(request) or request.cookies.get(SESSION_COOKIE) or ""
    service.change_own_password(session=session, actor=actor, token=token,
                                current=data.current_password, new=data.new_password,
                                now=now)  # fmt: skip
    return Response(status_code=204)


@admin_router.get("/audit")
def list_audit_entries(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.AUDIT_READ)],
    traveller_id: QueryId = None,
    user_id: QueryId = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Offset = 0,
) -> Page[AuditEntryPublic]:
    rows, total = trail.entries(
        session=session,
        actor=actor,
        now=now,
        traveller_id=traveller_id,
        user_id=user_id,
        limit=limit,
        offset=offset,
    )
    hidden = hidden_usernames(session, actor)
    return Page(
        items=[
            AuditEntryPublic.model_validate(e).model_copy(
                update={"username": shown(e.username, hidden)}
            )
            for e in rows
        ],
        total=total,
        limit=limit,
        offset=offset,
    )


@admin_router.get("/travellers/{traveller_id}/extract")
def traveller_extract(
    traveller_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.AUDIT_READ)],
) -> extract_service.TravellerExtract:
    return extract_service.extract(session=session, actor=actor, traveller_id=traveller_id, now=now)
