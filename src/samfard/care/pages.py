"""The care unit's pages: /intyg (issue, list and revoke sjukreseintyg) and /enheter (the
follow-up per unit, with the certifications about to lapse).

Both go through the care services (`certificates.issue`, `certificates.revoke`,
`certificates.unit_certificates`, `follow_up.follow_up`), so refusals, scope, masking and
audit are the API's. An uncertified or lapsed issuer sees the service's refusal in
Swedish (`NotCertified.detail_sv`: never passed, lapsed, or certified at another unit)
with the way to the course.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.attachment import content_disposition
from samfard.care import certificates, follow_up
from samfard.care.certificate_words import (
    expiring_sv,
    issued_sv,
    issuer_sv,
    listed_sv,
    status_sv,
)
from samfard.care.schemas import (
    CareCertificateCreate,
    CareCertificatePublic,
    CertificateMode,
    Revocation,
)
from samfard.course import service as course_service
from samfard.course.words import MODES_SV
from samfard.dates_sv import date_sv
from samfard.deps import NowDep, SessionDep
from samfard.errors import DomainError, NotFound
from samfard.geo.models import Place
from samfard.principals.service import list_principals
from samfard.rules.facts import Mode
from samfard.schemas_common import RecordId
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Certificate, Traveller
from samfard.travellers.page_forms import DATE_MOST, NUMBER_MOST, schema_max_length
from samfard.travellers.views import display_name, traveller_public
from samfard.web.shell import FormDep, FormErrors, page_router
from samfard.web.templating import render
from samfard.web.typed import FieldError, parse_date

router = page_router()

CARE_KINDS = ("hospital", "health_centre", "dialysis", "tertiary")
LIST_MOST = 200  # certificates the page lists; the rest are found by the search
SEARCH_MOST = 80  # characters of a search: a name or a personnummer
# The issue form's fields, sent again from the confirmation.
FORM_FIELDS = (
    "personnummer", "fardsatt", "tur-och-retur", "giltig-fran", "giltig-till",
    "besoksplats", "besoksdag", "skal",
)  # fmt: skip
FIELDS = {
    "traveller_id": "personnummer",
    "mode": "fardsatt",
    "valid_from": "giltig-fran",
    "valid_until": "giltig-till",
    "visit_place": "besoksplats",
    "visit_on": "besoksdag",
    "reason": "skal",
}


def _modes() -> list[tuple[str, str]]:
    return [
        (m.value, MODES_SV[m].capitalize())
        for m in (
            Mode.PUBLIC_TRANSPORT,
            Mode.TAXI,
            Mode.WHEELCHAIR_VEHICLE,
            Mode.STRETCHER_VEHICLE,
        )
    ]


def _places(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Place.key, Place.name).where(Place.kind.in_(CARE_KINDS)).order_by(Place.name)
    )
    return [("", "Välj vårdenhet"), *((r.key, r.name) for r in rows)]


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    *,
    errors: FormErrors,
    form: dict[str, str],
    refusal: str | None = None,
    issued: int | None = None,
    revoked: int | None = None,
    revoking: dict[str, Any] | None = None,
    search: str = "",
    status_code: int = 200,
    confirming: dict[str, Any] | None = None,
) -> Response:
    today = now.astimezone(STOCKHOLM).date()
    issuer = course_service.issuer_of(session, actor)
    not_certified = _not_certified_sv(session, actor, today)
    # The confirmation is one question; the list (each row an audited read) waits.
    listed, total = (
        certificates.unit_certificates(
            session=session, actor=actor, now=now, search=search, limit=LIST_MOST
        )
        if actor.care_unit and confirming is None
        else ([], 0)
    )
    just_issued = next((c for c in listed if c.id == issued), None) if issued else None
    return render(
        request,
        "care/certificates.html",
        {
            "may_issue": bool(actor.care_unit) and not_certified is None,
            "not_certified": not_certified,
            "issuer": issuer,
            "certificates": listed,
            "modes": _modes(),
            "modes_sv": dict(_modes()),
            "places": _places(session),
            "errors": errors,
            "form": {"giltig-fran": today.isoformat(), "tur-och-retur": "1"} | form,
            "refusal": refusal,
            "issued": issued,
            "issued_sv": issued_sv(just_issued, today),
            "issuers_sv": {c.id: issuer_sv(c) for c in listed}
            | ({revoking["c"].id: issuer_sv(revoking["c"])} if revoking else {}),
            "revoked": revoked,
            "revoking": revoking,
            "confirming": confirming,
            "statuses": {c.id: status_sv(c, today) for c in listed},
            "search": search,
            "listed_sv": listed_sv(len(listed), total, search),
            "maxlength": FIELD_MAXLENGTH | {"aterkalla": REVOKE_MOST, "sok": SEARCH_MOST},
        },
        status_code=status_code,
    )


def _not_certified_sv(session: Session, actor: Actor, today: date) -> str | None:
    """Why the person may not issue today, in Swedish (never passed, lapsed, another
    unit), or None. Asked of the service's own check before the form is shown, so no one
    fills in a certificate only to be refused when sending it."""
    if not actor.care_unit:
        return None  # the page says the account belongs to no care unit
    try:
        certificates.require_certified(session, actor, today)
    except certificates.NotCertified as refused:
        return refused.detail_sv
    return None


@router.get("/intyg")
def certificates_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
    utfardat: RecordId | None = None,
    aterkallat: RecordId | None = None,
    sok: Annotated[str, Query(max_length=SEARCH_MOST)] = "",
) -> Response:
    """The form to issue a certificate and the unit's certificates, newest first (or those
    of patients matching `sok`); after an issue or a revocation, the page says it was done."""
    return _page(
        request,
        session,
        actor,
        now,
        errors=FormErrors(),
        form={},
        issued=utfardat,
        revoked=aterkallat,
        search=sok.strip(),
    )


def _form_date(
    form: dict[str, str], name: str, today: date, errors: FormErrors, *, required: bool = True
) -> date | None:
    """The field's date, read as the desk reads it; a missing or unreadable one is the
    field's error, said as what to type."""
    text = form.get(name, "").strip()
    if not text:
        if required:
            errors.add(name, MESSAGES_SV[name])
        return None
    try:
        return parse_date(text, today=today)
    except FieldError as unreadable:
        errors.add(name, f"{unreadable}.")
        return None


