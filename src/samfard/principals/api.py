"""Routes of principals under /api/v1/principals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import SessionDep
from samfard.principals import service
from samfard.principals.schemas import PrincipalPublic

router = APIRouter(tags=["principals"])


@router.get("/principals")
def list_principals(
    session: SessionDep, actor: Annotated[Actor, require(P.PRINCIPALS_READ)]
) -> list[PrincipalPublic]:
    return [PrincipalPublic.model_validate(p) for p in service.list_principals(session=session)]
