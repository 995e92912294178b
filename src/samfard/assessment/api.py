"""Routes of assessment under /api/v1: trial, queue, assessor decisions (one trip, or the
waiting trips of a series alike), letter, ledger, certificate report."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.assessment import reads as assessment_reads
from samfard.assessment import service as assessment
from samfard.assessment.reads import IssuerCount
from samfard.assessment.series_decision import decide_series
from samfard.booking.schemas import BookingCreate, BookingPublic
from samfard.booking.views import booking_public
from samfard.deps import NowDep, SessionDep
from samfard.rules.facts import Mode
from samfard.schemas_common import MAX_ID, BodyId, RecordId, not_null

router = APIRouter(tags=["assessment"])


class AssessmentCreate(BookingCreate):
    """A trip to assess without booking it; `mode` asks for a mode (default: by needs)."""

    traveller_id: BodyId


def _mode_with_change_mode(schema: dict[str, Any]) -> None:
    """The document says what the validator checks: a mode with change_mode, and only then."""
    props = schema.pop("properties")
    schema.pop("required", None)
    schema.pop("additionalProperties", None)

    def shape(action: dict[str, Any], mode: dict[str, Any], required: list[str]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": props | {"action": action, "mode": mode},
            "required": ["action", "reason", *required],
            "additionalProperties": False,
        }

    schema["oneOf"] = [
        shape({"enum": ["approve", "deny"], "type": "string"}, {"type": "null"}, []),
        shape({"const": "change_mode", "type": "string"}, not_null(props["mode"]), ["mode"]),
    ]


class AssessorDecision(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_mode_with_change_mode)

    action: Literal["approve", "deny", "change_mode"]
    reason: str = Field(min_length=2, max_length=500)
    mode: Mode | None = Field(default=None, description="the new mode, for change_mode")
    version: int | None = Field(
        default=None, ge=0, le=MAX_ID, description="optional optimistic lock"
    )

    @model_validator(mode="after")
    def _mode_only_when_changing(self) -> AssessorDecision:
        if (self.mode is not None) != (self.action == "change_mode"):
            raise ValueError("give a mode with change_mode, and only then")
        return self


class SeriesTrip(BaseModel):
    """A waiting trip of the series as the assessor read it (the queue lists them)."""

    model_config = ConfigDict(extra="forbid")

    id: BodyId
    version: int = Field(ge=0, le=MAX_ID)


class SeriesDecision(BaseModel):
    """One decision for every waiting trip of a series: `trips` are those trips and their
    versions as read, all of them, so the decision covers exactly what the assessor saw."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["approve", "deny"]
    reason: str = Field(min_length=2, max_length=500)
    trips: list[SeriesTrip] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _each_trip_once(self) -> SeriesDecision:
        if len({t.id for t in self.trips}) != len(self.trips):
            raise ValueError("name each trip of the series once")
        return self


class QueueItem(BaseModel):
    booking: BookingPublic
    waiting_because: list[str]
    suggested_mode: str | None
    suggested_fee_ore: int | None
    facts: str | None


class LedgerEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    booking_id: int
    leg_index: int
    trip_date: date
    mode: str
    list_fee_ore: int
    paid_ore: int
    counts_toward_ceiling: bool


class LedgerStatusPublic(BaseModel):
    traveller_id: int
    principal: str
    on: date
    ceiling_ore: int
    period: str
    paid_ore: int
    remaining_ore: int
    period_start: date | None
    free_from: date | None
    free_until: date | None
    entries: list[LedgerEntryPublic]


@router.post("/assessments")
def trial_assessment(
    data: AssessmentCreate,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.BOOKINGS_WRITE)],
) -> dict[str, Any]:
    """What the rules would decide for this trip now; nothing is booked or charged."""
    trip = BookingCreate.model_validate(data.model_dump(exclude={"mode"}))
    return assessment_reads.trial_assessment(
        session=session, data=trip, mode=data.mode, actor=actor, now=now
    )


@router.get("/assessments/queue")
def assessment_queue(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.ASSESSMENTS_DECIDE)],
    principal: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[QueueItem]:
    rows = assessment.queue(session=session, actor=actor, now=now, principal=principal, limit=limit)
    items = []
    for booking in rows:
        public = booking_public(session, booking, actor)  # its decision as the actor may see it
        stored = public.decision or {}
        items.append(
            QueueItem(
                booking=public,
                waiting_because=list(stored.get("needs_assessor_because") or []),
                suggested_mode=stored.get("chosen_mode"),
                suggested_fee_ore=stored.get("fee_ore"),
                facts=stored.get("input_summary"),
            )
        )
    return items


@router.post("/bookings/{booking_id}/assessment")
def decide(
    booking_id: RecordId,
    data: AssessorDecision,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.ASSESSMENTS_DECIDE)],
) -> BookingPublic:
    booking = assessment.decide(
        session=session,
        booking_id=booking_id,
        action=data.action,
        reason=data.reason,
        mode=data.mode,
        version=data.version,
        actor=actor,
        now=now,
    )
    return booking_public(session, booking, actor)


@router.post("/bookings/{booking_id}/series-assessment")
def decide_series_alike(
    booking_id: RecordId,
    data: SeriesDecision,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.ASSESSMENTS_DECIDE)],
) -> list[BookingPublic]:
    """Approve or deny every waiting trip of the series `booking_id` belongs to, alike, as
    /bedomning's "Besluta alla resor i serien likadant": each as the single decision decides
    one, in date order, in one transaction; 409 and nothing decided when the waiting trips
    are not those sent. Answers the trips decided."""
    decided = decide_series(
        session=session,
        booking_id=booking_id,
        action=data.action,
        reason=data.reason,
        versions={t.id: t.version for t in data.trips},
        actor=actor,
        now=now,
    )
    return [booking_public(session, booking, actor) for booking in decided]


@router.get("/bookings/{booking_id}/decision-letter", response_class=HTMLResponse)
def decision_letter(
    booking_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.BOOKINGS_READ)],
) -> HTMLResponse:
    html = assessment_reads.decision_letter(
        session=session, booking_id=booking_id, actor=actor, now=now
    )
    return HTMLResponse(html)


@router.get("/fee-ledger/{traveller_id}")
def fee_ledger(
    traveller_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.TRAVELLERS_READ)],
    principal: Annotated[str, Query(description="the region, e.g. 23")],
    on: Annotated[date | None, Query(description="the day to report (default today)")] = None,
) -> LedgerStatusPublic:
    view = assessment_reads.fee_ledger_view(
        session=session,
        traveller_id=traveller_id,
        principal=principal,
        day=on,
        actor=actor,
        now=now,
    )
    return LedgerStatusPublic(
        traveller_id=traveller_id,
        principal=principal,
        on=view.day,
        ceiling_ore=view.rule.amount_ore,
        period=view.rule.period,
        paid_ore=view.status.paid_ore,
        remaining_ore=view.status.remaining_ore,
        period_start=view.status.period_start,
        free_from=view.status.free_from,
        free_until=view.status.free_until,
        entries=[LedgerEntryPublic.model_validate(e) for e in view.entries],
    )


@router.get("/reports/certificates")
def certificate_report(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.ISSUERS_ADMIN)],
) -> list[IssuerCount]:
    return assessment_reads.certificate_report(session=session, actor=actor, now=now)