def _validity(
    form: dict[str, str], today: date, errors: FormErrors
) -> tuple[date | None, date | None, date | None]:
    """The first and last day and the visit, each read and checked against the others as
    the service checks them (`certificates._check`), field by field in the page's order,
    so the nurse sees every problem with the dates at once."""
    first = _form_date(form, "giltig-fran", today, errors)
    if first is not None and first < today:
        errors.add("giltig-fran", WRITTEN_IN_ADVANCE_SV)
    last = _form_date(form, "giltig-till", today, errors)
    if first is not None and last is not None:
        if last < first:
            errors.add("giltig-till", LAST_BEFORE_FIRST_SV)
        elif (last - first).days >= certificates.MAX_VALID_DAYS:
            errors.add("giltig-till", TOO_LONG_SV)
    visit = _form_date(form, "besoksdag", today, errors, required=False)
    within = visit is None or first is None or last is None or first <= visit <= last
    if not within:
        errors.add("besoksdag", VISIT_OUTSIDE_SV)
    return first, last, visit


def _patient(
    session: Session, actor: Actor, now: datetime, form: dict[str, str], errors: FormErrors
) -> Traveller | None:
    """The patient in the unit's register, or None with what to fix at the field."""
    try:
        return certificates.find_patient(
            session=session, actor=actor, now=now, personal_number=form.get("personnummer", "")
        )
    except DomainError as error:
        if error.status in (401,):
            raise
        errors.add("personnummer", _refusal_sv(error, "personnummer"))
        return None


