"""Routes of the care units under /api/v1: electronic certificates and the follow-up."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.attachment import CSV, attachment
from samfard.care import certificates, follow_up
from samfard.care.schemas import CareCertificateCreate, CareCertificatePublic, Revocation
from samfard.deps import NowDep, SessionDep
from samfard.schemas_common import RecordId, file_responses
from samfard.travellers.models import Traveller

router = APIRouter(tags=["care units"])


@router.post("/care/certificates", status_code=201)
def issue_certificate(
    data: CareCertificateCreate,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
) -> CareCertificatePublic:
    """Issue a sjukreseintyg; 403 with `course` when you are not a certified issuer."""
    certificate = certificates.issue(session=session, data=data, actor=actor, now=now)
    traveller = session.get(Traveller, certificate.traveller_id)
    assert traveller is not None
    return certificates.public(certificate, traveller, actor)


@router.get("/care/certificates")
def list_certificates(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
    unit: Annotated[
        str | None, Query(max_length=120, description="the unit (care staff: their own)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
    q: Annotated[
        str | None, Query(max_length=80, description="words of the patient's name or digits")
    ] = None,
) -> list[CareCertificatePublic]:
    """A care unit's certificates, newest first (each patient shown is audited)."""
    rows, _ = certificates.unit_certificates(
        session=session, actor=actor, now=now, unit=unit, search=q, limit=limit
    )
    return rows


@router.post("/care/certificates/{certificate_id}/revocation")
def revoke_certificate(
    certificate_id: RecordId,
    data: Revocation,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
) -> CareCertificatePublic:
    certificate = certificates.revoke(
        session=session, certificate_id=certificate_id, reason=data.reason, actor=actor, now=now
    )
    traveller = session.get(Traveller, certificate.traveller_id)
    assert traveller is not None
    return certificates.public(certificate, traveller, actor)


@router.get(
    "/reports/care-units",
    response_class=Response,
    responses=file_responses(CSV),
)
def unit_follow_up(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.UNITS_FOLLOW_UP)],
    months: Annotated[int, Query(ge=1, le=36)] = 12,
) -> Response:
    """Follow-up per care unit and month, as CSV (semicolons, decimal commas)."""
    rows = follow_up.follow_up(session=session, actor=actor, now=now, months=months)
    return attachment(follow_up.to_csv(rows), media_type=CSV, name="uppfoljning-per-enhet.csv")
