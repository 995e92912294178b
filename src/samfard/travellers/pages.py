"""The register (/resenarer): find, register and change travellers, grant permits and
issue certificates, through the API's use cases (so audit and masking are the API's).

A protected identity stays masked for a user without the right, here as in the API: the
page shows "Skyddad identitet" and lets them change only what does not reveal it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.course.words import MODES_SV as MODE_WORDS_SV
from samfard.deps import NowDep, SessionDep
from samfard.errors import DomainError, Forbidden, InputError, NotFound
from samfard.principals.service import list_principals
from samfard.rules.facts import Mode
from samfard.schemas_common import RecordId
from samfard.timeutil import STOCKHOLM
from samfard.travellers import credentials, service
from samfard.travellers import page_forms as forms
from samfard.travellers.personnummer import parse_personal_number
from samfard.travellers.views import can_see_identity, display_name, traveller_public
from samfard.web.shell import FormDep, FormErrors, page_router
from samfard.web.templating import render, templates

router = page_router()
Reader = Annotated[Actor, require(P.TRAVELLERS_READ)]
Writer = Annotated[Actor, require(P.TRAVELLERS_WRITE)]

AIDS_SV = {
    "wheelchair": "Rullstol",
    "rollator": "Rollator",
    "stretcher": "Bår (liggande)",
    "guide_dog": "Ledarhund",
    "oxygen": "Syrgas",
}
PERMIT_FLAGS_SV = {
    "special_vehicle": "Specialfordon",
    "escort": "Ledsagare",
    "fellow_passenger": "Medresenär",
    "front_seat": "Framsäte",
    "ride_alone": "Ensamåkning",
    "allergy_free": "Allergisanerat fordon",
    "guide_dog": "Ledarhund",
}
PERMIT_KINDS_SV = {"fardtjanst": "Färdtjänst", "riksfardtjanst": "Riksfärdtjänst"}
CERTIFICATE_KINDS_SV = {
    "single_trip": "Enstaka resa",
    "period": "Period",
    "treatment_series": "Behandlingsserie",
}
# The form offers the vehicles a certificate is written for; a stored certificate may name
# any mode (the care units' /intyg also writes bus and train), so the table says each one in
# the course's words, never its code.
MODES_SV = {mode: MODE_WORDS_SV[Mode(mode)].capitalize() for mode in forms.CERTIFICATE_MODES}
ALL_MODES_SV = {mode.value: words.capitalize() for mode, words in MODE_WORDS_SV.items()}


def _municipalities(session: Session) -> list[tuple[str, str]]:
    return [
        (p.code, f"{p.name} ({p.code})")
        for p in list_principals(session=session)
        if p.kind == "municipality"
    ]


def _labels() -> dict[str, Any]:
    return {
        "aids_sv": AIDS_SV,
        "aid_fields": forms.AIDS_FIELDS,
        "permit_flags": PERMIT_FLAGS_SV,
        "permit_kinds": PERMIT_KINDS_SV,
        "certificate_kinds": CERTIFICATE_KINDS_SV,
        "modes_sv": MODES_SV,
        "all_modes_sv": ALL_MODES_SV,
        "maxlength": forms.FIELD_MAXLENGTH,
    }


SEARCH_MOST = 100  # the register's search text (the query parameter's limit)
# What the desk carries to a new traveller's form when its search found no one: the text
# typed, into the field it belongs in (the first field the form then focuses is the first
# one left empty).
CARRIED = {"personnummer": forms.NUMBER_MOST, "telefon": forms.FIELD_MAXLENGTH["telefon"],
           "fornamn": forms.FIELD_MAXLENGTH["fornamn"],
           "efternamn": forms.FIELD_MAXLENGTH["efternamn"]}  # fmt: skip
PHONE_SIGNS = set("0123456789 -+()/")


def typed_as_fields(typed: str, today: date) -> dict[str, str]:
    """A search text as a new traveller's fields: a personnummer, a phone number (digits
    that are no personnummer, starting with 0 or +), else a name, its last word the
    surname and the words before it the given names (one word: the surname, as the desk
    asks for it first)."""
    text = " ".join(typed.split())
    if not text:
        return {}
    if set(text) <= PHONE_SIGNS and any(c.isdigit() for c in text):
        try:
            parse_personal_number(text, today=today)
        except InputError:
            if text.startswith(("0", "+")):
                return {"telefon": text}
        return {"personnummer": text}
    *given, surname = text.split(" ")
    return {"fornamn": " ".join(given), "efternamn": surname} if given else {"efternamn": surname}


def new_traveller_link(request: Request, typed: str) -> str:
    """The register's new-traveller form carrying what was typed in a search that found
    no one, or "" for an account that may not register travellers (care staff and
    assessors book, but do not register)."""
    actor: Actor | None = getattr(request.state, "actor", None)
    if actor is None or not actor.has(P.TRAVELLERS_WRITE) or not typed.strip():
        return ""
    now: datetime = request.app.state.clock.now()
    fields = typed_as_fields(typed, now.astimezone(STOCKHOLM).date())
    carried = {name: value[: CARRIED[name]] for name, value in fields.items()}
    return "/resenarer/ny" + (f"?{urlencode(carried)}" if carried else "")


# The desk's search (booking/desk.html) offers the form when it finds no one.
templates.env.globals["new_traveller_link"] = new_traveller_link


@router.get("/resenarer")
def register_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Reader,
    q: Annotated[str, Query(max_length=SEARCH_MOST)] = "",
) -> Response:
    """Find a traveller by name, personnummer or phone."""
    rows: list[dict[str, Any]] = []
    total = 0
    if len(q.strip()) >= service.MIN_QUERY:
        found, total = service.find_travellers(
            session=session, actor=actor, now=now, query=q.strip(), limit=20, offset=0
        )
        rows = [
            {"id": t.id, "name": display_name(t, actor), "shown": traveller_public(t, actor)}
            for t in found
        ]
    context = {"query": q, "rows": rows, "total": total, "min_query": service.MIN_QUERY,
               "may_register": actor.has(P.TRAVELLERS_WRITE),
               "new_link": new_traveller_link(request, q),
               "query_most": SEARCH_MOST}  # fmt: skip
    return render(request, "travellers/search.html", context)


@router.get("/resenarer/ny")
def new_traveller_page(
    request: Request,
    session: SessionDep,
    actor: Writer,
    personnummer: Annotated[str, Query(max_length=CARRIED["personnummer"])] = "",
    fornamn: Annotated[str, Query(max_length=CARRIED["fornamn"])] = "",
    efternamn: Annotated[str, Query(max_length=CARRIED["efternamn"])] = "",
    telefon: Annotated[str, Query(max_length=CARRIED["telefon"])] = "",
) -> Response:
    """The form, empty or holding what the desk's search typed (`new_traveller_link`)."""
    carried = {"personnummer": personnummer, "fornamn": fornamn, "efternamn": efternamn,
               "telefon": telefon}  # fmt: skip
    form = {"sprak": "sv"} | {name: value.strip() for name, value in carried.items() if value}
    return _new_form(request, session, form, FormErrors())


