"""The permission every route declares: `actor: Annotated[Actor, require(P.X)]`.

`Require` both authenticates (bearer token, or the page session cookie) and authorises;
because it is a class instance, a test can walk the route table and find each route's
permission, and fail on any route that declares none.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request

from samfard.access.actor import Actor
from samfard.access.permissions import Permission
from samfard.access.service import actor_for_token
from samfard.deps import NowDep, SessionDep
from samfard.errors import Unauthenticated

SESSION_COOKIE = "samfard_session"


def token_from_request(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    return request.cookies.get(SESSION_COOKIE)


class Require:
    """Dependency that yields the authenticated Actor holding `permission`."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    def __call__(self, request: Request, session: SessionDep, now: NowDep) -> Actor:
        token = token_from_request(request)
        if token is None:
            raise Unauthenticated("log in first: send 'Authorization: Bearer <token>'")
        actor = actor_for_token(
            session=session, token=token, now=now, request_id=request.state.request_id
        )
        actor.require(self.permission)
        return actor


def require(permission: Permission) -> Any:
    return Depends(Require(permission))


class Public:
    """Marks a route that needs no login (login itself, health, the OpenAPI document)."""

    def __call__(self) -> None:
        return None


PUBLIC: Any = Depends(Public())