def _request(
    session: Session, actor: Actor, now: datetime, form: dict[str, str], errors: FormErrors
) -> tuple[CareCertificateCreate, Traveller] | None:
    """The certificate the form asks for and its patient, or None with every field's
    problem in `errors` (all fields are read, in the order the page shows them, before any
    is refused)."""
    today = now.astimezone(STOCKHOLM).date()
    patient = _patient(session, actor, now, form, errors)
    mode = form.get("fardsatt", "")
    if mode not in {m.value for m in CertificateMode}:
        errors.add("fardsatt", MESSAGES_SV["fardsatt"])
    first, last, visit = _validity(form, today, errors)
    reason = form.get("skal", "").strip()
    if not 2 <= len(reason) <= REASON_MOST:
        errors.add("skal", MESSAGES_SV["skal"])
    if errors or patient is None or first is None or last is None:
        return None
    try:
        data = CareCertificateCreate(
            traveller_id=patient.id,
            mode=CertificateMode(mode),
            covers_return=form.get("tur-och-retur") == "1",
            valid_from=first,
            valid_until=last,
            visit_place=form.get("besoksplats") or None,
            visit_on=visit,
            reason=reason,
        )
    except ValidationError as invalid:
        for problem in invalid.errors():
            name = FIELDS.get(str(problem["loc"][0]), "skal")
            errors.add(name, MESSAGES_SV[name])
        return None
    return data, patient


def _confirming(
    session: Session,
    actor: Actor,
    data: CareCertificateCreate,
    patient: Traveller,
    form: dict[str, str],
) -> dict[str, Any]:
    """What the nurse checks before the certificate is written: above all whose number
    she typed (a mistyped but valid personnummer issued it to someone else), by name as
    she may see it, and the form's fields to send again on "Utfärda intyget" or "Ändra"."""
    shown = traveller_public(patient, actor)  # masked as everywhere, should it be protected
    return {
        "name": display_name(patient, actor),
        "number": shown.personal_number,
        "data": data,
        "place": dict(_places(session)).get(data.visit_place or ""),
        "fields": {name: form.get(name, "") for name in FORM_FIELDS},
    }


REASON_MOST = schema_max_length(CareCertificateCreate, "reason")  # the longest medical ground
REVOKE_MOST = schema_max_length(Revocation, "reason")
# Each text field's maxlength: the schema's limit, or the most the page reads of a
# personnummer or a date (as the register's pages).
FIELD_MAXLENGTH = {
    "personnummer": NUMBER_MOST,
    "giltig-fran": DATE_MOST,
    "giltig-till": DATE_MOST,
    "besoksdag": DATE_MOST,
    "skal": REASON_MOST,
}
MESSAGES_SV = {
    "personnummer": "Skriv patientens personnummer, t.ex. 19121212-1212.",
    "fardsatt": "Välj färdsätt.",
    "giltig-fran": "Skriv det första datum intyget gäller, som ÅÅÅÅ-MM-DD eller 7/12.",
    "giltig-till": "Skriv det sista datum intyget gäller, samma dag eller senare.",
    "besoksplats": "Välj vårdenheten som patienten besöker.",
    "besoksdag": "Skriv besöksdagen inom intygets giltighet.",
    "skal": f"Skriv det medicinska skälet kort (minst två och högst {REASON_MOST} tecken).",
}
LAST_BEFORE_FIRST_SV = "Sista giltighetsdag kan inte vara före den första."
WRITTEN_IN_ADVANCE_SV = "Intyget skrivs i förväg: första giltighetsdag kan inte vara före i dag."
TOO_LONG_SV = (
    f"Ett intyg gäller högst {certificates.MAX_VALID_DAYS} dagar; välj ett tidigare sista datum."
)
VISIT_OUTSIDE_SV = "Besöksdagen ska ligga inom intygets giltighet."


