"""Reading the /intyg form: each field as the desk reads it, every problem at once and
said in Swedish at its field, the patient found in the unit's register (an audited read),
and the certificate service's refusals as what to do. Split from `care.pages`."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.care import certificates
from samfard.care.schemas import CareCertificateCreate, CertificateMode
from samfard.errors import DomainError
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller
from samfard.travellers.page_forms import DATE_MOST, NUMBER_MOST, schema_max_length
from samfard.web.shell import FormErrors
from samfard.web.typed import FieldError, parse_date

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


def form_date(
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


def validity(
    form: dict[str, str], today: date, errors: FormErrors
) -> tuple[date | None, date | None, date | None]:
    """The first and last day and the visit, each read and checked against the others as
    the service checks them (`certificates._check`), field by field in the page's order,
    so the nurse sees every problem with the dates at once."""
    first = form_date(form, "giltig-fran", today, errors)
    if first is not None and first < today:
        errors.add("giltig-fran", WRITTEN_IN_ADVANCE_SV)
    last = form_date(form, "giltig-till", today, errors)
    if first is not None and last is not None:
        if last < first:
            errors.add("giltig-till", LAST_BEFORE_FIRST_SV)
        elif (last - first).days >= certificates.MAX_VALID_DAYS:
            errors.add("giltig-till", TOO_LONG_SV)
    visit = form_date(form, "besoksdag", today, errors, required=False)
    within = visit is None or first is None or last is None or first <= visit <= last
    if not within:
        errors.add("besoksdag", VISIT_OUTSIDE_SV)
    return first, last, visit


def patient_of(
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
        errors.add("personnummer", refusal_sv(error, "personnummer"))
        return None


def read_request(
    session: Session, actor: Actor, now: datetime, form: dict[str, str], errors: FormErrors
) -> tuple[CareCertificateCreate, Traveller] | None:
    """The certificate the form asks for and its patient, or None with every field's
    problem in `errors` (all fields are read, in the order the page shows them, before any
    is refused)."""
    today = now.astimezone(STOCKHOLM).date()
    patient = patient_of(session, actor, now, form, errors)
    mode = form.get("fardsatt", "")
    if mode not in {m.value for m in CertificateMode}:
        errors.add("fardsatt", MESSAGES_SV["fardsatt"])
    first, last, visit = validity(form, today, errors)
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


REASON_MOST = schema_max_length(CareCertificateCreate, "reason")  # the longest medical ground
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


def refusal_sv(error: DomainError, name: str) -> str:
    said = next((sv for english, sv in REFUSALS_SV if english in error.message), None)
    return said or MESSAGES_SV.get(name, "Uppgiften kunde inte användas; kontrollera den.")