# The new form's fields in order, for the focus: the first one left empty.
FIRST_FIELDS = ("personnummer", "fornamn", "efternamn")


def _new_form(
    request: Request, session: Session, form: dict[str, str], errors: FormErrors
) -> Response:
    # Focus starts in the form (it started on <body>, 11 Tabs from Personnummer); after
    # an error on the error summary, which the layout focuses itself.
    focus = "" if errors else next((f for f in FIRST_FIELDS if not form.get(f)), "personnummer")
    context = {"form": form, "errors": errors, "municipalities": _municipalities(session),
               "focus": focus}  # fmt: skip
    return render(request, "travellers/new.html", context | _labels())


@router.post("/resenarer")
def register_traveller(
    request: Request, session: SessionDep, now: NowDep, actor: Writer, form: FormDep
) -> Response:
    data, errors = forms.traveller_create(session, form, today=now.astimezone(STOCKHOLM).date())
    if data is not None:
        try:
            traveller = service.register_traveller(session=session, data=data, actor=actor, now=now)
        except DomainError as error:
            errors.add(forms.field_of(error.field), _swedish(error))
        else:
            return RedirectResponse(f"/resenarer/{traveller.id}?sparat=ny", status_code=303)
    return _new_form(request, session, form, errors)


# Said when the service refuses for a reason the page has no words of its own for: the
# service's messages are English, for the API, and never shown on the page.
NOT_SAVED = "Uppgifterna kunde inte sparas: kontrollera fälten och försök igen"