# An unknown number and a protected patient the nurse may not see get these same words
# (the page must tell nothing of who is protected), so they are true of both: they do not
# send her to register a patient who may already be in the register (a duplicate).
NOT_FOUND_SV = (
    "Personnumret finns inte i registret, eller så kan patienten inte visas för dig. "
    "Kontrollera numret. Stämmer det, ring beställningscentralen: de kan se efter i "
    "registret och utfärda eller registrera intyget."
)
# The certificate service's refusals, by what their message says, as what to do.
REFUSALS_SV = (
    ("no patient with that personal number", NOT_FOUND_SV),
    ("check digit", "Personnumret har fel kontrollsiffra; kontrollera numret."),
    ("is before valid_from", LAST_BEFORE_FIRST_SV),
    ("written in advance", WRITTEN_IN_ADVANCE_SV),
    ("valid at most", TOO_LONG_SV),
    ("lies outside the validity", VISIT_OUTSIDE_SV),
)  # fmt: skip


def _refusal_sv(error: DomainError, name: str) -> str:
    said = next((sv for english, sv in REFUSALS_SV if english in error.message), None)
    return said or MESSAGES_SV.get(name, "Uppgiften kunde inte användas; kontrollera den.")


@router.post("/intyg")
def issue_certificate(
    request: Request,
    form: FormDep,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
) -> Response:
    """Check the form, then issue on the confirming post. One who may not issue is told
    why; otherwise every field is checked at once and all that is wrong comes back on the
    page together. A form without faults comes back as the certificate to confirm, with
    the patient's name: only the post of "Utfärda intyget" there (`bekraftat=ja`) issues,
    after checking it all again."""
    refusal = _not_certified_sv(session, actor, now.astimezone(STOCKHOLM).date())
    if refusal is not None:
        # Care staff read the Swedish refusal; the developers' English stays in the API.
        return _page(request, session, actor, now, errors=FormErrors(), form=form,
                     refusal=refusal)  # fmt: skip
    # An unticked box is sent as nothing: said as "0", so "Ändra" and a form with errors
    # keep it unticked instead of the page's default (both ways).
    form = form | {"tur-och-retur": form.get("tur-och-retur", "0")}
    errors = FormErrors()
    if "andra" in form:  # "Ändra" on the confirmation: the form again, as filled in
        return _page(request, session, actor, now, errors=errors, form=form)
    asked = _request(session, actor, now, form, errors)
    if asked is not None and form.get("bekraftat") != "ja":
        data, patient = asked
        twin = certificates.identical_valid(session, data, unit=actor.care_unit or "")
        if twin is None:
            confirming = _confirming(session, actor, data, patient, form)
            return _page(request, session, actor, now, errors=errors, form=form,
                         confirming=confirming)  # fmt: skip
        errors.add("personnummer", _identical_sv(twin))
    elif asked is not None:
        data, _ = asked
        try:
            certificate = certificates.issue(session=session, data=data, actor=actor, now=now)
        except certificates.IdenticalCertificate as twin:
            errors.add("personnummer", _identical_sv(twin.existing))
        except certificates.NotCertified as refused:
            return _page(request, session, actor, now, errors=errors, form=form,
                         refusal=refused.detail_sv)  # fmt: skip
        except DomainError as error:
            if error.status in (401,):
                raise
            name = FIELDS.get(error.field or "", "personnummer")
            errors.add(name, _refusal_sv(error, name))
        else:
            return RedirectResponse(f"/intyg?utfardat={certificate.id}", status_code=303)
    return _page(request, session, actor, now, errors=errors, form=form)


def _identical_sv(twin: Certificate) -> str:
    by = issuer_sv(twin)
    return (
        f"Patienten har redan ett likadant giltigt intyg, utfärdat "
        f"{date_sv(twin.issued_at, 'long')} av {by} (samma färdsätt, datum och "
        "besök): det gäller redan. Ska något ändras, återkalla det intyget först i listan "
        "nedan och utfärda sedan ett nytt."
    )


