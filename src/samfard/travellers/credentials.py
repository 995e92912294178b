"""Use cases for what entitles a traveller to travel: permits (färdtjänst, riksfärdtjänst),
sjukresa certificates, and the register of certified issuers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.register import require_in_register, visible_principal
from samfard.db import transaction
from samfard.errors import Conflict, Forbidden, InputError, NotFound
from samfard.geo.models import Place
from samfard.principals.models import Service
from samfard.principals.service import get_principal, require_service
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Certificate, Issuer, Permit, RegisteredVia
from samfard.travellers.schemas import CertificateCreate, IssuerCreate, PermitCreate
from samfard.travellers.service import load_traveller, read_traveller


def _check_period(valid_from: date, valid_until: date | None) -> None:
    if valid_until is not None and valid_until < valid_from:
        raise InputError(
            f"valid_until {valid_until} is before valid_from {valid_from}", field="valid_until"
        )


def _check_service_area(session: Session, areas: list[str]) -> None:
    """Each extra area is a municipality code or a place key the gazetteer knows: the rules
    match a trip's places by them, so a name or a typo would be stored and never match."""
    if not areas:
        return
    keys = set(session.scalars(select(Place.key).where(Place.key.in_(areas))))
    codes = set(
        session.scalars(select(Place.municipality_code).where(Place.municipality_code.in_(areas)))
    )
    for area in areas:
        if area not in keys and area not in codes:
            raise InputError(
                f"service_area: no municipality code or place key {area[:60]!r}; give a "
                "code (e.g. 2380) or a place key from GET /api/v1/places (e.g. midlanda-flygplats)",
                field="service_area",
            )


def add_permit(
    *, session: Session, traveller_id: int, data: PermitCreate, actor: Actor, now: datetime
) -> Permit:
    _check_period(data.valid_from, data.valid_until)
    with transaction(session):
        traveller = load_traveller(session=session, traveller_id=traveller_id)
        require_in_register(session, actor, traveller.id)
        principal = get_principal(session=session, code=data.principal)
        actor.require_principal(principal.code)
        require_service(principal, data.kind.value, field="kind")
        _check_service_area(session, data.service_area)
        permit = Permit(
            traveller_id=traveller.id,
            kind=data.kind.value,
            principal_code=principal.code,
            **data.model_dump(exclude={"kind", "principal"}),
        )
        session.add(permit)
        session.flush()
        audit.record(
            session,
            actor,
            traveller_id=traveller.id,
            record_type="permit",
            record_id=permit.id,
            action="create",
            purpose="grant permit",
            at=now,
        )
    return permit


def list_permits(
    *, session: Session, traveller_id: int, actor: Actor, now: datetime
) -> list[Permit]:
    traveller = read_traveller(
        session=session,
        traveller_id=traveller_id,
        actor=actor,
        now=now,
        record_type="permit",
        purpose="list permits",
    )
    return [p for p in traveller.permits if visible_principal(actor, p.principal_code)]


def register_issuer(*, session: Session, data: IssuerCreate, actor: Actor) -> Issuer:
    actor.require_principal(data.principal)
    _check_period(data.course_passed_on or date.min, data.certified_until)
    with transaction(session):
        principal = get_principal(session=session, code=data.principal)
        if session.scalar(select(Issuer.id).where(Issuer.hsa_id == data.hsa_id)):
            raise Conflict(f"issuer {data.hsa_id} is already registered", field="hsa_id")
        issuer = Issuer(principal_code=principal.code, **data.model_dump(exclude={"principal"}))
        session.add(issuer)
    return issuer


def list_issuers(*, session: Session, unit: str | None = None) -> list[Issuer]:
    statement = select(Issuer).order_by(Issuer.unit, Issuer.name)
    if unit:
        statement = statement.where(Issuer.unit == unit)
    return list(session.scalars(statement))


def issue_certificate(
    *, session: Session, traveller_id: int, data: CertificateCreate, actor: Actor, now: datetime
) -> Certificate:
    """Only a certified issuer, certified on the day of issue, may issue; a care-staff user
    may issue only for their own unit."""
    _check_period(data.valid_from, data.valid_until)
    today = now.astimezone(STOCKHOLM).date()
    with transaction(session):
        traveller = load_traveller(session=session, traveller_id=traveller_id)
        require_in_register(session, actor, traveller.id)
        principal = get_principal(session=session, code=data.principal)
        actor.require_principal(principal.code)
        require_service(principal, Service.SJUKRESA.value, field="principal")
        issuer = session.get(Issuer, data.issuer_id)
        if issuer is None:
            raise NotFound(f"no issuer with id {data.issuer_id}", field="issuer_id")
        if not issuer.certified_on(today):
            why = (
                "has not passed the certification course"
                if issuer.course_passed_on is None
                else f"certification lapsed on {issuer.certified_until}"
            )
            # By the id the caller sent, not the issuer's name and HSA id: the register of
            # issuers is read only with issuers:admin, and walking the ids named another
            # region's staff to an assessor (probe of 2026-12-07).
            raise Forbidden(
                f"issuer {issuer.id} {why}; certificates from uncertified issuers are refused",
                field="issuer_id",
            )
        if actor.care_unit is not None and actor.care_unit != issuer.unit:
            raise Forbidden(
                f"you may issue certificates only for your unit {actor.care_unit}",
                field="issuer_id",
            )
        certificate = Certificate(
            traveller_id=traveller.id,
            principal_code=principal.code,
            kind=data.kind.value,
            unit=issuer.unit,
            issued_at=now,
            registered_via=(
                RegisteredVia.CENTRE if actor.care_unit is None else RegisteredVia.CARE_UNIT
            ).value,
            **data.model_dump(exclude={"kind", "principal"}),
        )
        session.add(certificate)
        session.flush()
        audit.record(
            session,
            actor,
            traveller_id=traveller.id,
            record_type="certificate",
            record_id=certificate.id,
            action="create",
            purpose="issue certificate",
            at=now,
        )
    return certificate


def list_certificates(
    *, session: Session, traveller_id: int, actor: Actor, now: datetime
) -> list[Certificate]:
    traveller = read_traveller(
        session=session,
        traveller_id=traveller_id,
        actor=actor,
        now=now,
        record_type="certificate",
        purpose="list certificates",
    )
    return [c for c in traveller.certificates if visible_principal(actor, c.principal_code)]