def _swedish(error: DomainError) -> str:
    """The service's refusal of a new traveller, in Swedish."""
    if "already registered" in error.message:
        return "Personnumret finns redan i registret: sök fram resenären och ändra där"
    if error.field == "personal_number":
        return forms.personal_number_sv(error.message)
    return NOT_SAVED


@router.get("/resenarer/{traveller_id}")
def traveller_page(
    request: Request,
    traveller_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Reader,
    sparat: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return _card(request, session, actor, now, traveller_id, saved=sparat)


def _card(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    traveller_id: int,
    *,
    saved: str | None = None,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    section: str = "",
) -> Response:
    traveller = service.get_traveller(
        session=session,
        traveller_id=traveller_id,
        actor=actor,
        purpose="traveller register card",
        now=now,
    )
    permits = credentials.list_permits(
        session=session, traveller_id=traveller_id, actor=actor, now=now
    )
    certificates = credentials.list_certificates(
        session=session, traveller_id=traveller_id, actor=actor, now=now
    )
    shown = traveller_public(traveller, actor)
    visible = can_see_identity(traveller, actor)
    defaults = _card_defaults(shown, visible, traveller.municipality_code, now)
    context = {
        "t": shown,
        "traveller": traveller,
        "visible": visible,
        "permits": permits,
        "certificates": certificates,
        "issuer_options": _issuer_options(session, actor),
        "may_edit": actor.has(P.TRAVELLERS_WRITE),
        "may_permit": actor.has(P.PERMITS_WRITE),
        "may_certify": actor.has(P.CERTIFICATES_ISSUE),
        "may_book": actor.has(P.BOOKINGS_WRITE),
        "municipalities": _municipalities(session),
        "principal_names": {p.code: p.name for p in list_principals(session=session)},
        "form": defaults | (form or {}),
        "errors": errors or FormErrors(),
        "section": section,
        "saved": saved,
    }
    return render(request, "travellers/card.html", context | _labels())


def _issuer_options(session: Session, actor: Actor) -> list[tuple[str, str]]:
    if not actor.has(P.CERTIFICATES_ISSUE):
        return []
    issuers = credentials.list_issuers(session=session, unit=actor.care_unit)
    return [(str(i.id), f"{i.name}, {i.unit}") for i in issuers]


# The certificate form's fields have their own ids (the permit form uses the plain ones).
CERTIFICATE_IDS = {"fran_datum": "intyg_fran", "till_datum": "intyg_till", "typ": "typ_intyg"}


def _card_defaults(shown: Any, visible: bool, municipality: str, now: datetime) -> dict[str, str]:
    values = {
        "version": str(shown.version),
        "sprak": shown.language,
        "forare": shown.driver_notes or "",
        "funktionsnedsattning": "1" if shown.specified_disability else "",
        "studerande_till": shown.student_until.isoformat() if shown.student_until else "",
        "huvudman": municipality,
        "fran_datum": now.astimezone(STOCKHOLM).date().isoformat(),
    }
    values |= {forms.AIDS_FIELDS[a]: "1" for a in shown.mobility_aids if a in forms.AIDS_FIELDS}
    if visible and shown.address is not None:
        values |= {
            "fornamn": shown.first_name,
            "efternamn": shown.last_name,
            "skyddad": "1" if shown.protected_identity else "",
            "asylboende": "1" if shown.asylum_housing else "",
            "gata": shown.address.street,
            "postnummer": shown.address.postal_code,
            "ort": shown.address.city,
            "kommun": shown.address.municipality_code,
            "telefon": shown.phone or "",
            "lat": str(shown.address.lat),
            "lon": str(shown.address.lon),
        }
    return values


# The service's refusals of a change, by the field they name (a protected identity's
# name, address or phone changed by an account that may not see them), at the first field.
UPDATE_REFUSALS_SV = {
    "version": "Någon annan har ändrat resenären under tiden: läs in sidan igen",
} | dict.fromkeys(
    service.IDENTITY_FIELDS,
    "Du får inte ändra namn, adress eller telefon för en resenär med skyddade "
    "personuppgifter: ändra bara hjälpmedel, språk och information åt föraren",
)


@router.post("/resenarer/{traveller_id}")
def update_traveller(
    request: Request,
    traveller_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Writer,
    form: FormDep,
) -> Response:
    traveller = service.load_traveller(session=session, traveller_id=traveller_id)
    data, errors = forms.traveller_update(
        session,
        form,
        visible=can_see_identity(traveller, actor),
        today=now.astimezone(STOCKHOLM).date(),
    )
    if data is not None:
        try:
            service.update_traveller(
                session=session, traveller_id=traveller_id, data=data, actor=actor, now=now
            )
        except DomainError as error:
            if isinstance(error, NotFound):
                raise
            field = "fornamn" if error.field in UPDATE_REFUSALS_SV else forms.field_of(error.field)
            errors.add(field, UPDATE_REFUSALS_SV.get(error.field or "", NOT_SAVED))
        else:
            return RedirectResponse(f"/resenarer/{traveller_id}?sparat=uppgifter", 303)
    return _card(
        request, session, actor, now, traveller_id, form=form, errors=errors, section="uppgifter"
    )


@router.post("/resenarer/{traveller_id}/tillstand")
def add_permit(
    request: Request,
    traveller_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PERMITS_WRITE)],
    form: FormDep,
) -> Response:
    data, errors = forms.permit_create(form, today=now.astimezone(STOCKHOLM).date())
    if data is not None:
        try:
            credentials.add_permit(
                session=session, traveller_id=traveller_id, data=data, actor=actor, now=now
            )
        except DomainError as error:
            errors.add(forms.field_of(error.field), _permit_sv(error))
        else:
            return RedirectResponse(f"/resenarer/{traveller_id}?sparat=tillstand", 303)
    return _card(
        request, session, actor, now, traveller_id, form=form, errors=errors, section="tillstand"
    )