REVOKE_REASON_SV = "Skriv varför intyget återkallas (minst två tecken), t.ex. besöket är inställt."


@router.post("/intyg/{certificate_id}/aterkalla")
def revoke_certificate(
    request: Request,
    certificate_id: RecordId,
    form: FormDep,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
) -> Response:
    """Revoke one of the unit's certificates after a question at the top of the page that
    names it and holds the reason (an empty reason is the question's error, focused there,
    not in row 18 of 200). One Enter in a row's field revoked at once before."""
    shown = _revocable(session, actor, certificate_id)
    field = f"aterkalla-{certificate_id}"
    reason = form.get(field, "").strip()
    errors = FormErrors()
    status = 200
    if field in form and len(reason) < 2:
        errors.add(field, REVOKE_REASON_SV)
    elif form.get("bekraftat") == "ja" and len(reason) >= 2:
        try:
            certificates.revoke(
                session=session, certificate_id=certificate_id, reason=reason[:REVOKE_MOST],
                actor=actor, now=now,
            )  # fmt: skip
        except DomainError as error:
            if error.status != 409:
                raise
            # Revoked meanwhile, or expired since the page was shown: said as the service says.
            errors.add(field, error.detail_sv or REVOKE_REASON_SV)
            status = 409
        else:
            return RedirectResponse(f"/intyg?aterkallat={certificate_id}", status_code=303)
    revoking = {"c": shown, "field": field, "reason": reason, "errors": errors,
                "status": status_sv(shown, now.astimezone(STOCKHOLM).date())}  # fmt: skip
    return _page(request, session, actor, now, errors=FormErrors(), form={}, revoking=revoking,
                 status_code=status)  # fmt: skip


def _revocable(session: Session, actor: Actor, certificate_id: int) -> CareCertificatePublic:
    """The certificate as the unit's list shows it, if the actor may revoke it (else 404,
    as the service answers)."""
    certificate = session.get(Certificate, certificate_id)
    traveller = session.get(Traveller, certificate.traveller_id) if certificate else None
    if certificate is None or traveller is None or not certificates.may_manage(actor, certificate):
        raise NotFound(f"no certificate {certificate_id} of your unit", field="certificate_id")
    return certificates.public(certificate, traveller, actor)


def _principal_names(session: Session) -> dict[str, str]:
    return {p.code: p.name for p in list_principals(session=session)}


def _rows(rows: list[follow_up.UnitMonth], names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "unit": r.unit,
            "principal": names.get(r.principal_code, r.principal_code),
            "month": r.month,
            "staff": r.certified_staff,
            "certificates": r.certificates,
            "revoked": r.revoked,
            "by_mode": r.by_mode,
            "taxi_share": round(r.taxi_share * 100),
            "stretcher_share": round(r.stretcher_share * 100),
            "expected_ore": r.expected_ore,
            "settled_ore": r.settled_ore,
        }
        for r in rows
    ]


@router.get("/enheter")
def units_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
) -> Response:
    """Follow-up per care unit and month, and the certifications about to lapse."""
    rows = follow_up.follow_up(session=session, actor=actor, now=now)
    names = _principal_names(session)
    return render(
        request,
        "care/units.html",
        {
            "rows": _rows(rows, names),
            "principal_names": names,
            "totals": follow_up.totals(rows),
            "expiring": expiring_sv(course_service.expiring(session=session, actor=actor, now=now)),
            "modes": follow_up.MODES,
            "modes_sv": dict(_modes()),
        },
    )


@router.get("/enheter/uppfoljning.csv")
def units_csv(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
) -> Response:
    rows = follow_up.follow_up(session=session, actor=actor, now=now)
    return Response(
        follow_up.to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition("uppfoljning-per-enhet.csv")},
    )
