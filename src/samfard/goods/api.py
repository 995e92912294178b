"""Routes of goods under /api/v1: book, list by day, read and cancel consignments."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import NowDep, SessionDep
from samfard.goods import service
from samfard.goods.schemas import (
    ConsignmentCancel,
    ConsignmentCreate,
    ConsignmentPublic,
    ConsignmentStatus,
)
from samfard.goods.views import consignment_public, consignments_public, recipients
from samfard.schemas_common import RecordId

router = APIRouter(tags=["goods"])


@router.post("/goods", status_code=201)
def create_consignment(
    data: ConsignmentCreate,
    response: Response,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.GOODS_WRITE)],
    idempotency_key: Annotated[
        str | None, Header(max_length=128, description="retry safely: same key, same result")
    ] = None,
) -> ConsignmentPublic:
    row, replayed = service.create_consignment(
        session=session, data=data, actor=actor, now=now, idempotency_key=idempotency_key
    )
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return consignment_public(row, actor, recipients(session, [row]))


@router.get("/goods")
def list_consignments(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.GOODS_READ)],
    date_: Annotated[date, Query(alias="date", description="the service day")],
    principal: str | None = None,
    status: ConsignmentStatus | None = None,
) -> list[ConsignmentPublic]:
    rows = service.list_consignments(
        session=session, day=date_, actor=actor, now=now, principal=principal, status=status
    )
    return consignments_public(session, rows, actor)


@router.get("/goods/{consignment_id}")
def get_consignment(
    consignment_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.GOODS_READ)],
) -> ConsignmentPublic:
    row = service.get_consignment(
        session=session, consignment_id=consignment_id, actor=actor, now=now
    )
    return consignment_public(row, actor, recipients(session, [row]))


@router.post("/goods/{consignment_id}/cancel")
def cancel_consignment(
    consignment_id: RecordId,
    data: ConsignmentCancel,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.GOODS_WRITE)],
) -> ConsignmentPublic:
    row = service.cancel_consignment(
        session=session, consignment_id=consignment_id, reason=data.reason, actor=actor, now=now
    )
    return consignment_public(row, actor, recipients(session, [row]))
