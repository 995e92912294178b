"""The care unit's page /intyg: issue (after a confirmation naming the patient), list,
search and revoke sjukreseintyg (/enheter, the follow-up, is `care.unit_pages`).

It goes through the care services (`certificates.issue`, `certificates.revoke`,
`certificates.unit_certificates`), so refusals, scope, masking and audit are the API's.
An uncertified or lapsed issuer sees the service's refusal in Swedish
(`NotCertified.detail_sv`: never passed, lapsed, or certified at another unit) with the
way to the course.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.care import certificates
from samfard.care.certificate_form import (
    FIELD_MAXLENGTH,
    FIELDS,
    FORM_FIELDS,
    read_request,
    refusal_sv,
)
from samfard.care.certificate_words import (
    issued_sv,
    issuer_sv,
    listed_sv,
    mode_choices,
    status_sv,
)
from samfard.care.schemas import (
    CareCertificateCreate,
    CareCertificatePublic,
    Revocation,
)
from samfard.course import service as course_service
from samfard.dates_sv import date_sv
from samfard.deps import NowDep, SessionDep
from samfard.errors import DomainError, NotFound
from samfard.geo.models import Place
from samfard.schemas_common import RecordId
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Certificate, Traveller
from samfard.travellers.page_forms import schema_max_length
from samfard.travellers.views import display_name, traveller_public
from samfard.web.shell import FormDep, FormErrors, page_router
from samfard.web.templating import render

router = page_router()

CARE_KINDS = ("hospital", "health_centre", "dialysis", "tertiary")
REVOKE_MOST = schema_max_length(Revocation, "reason")
LIST_MOST = 200  # certificates the page lists; the rest are found by the search
SEARCH_MOST = 80  # characters of a search: a name or a personnummer


def _places(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Place.key, Place.name).where(Place.kind.in_(CARE_KINDS)).order_by(Place.name)
    )
    return [("", "Ingen vald"), *((r.key, r.name) for r in rows)]


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
            "modes": mode_choices(),
            "modes_sv": dict(mode_choices()),
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
    asked = read_request(session, actor, now, form, errors)
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
            errors.add(name, refusal_sv(error, name))
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
