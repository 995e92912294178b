"""Electronic sjukreseintyg: a certified issuer of a care unit writes one for a patient and
a visit, and the unit revokes it when the need ends.

Only a person whose course certification is valid today may issue (rules/issuers.py says
the same for the assessment); anyone else is refused with where to take the course. The
certificate is the register's own (travellers.models.Certificate), so the assessment uses
it as before: a taxi sjukresa in Västernorrland with a valid certificate is approved by
the rules, without an assessor. A revoked certificate is never read by the assessment.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Permission, Role
from samfard.access.register import in_register_condition, require_in_register
from samfard.care.schemas import CareCertificateCreate, CareCertificatePublic
from samfard.course.service import issuer_of
from samfard.dates_sv import date_sv
from samfard.db import transaction
from samfard.errors import Conflict, Forbidden, InputError, NotFound
from samfard.geo.models import Place
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import (
    Certificate,
    CertificateKind,
    Issuer,
    RegisteredVia,
    Traveller,
)
from samfard.travellers.personnummer import parse_personal_number
from samfard.travellers.service import escape_like
from samfard.travellers.views import display_name

COURSE_PAGE = "/kurs"
MAX_VALID_DAYS = 366


class NotCertified(Forbidden):
    """The person may not issue certificates: no course passed, or the certification lapsed.

    The refusal carries a Swedish text for care staff (`detail_sv`, on the page and in the
    API's answer): what stands in the way and what to do, not the developers' English."""

    title = "Not a certified issuer"

    def __init__(self, message: str, *, detail_sv: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.detail_sv = detail_sv

    def extra(self) -> dict[str, str]:
        return super().extra() | {"course": COURSE_PAGE}


def require_certified(session: Session, actor: Actor, today: date) -> Issuer:
    """The actor's issuer row, certified today and at the actor's care unit, or NotCertified."""
    if not actor.care_unit:
        raise Forbidden(
            "only staff of a care unit issue certificates here; your account has no care unit",
            field="care_unit",
        )
    issuer = issuer_of(session, actor)
    if issuer is None or issuer.course_passed_on is None:
        raise NotCertified(
            "you have not passed the course in the sjukresa rules, so you may not issue "
            f"travel certificates yet; take the course at {COURSE_PAGE}",
            detail_sv="Du har inte klarat kursen i sjukreseregler. Gå kursen och gör provet "
            "för att få utfärda sjukreseintyg.",
            field="issuer",
        )
    if not issuer.certified_on(today):
        raise NotCertified(
            f"your certification as an issuer lapsed on {issuer.certified_until}; take the "
            f"course again at {COURSE_PAGE} to renew it",
            detail_sv=f"Din certifiering gick ut {issuer.certified_until}. Gör provet igen "
            "för att förnya den.",
            field="issuer",
        )
    if issuer.unit != actor.care_unit:
        raise NotCertified(
            f"you are certified at {issuer.unit}, not at {actor.care_unit}; take the course "
            f"at {COURSE_PAGE} for your present unit",
            detail_sv=f"Du är certifierad vid {issuer.unit}, inte vid {actor.care_unit}. "
            "Gör provet för den enhet du arbetar vid nu.",
            field="issuer",
        )
    return issuer


def find_patient(
    *, session: Session, actor: Actor, now: datetime, personal_number: str
) -> Traveller:
    """The patient in the actor's register with this personal number (an audited read).
    A protected identity is found only by those who may see it, as in the search."""
    number = parse_personal_number(personal_number, today=now.astimezone(STOCKHOLM).date())
    statement = select(Traveller).where(
        Traveller.personal_number == number.value, in_register_condition(actor)
    )
    if not actor.has(Permission.PROTECTED_IDENTITY_READ):
        statement = statement.where(Traveller.protected_identity.is_(False))
    traveller = session.scalar(statement)
    if traveller is None:
        raise NotFound(
            "no patient with that personal number in your register", field="personal_number"
        )
    with transaction(session):
        audit.record(
            session,
            actor,
            traveller_id=traveller.id,
            record_type="traveller",
            record_id=traveller.id,
            action="read",
            purpose="find patient for certificate",
            at=now,
        )
    return traveller


def _check(data: CareCertificateCreate, today: date, session: Session) -> None:
    if data.valid_until < data.valid_from:
        raise InputError(
            f"valid_until {data.valid_until} is before valid_from {data.valid_from}",
            field="valid_until",
        )
    if data.valid_from < today:
        raise InputError(
            f"a certificate is written in advance: valid_from {data.valid_from} is before "
            f"today {today}",
            field="valid_from",
        )
    if (data.valid_until - data.valid_from).days >= MAX_VALID_DAYS:
        raise InputError(
            f"a certificate is valid at most {MAX_VALID_DAYS} days; shorten valid_until",
            field="valid_until",
        )
    if data.visit_on is not None and not data.valid_from <= data.visit_on <= data.valid_until:
        raise InputError(
            f"the visit on {data.visit_on} lies outside the validity "
            f"{data.valid_from} to {data.valid_until}",
            field="visit_on",
        )
    if data.visit_place is not None and (
        session.scalar(select(Place.id).where(Place.key == data.visit_place)) is None
    ):
        raise InputError(f"no place with key {data.visit_place!r}", field="visit_place")


def issue(
    *, session: Session, data: CareCertificateCreate, actor: Actor, now: datetime
) -> Certificate:
    """Write a sjukreseintyg for a patient in the unit's region (one transaction, audited)."""
    today = now.astimezone(STOCKHOLM).date()
    with transaction(session):
        issuer = require_certified(session, actor, today)
        _check(data, today, session)
        actor.require_principal(issuer.principal_code)
        require_in_register(session, actor, data.traveller_id)
        twin = identical_valid(session, data, unit=issuer.unit)
        if twin is not None:
            raise IdenticalCertificate(twin)
        single = data.visit_on is not None and data.valid_from == data.valid_until
        certificate = Certificate(
            traveller_id=data.traveller_id,
            principal_code=issuer.principal_code,
            kind=(CertificateKind.SINGLE_TRIP if single else CertificateKind.PERIOD).value,
            modes=[data.mode.value],
            valid_from=data.valid_from,
            valid_until=data.valid_until,
            trips_allowed=None,
            issuer_id=issuer.id,
            unit=issuer.unit,
            companion_allowed=data.companion_allowed,
            reason=data.reason,
            issued_at=now,
            covers_return=data.covers_return,
            visit_place=data.visit_place,
            visit_on=data.visit_on,
            issued_by=actor.username,
            registered_via=RegisteredVia.CARE_UNIT.value,
        )
        session.add(certificate)
        session.flush()
        _audit(session, actor, certificate, action="create", purpose="issue certificate", at=now)
    return certificate


def revoke(
    *, session: Session, certificate_id: int, reason: str, actor: Actor, now: datetime
) -> Certificate:
    """Revoke a certificate of the actor's unit (care staff) or principal (assessor).
    Revoking needs no valid certification: stopping a certificate must always be possible."""
    with transaction(session):
        certificate = session.get(Certificate, certificate_id)
        if certificate is None or not may_manage(actor, certificate):
            raise NotFound(f"no certificate {certificate_id} of your unit", field="certificate_id")
        if certificate.revoked_at is not None:
            twice = Conflict(
                f"certificate {certificate_id} was revoked already on "
                f"{certificate.revoked_at.astimezone(STOCKHOLM):%Y-%m-%d}",
                field="certificate_id",
            )
            twice.detail_sv = "Intyget är redan återkallat: det gäller inte för nya bokningar."
            raise twice
        last = certificate.valid_until
        if last is not None and last < now.astimezone(STOCKHOLM).date():
            ended = Conflict(
                f"certificate {certificate_id} expired on {last}: it approves nothing any "
                "more, so there is nothing to revoke",
                field="certificate_id",
            )
            ended.detail_sv = (
                f"Intyget gick ut {date_sv(last, 'long')}. Ett utgånget intyg gäller inte "
                "för nya bokningar och kan inte återkallas."
            )
            raise ended
        certificate.revoked_at = now
        certificate.revoked_by = actor.username
        certificate.revoke_reason = reason
        _audit(session, actor, certificate, action="update", purpose="revoke certificate", at=now)
    return certificate


def may_manage(actor: Actor, certificate: Certificate) -> bool:
    """Whether the actor may revoke the certificate: care staff of the unit that issued it,
    certified or not (stopping a certificate must always be possible), or an assessor or
    administrator of its principal."""
    if not actor.covers_principal(certificate.principal_code):
        return False
    return actor.role is not Role.CARE_ISSUER or certificate.unit == actor.care_unit


class IdenticalCertificate(Conflict):
    """The unit has a valid certificate saying what this one would: the same certificate
    was issued three times from /intyg, each counting as the patient's right to travel."""

    def __init__(self, existing: Certificate) -> None:
        super().__init__(
            f"certificate {existing.id} of this unit, issued "
            f"{existing.issued_at.astimezone(STOCKHOLM):%Y-%m-%d} by "
            f"{existing.issued_by or 'the register API'}, already says this (the same patient, "
            "mode, journeys, dates and visit); revoke it first to issue a changed one",
            field="traveller_id",
        )
        self.existing = existing


def identical_valid(
    session: Session, data: CareCertificateCreate, *, unit: str
) -> Certificate | None:
    """A certificate of the unit, not revoked, that says what `data` would: the same
    patient, mode, journeys, first and last day, place and day of the visit (`issue`
    refuses to write such a one again)."""
    statement = select(Certificate).where(
        Certificate.traveller_id == data.traveller_id,
        Certificate.unit == unit,
        Certificate.revoked_at.is_(None),
        Certificate.valid_from == data.valid_from,
        Certificate.valid_until == data.valid_until,
        Certificate.covers_return == data.covers_return,
    )
    for certificate in session.scalars(statement.order_by(Certificate.id)):
        if (
            certificate.modes == [data.mode.value]
            and certificate.visit_place == data.visit_place
            and certificate.visit_on == data.visit_on
        ):
            return certificate
    return None


def unit_certificates(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    unit: str | None = None,
    search: str | None = None,
    limit: int = 200,
) -> tuple[list[CareCertificatePublic], int]:
    """A care unit's certificates, newest first, at most `limit`, and how many there are
    (the page said nothing of the 77 past its 200): care staff see their own unit's, an
    assessor or administrator names the unit (`unit`) and sees it within their principals.
    `search` keeps those whose patient's name has every word of it, or whose personnummer
    has its digits (six or more). Each patient shown is audited; protected identities are
    masked for those without the right, and never matched by a search for them (the
    masked row would confirm whose name or number was guessed)."""
    if actor.care_unit:
        if unit not in (None, actor.care_unit):
            raise Forbidden(f"you see only the certificates of {actor.care_unit}", field="unit")
        unit = actor.care_unit
    elif not unit:
        raise InputError("name the care unit whose certificates to list", field="unit")
    statement = (
        select(Certificate, Traveller)
        .join(Traveller, Traveller.id == Certificate.traveller_id)
        .where(Certificate.unit == unit)
    )
    if not actor.owns_everything:
        statement = statement.where(Certificate.principal_code.in_(sorted(actor.principal_codes)))
    text = (search or "").strip()
    if text:
        statement = statement.where(_matches(text))
        if not actor.has(Permission.PROTECTED_IDENTITY_READ):
            statement = statement.where(Traveller.protected_identity.is_(False))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    shown = (
        statement.options(joinedload(Certificate.issuer))  # each row names its issuer
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .limit(limit)
    )
    rows = [(row[0], row[1]) for row in session.execute(shown)]
    with transaction(session):
        for certificate, _ in rows:
            _audit(session, actor, certificate, action="list", purpose="unit certificates", at=now)
    return [public(c, t, actor) for c, t in rows], total


def _matches(text: str) -> ColumnElement[bool]:
    """A patient whose name holds every word of `text` (either order), or whose
    personnummer holds its digits when there are six or more, as the register's search."""
    name = func.lower(Traveller.first_name + " " + Traveller.last_name)
    words = text.replace(",", " ").split()
    conditions = [and_(*(name.like(f"%{escape_like(w.lower())}%", escape="\\") for w in words))]
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) >= SEARCH_DIGITS:
        conditions.append(Traveller.personal_number.like(f"%{digits}%"))
    return or_(*conditions)


