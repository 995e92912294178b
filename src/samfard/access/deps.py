"""The permission every route declares: `actor: Annotated[Actor, require(P.X)]`.

`Require` both authenticates (bearer token, or the page session cookie) and authorises;
because it is a class instance, a test can walk the route table and find each route's
permission, and fail on any route that declares none.

CSRF: a browser sends the session cookie by itself, so a request authenticated by cookie
with an unsafe method must also carry the header X-CSRF-Token (double submit: the page reads
it from the CSRF cookie). The token is derived from the session token, so it needs no
storage and a token stolen from one session is worthless in another. Bearer requests are
exempt: a browser never adds an Authorization header on its own. A page's plain HTML form
cannot set a header, so it sends the same token as the hidden field `csrf_token`, which
`read_form_csrf` (a dependency of every page router) takes from the form body.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from fastapi import Depends, Request, Response

from samfard.access.actor import Actor
from samfard.access.permissions import Permission, Role
from samfard.access.service import actor_for_token
from samfard.deps import NowDep, SessionDep
from samfard.errors import Forbidden, StaleForm, Unauthenticated

SESSION_COOKIE = "samfard_session"
CSRF_COOKIE = "samfard_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def token_from_request(request: Request) -> str | None:
    return bearer_token(request) or request.cookies.get(SESSION_COOKIE)


def csrf_token_for(session_token: str) -> str:
    """The CSRF token belonging to a page session (SHA-256 of a domain tag and the token)."""
    return hashlib.sha256(b"samfard-csrf:" + session_token.encode()).hexdigest()


def set_session_cookies(response: Response, token: str, *, secure: bool, max_age: int) -> str:
    """Set the page session cookie (HTTP-only) and its CSRF cookie (readable by the page
    script, which echoes it as X-CSRF-Token); both SameSite=Strict. Returns the CSRF token.
    Every page login (the API's /auth/session, the pages' /login) should go through here."""
    csrf = csrf_token_for(token)
    for name, value, http_only in ((SESSION_COOKIE, token, True), (CSRF_COOKIE, csrf, False)):
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            secure=secure,
            httponly=http_only,
            samesite="strict",
            path="/",
        )
    return csrf


async def read_form_csrf(request: Request) -> None:
    """Take a page form's hidden CSRF field, so `check_csrf` can accept it in place of the
    header. Page routers list this first among their dependencies; the form body is parsed
    once (Starlette caches it for the route's own Form parameters)."""
    if request.method in SAFE_METHODS:
        return
    if not request.headers.get("content-type", "").startswith(FORM_TYPES):
        return
    value = (await request.form()).get(CSRF_FIELD)
    if isinstance(value, str):
        request.state.form_csrf = value


def check_csrf(request: Request) -> None:
    """Refuse an unsafe request authenticated by the session cookie without its CSRF token."""
    if request.method in SAFE_METHODS or bearer_token(request) is not None:
        return
    session_token = request.cookies.get(SESSION_COOKIE)
    if session_token is None:
        return
    sent = request.headers.get(CSRF_HEADER, "") or getattr(request.state, "form_csrf", "")
    # As bytes: compare_digest refuses str with non-ASCII characters (a forged token may hold them).
    expected = csrf_token_for(session_token).encode()
    if not sent or not hmac.compare_digest(sent.encode(), expected):
        raise StaleForm(
            f"missing or wrong {CSRF_HEADER} header: send the value of the {CSRF_COOKIE} "
            "cookie with every change made with a page session",
            field=CSRF_HEADER,
        )


class Require:
    """Dependency that yields the authenticated Actor holding `permission` (any signed-in
    staff account when None: what every account may do with itself)."""

    def __init__(self, permission: Permission | None) -> None:
        self.permission = permission

    def __call__(self, request: Request, session: SessionDep, now: NowDep) -> Actor:
        token = token_from_request(request)
        if token is None:
            raise Unauthenticated("log in first: send 'Authorization: Bearer <token>'")
        check_csrf(request)
        actor = actor_for_token(
            session=session, token=token, now=now, request_id=request.state.request_id
        )
        request.state.actor = actor  # the page shell shows who is signed in, even on a 403
        if actor.role is Role.TRAVELLER and not _open_to_travellers(request):
            raise Forbidden("a traveller's own pages are Mina resor, at /mina-resor")
        if self.permission is not None:
            actor.require(self.permission)
        return actor


def welcome_travellers(request: Request) -> None:
    """Dependency of the pages a traveller's login may open (Mina resor): every other page
    is the centre's staff's, though a traveller holds some of the same permissions (to
    read and book their own trips) and each page would show only their own."""
    request.state.open_to_travellers = True


def _open_to_travellers(request: Request) -> bool:
    """The API (scoped to the traveller's own records) and the pages marked for them."""
    return request.url.path.startswith("/api/") or getattr(
        request.state, "open_to_travellers", False
    )


def require(permission: Permission) -> Any:
    return Depends(Require(permission))


def signed_in() -> Any:
    """Any signed-in staff account, whatever it may do (its own password)."""
    return Depends(Require(None))


class Public:
    """Marks a route that needs no login (login itself, health, the OpenAPI document)."""

    def __call__(self) -> None:
        return None


PUBLIC: Any = Depends(Public())