def _permit_sv(error: DomainError) -> str:
    """The service's refusal of a permit or a certificate, in Swedish."""
    if "is before valid_from" in error.message:
        return "Slutdatum är före startdatum"
    if error.field == "principal" and "unknown principal" in error.message:
        return "Huvudmannen finns inte: välj en huvudman i listan"
    if error.field == "principal" and isinstance(error, Forbidden):
        return "Ditt konto gäller inte den huvudmannen: välj en av dina huvudmän"
    if error.field in ("kind", "principal"):
        return "Huvudmannen ger inte den sortens tillstånd: välj kommunen som beslutar"
    if error.field == "issuer_id":
        return _issuer_sv(error)
    return NOT_SAVED


def _issuer_sv(error: DomainError) -> str:
    if isinstance(error, NotFound):
        return "Intygsutfärdaren finns inte: välj en utfärdare i listan"
    if "only for your unit" in error.message:
        return "Du får bara utfärda intyg för din egen vårdenhet: välj en utfärdare där"
    return (
        "Utfärdaren är inte certifierad i dag (kursen är inte godkänd eller certifieringen "
        "har gått ut): välj en annan utfärdare"
    )


@router.post("/resenarer/{traveller_id}/intyg")
def issue_certificate(
    request: Request,
    traveller_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
    form: FormDep,
) -> Response:
    traveller = service.load_traveller(session=session, traveller_id=traveller_id)
    data, found = forms.certificate_create(form, traveller, today=now.astimezone(STOCKHOLM).date())
    if data is not None:
        try:
            credentials.issue_certificate(
                session=session, traveller_id=traveller_id, data=data, actor=actor, now=now
            )
        except DomainError as error:
            found.add(forms.field_of(error.field), _permit_sv(error))
        else:
            return RedirectResponse(f"/resenarer/{traveller_id}?sparat=intyg", 303)
    errors = FormErrors()
    for field_id, message in found.items():
        errors.add(CERTIFICATE_IDS.get(field_id, field_id), message)
    return _card(
        request, session, actor, now, traveller_id, form=form, errors=errors, section="intyg"
    )