SEARCH_DIGITS = 6  # fewer digits than a birth date would match half the unit's patients


def public(certificate: Certificate, traveller: Traveller, actor: Actor) -> CareCertificatePublic:
    return CareCertificatePublic(
        id=certificate.id,
        traveller_id=traveller.id,
        traveller_name=display_name(traveller, actor),
        principal_code=certificate.principal_code,
        mode=certificate.modes[0],
        covers_return=certificate.covers_return,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        visit_place=certificate.visit_place,
        visit_on=certificate.visit_on,
        unit=certificate.unit,
        issued_by=certificate.issued_by,
        registered_via=certificate.registered_via,
        issuer_name=issuer_name(certificate),
        issued_at=certificate.issued_at,
        revoked_at=certificate.revoked_at,
        revoke_reason=certificate.revoke_reason,
    )


def issuer_name(certificate: Certificate) -> str | None:
    """The issuer's name as the register stores it, or None where it stores none but the
    account's login name (an issuer created by the course for an account made without a
    name takes its username), or the certificate has no issuer (the centre registered it).
    A login name is no name to show: "vard-sundsvalls-sjukhus-2" said who issued nothing."""
    issuer = certificate.issuer
    if issuer is None:
        return None
    name = " ".join(issuer.name.split())
    logins = {issuer.username, certificate.issued_by}
    return None if not name or name in logins else name


def _audit(
    session: Session,
    actor: Actor,
    certificate: Certificate,
    *,
    action: str,
    purpose: str,
    at: datetime,
) -> None:
    audit.record(
        session,
        actor,
        traveller_id=certificate.traveller_id,
        record_type="certificate",
        record_id=certificate.id,
        action=action,
        purpose=purpose,
        at=at,
    )
