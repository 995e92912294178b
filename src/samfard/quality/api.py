"""Routes of deviations under /api/v1: report, list, read, take a handling step."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import NowDep, SessionDep
from samfard.quality import service
from samfard.quality.schemas import (
    DeviationCreate,
    DeviationPublic,
    DeviationStatus,
    DeviationStep,
    Severity,
)
from samfard.quality.views import deviation_public
from samfard.schemas_common import Offset, Page, QueryId, RecordId

router = APIRouter(tags=["deviations"])
Reporter = Annotated[Actor, require(P.DEVIATIONS_REPORT)]


@router.post("/deviations", status_code=201)
def report_deviation(
    data: DeviationCreate, session: SessionDep, now: NowDep, actor: Reporter
) -> DeviationPublic:
    """Report a deviation (avvikelse) about a trip the caller has to do with."""
    deviation = service.report_deviation(session=session, data=data, actor=actor, now=now)
    return deviation_public(session, deviation, actor, now)


@router.get("/deviations")
def list_deviations(
    session: SessionDep,
    now: NowDep,
    actor: Reporter,
    status: DeviationStatus | None = None,
    severity: Severity | None = None,
    principal: Annotated[str | None, Query(max_length=16)] = None,
    booking_id: QueryId = None,
    answer_overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> Page[DeviationPublic]:
    """The deviations in the caller's scope, newest first; `answer_overdue=true` only
    those whose carrier missed the answer deadline."""
    rows, total = service.list_deviations(
        session=session,
        actor=actor,
        now=now,
        filters=service.DeviationFilter(
            status=status.value if status else None,
            principal=principal,
            severity=severity.value if severity else None,
            booking_id=booking_id,
            answer_overdue_at=now if answer_overdue else None,
        ),
        limit=limit,
        offset=offset,
    )
    return Page(
        items=[deviation_public(session, d, actor, now) for d in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/deviations/{deviation_id}")
def get_deviation(
    deviation_id: RecordId, session: SessionDep, now: NowDep, actor: Reporter
) -> DeviationPublic:
    deviation = service.get_deviation(
        session=session, deviation_id=deviation_id, actor=actor, now=now
    )
    return deviation_public(session, deviation, actor, now)


@router.post("/deviations/{deviation_id}/steps")
def take_step(
    deviation_id: RecordId, data: DeviationStep, session: SessionDep, now: NowDep, actor: Reporter
) -> DeviationPublic:
    """Investigate, answer (the carrier), decide, close or comment; each step is recorded
    with who did it."""
    deviation = service.take_step(
        session=session, deviation_id=deviation_id, data=data, actor=actor, now=now
    )
    return deviation_public(session, deviation, actor, now)
