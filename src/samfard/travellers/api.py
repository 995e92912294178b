"""Routes of the traveller register under /api/v1/travellers and /api/v1/issuers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import NowDep, SessionDep
from samfard.schemas_common import Offset, Page, RecordId
from samfard.travellers import credentials, service
from samfard.travellers.schemas import (
    CertificateCreate,
    CertificatePublic,
    IssuerCreate,
    IssuerPublic,
    PermitCreate,
    PermitPublic,
    TravellerCreate,
    TravellerPublic,
    TravellerUpdate,
)
from samfard.travellers.views import (
    certificate_public,
    permit_public,
    sees_traveller,
    traveller_public,
)

router = APIRouter(tags=["travellers"])


@router.post(
    "/travellers",
    status_code=201,
    responses={
        200: {
            "description": "a traveller already known to the centre, now also in "
            "your register (the body named them exactly as stored)"
        }
    },
)
def register_traveller(
    data: TravellerCreate,
    response: Response,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.TRAVELLERS_WRITE)],
) -> TravellerPublic:
    traveller, created = service.enrol_traveller(session=session, data=data, actor=actor, now=now)
    if not created:
        response.status_code = 200
    return traveller_public(traveller, actor)


@router.get("/travellers")
def find_travellers(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.TRAVELLERS_READ)],
    q: Annotated[
        str | None,
        Query(description="at least 3 characters of a name, or 6+ digits of a personal number"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> Page[TravellerPublic]:
    rows, total = service.find_travellers(
        session=session, actor=actor, now=now, query=q, limit=limit, offset=offset
    )
    return Page(
        items=[traveller_public(t, actor) for t in rows], total=total, limit=limit, offset=offset
    )


@router.get("/travellers/{traveller_id}")
def get_traveller(
    traveller_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.TRAVELLERS_READ)],
) -> TravellerPublic:
    traveller = service.get_traveller(
        session=session, traveller_id=traveller_id, actor=actor, purpose="traveller card", now=now
    )
    return traveller_public(traveller, actor)


@router.patch("/travellers/{traveller_id}")
def update_traveller(
    traveller_id: RecordId,
    data: TravellerUpdate,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.TRAVELLERS_WRITE)],
) -> TravellerPublic:
    traveller = service.update_traveller(
        session=session, traveller_id=traveller_id, data=data, actor=actor, now=now
    )
    return traveller_public(traveller, actor)


@router.post("/travellers/{traveller_id}/permits", status_code=201)
def add_permit(
    traveller_id: RecordId,
    data: PermitCreate,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PERMITS_WRITE)],
) -> PermitPublic:
    permit = credentials.add_permit(
        session=session, traveller_id=traveller_id, data=data, actor=actor, now=now
    )
    return permit_public(permit, visible=sees_traveller(session, traveller_id, actor))


@router.get("/travellers/{traveller_id}/permits")
def list_permits(
    traveller_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.TRAVELLERS_READ)],
) -> list[PermitPublic]:
    permits = credentials.list_permits(
        session=session, traveller_id=traveller_id, actor=actor, now=now
    )
    visible = sees_traveller(session, traveller_id, actor)
    return [permit_public(p, visible=visible) for p in permits]


@router.post("/travellers/{traveller_id}/certificates", status_code=201)
def issue_certificate(
    traveller_id: RecordId,
    data: CertificateCreate,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
) -> CertificatePublic:
    certificate = credentials.issue_certificate(
        session=session, traveller_id=traveller_id, data=data, actor=actor, now=now
    )
    return certificate_public(certificate, visible=sees_traveller(session, traveller_id, actor))


@router.get("/travellers/{traveller_id}/certificates")
def list_certificates(
    traveller_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.TRAVELLERS_READ)],
) -> list[CertificatePublic]:
    certificates = credentials.list_certificates(
        session=session, traveller_id=traveller_id, actor=actor, now=now
    )
    visible = sees_traveller(session, traveller_id, actor)
    return [certificate_public(c, visible=visible) for c in certificates]


@router.post("/issuers", status_code=201)
def register_issuer(
    data: IssuerCreate,
    session: SessionDep,
    actor: Annotated[Actor, require(P.ISSUERS_ADMIN)],
) -> IssuerPublic:
    return IssuerPublic.model_validate(
        credentials.register_issuer(session=session, data=data, actor=actor)
    )


@router.get("/issuers")
def list_issuers(
    session: SessionDep,
    actor: Annotated[Actor, require(P.ISSUERS_ADMIN)],
    unit: str | None = None,
) -> list[IssuerPublic]:
    return [
        IssuerPublic.model_validate(i) for i in credentials.list_issuers(session=session, unit=unit)
    ]
