"""Routes of login under /api/v1/auth."""

from __future__ import annotations

from fastapi import APIRouter

from samfard.access import service
from samfard.access.deps import PUBLIC
from samfard.access.schemas import TokenPublic, TokenRequest
from samfard.deps import NowDep, SessionDep

router = APIRouter(tags=["auth"])


@router.post("/auth/token", dependencies=[PUBLIC])
def issue_token(data: TokenRequest, session: SessionDep, now: NowDep) -> TokenPublic:
    token = service.login(
        session=session, username=data.username, password=data.password, kind="bearer", now=now
    )
    return TokenPublic(access_token=token)
