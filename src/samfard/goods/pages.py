"""The goods desk /gods: the day's consignments of the desk's principals, booking one
(parcels, bussgods, and aids, hjälpmedel) and cancelling one.

Everything goes through `goods.service` (scope, prices, audit) and `goods.views`
(protected recipients masked), as the API does; the form is read by `goods.page_form`,
which turns the fields into a `ConsignmentCreate` and a refusal into Swedish messages
tied to the fields. Keyboard first: the form's fields follow the order of a phone call
(who pays, what, from where, to where, when), every field has a visible label. A day is
typed as at the booking desk ("8/12" too, `web.typed.parse_date`); one that cannot be
read is said at its field, on the page. An aid's recipient is found as the booking desk
finds a traveller (`travellers.matches`: the account's register, protected identities
as the desk shows them, each one listed audited), not typed as a register id.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from datetime import date, datetime
from typing import Annotated

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.db import transaction
from samfard.deps import NowDep, SessionDep
from samfard.errors import DomainError
from samfard.geo.models import Place
from samfard.goods import service
from samfard.goods.page_form import (
    MAX_DATE,
    MAX_DESCRIPTION,
    MAX_SEARCH,
    MAX_TIME,
    GoodsForm,
    parse_form,
    refusal_sv,
    swedish,
)
from samfard.goods.schemas import (
    MAX_UNITS,
    ConsignmentCreate,
    ConsignmentPublic,
    ConsignmentStatus,
)
from samfard.goods.views import consignments_public
from samfard.money import format_kr
from samfard.principals.models import Principal
from samfard.schemas_common import RecordId
from samfard.timeutil import STOCKHOLM
from samfard.travellers.matches import traveller_matches
from samfard.travellers.service import MIN_QUERY
from samfard.web.shell import FormDep, FormErrors, page_router
from samfard.web.templating import render
from samfard.web.typed import FieldError, parse_date, parse_picked_day

router = page_router()

STATUS_SV = {
    "booked": "Bokad",
    "planned": "Planerad",
    "picked_up": "Hämtad",
    "delivered": "Levererad",
    "cancelled": "Avbokad",
}
KIND_SV = {"parcel": "Bussgods", "aid": "Hjälpmedel"}


def _choices(session: Session, actor: Actor) -> tuple[list[Principal], list[Place], dict[str, str]]:
    """The principals the desk books for, the places, and every principal's name by its
    code (the list says "Region Jämtland Härjedalen", not "23")."""
    with transaction(session):
        every = list(session.scalars(select(Principal).order_by(Principal.code)))
        places = list(session.scalars(select(Place).order_by(Place.name)))
    principals = [
        p for p in every if p.kind in service.ORDERING_KINDS and actor.covers_principal(p.code)
    ]
    return principals, places, {p.code: p.name for p in every}


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    day: date,
    *,
    form: GoodsForm | None = None,
    errors: FormErrors | None = None,
    done: tuple[str | None, str | None] = (None, None),
    typed: str | None = None,
) -> Response:
    """The day's desk; `done` is the redirect's (code, consignment id) to confirm."""
    rows = service.list_consignments(session=session, day=day, actor=actor, now=now)
    with transaction(session):
        shown = consignments_public(session, rows, actor)
    said = done_sv(done[0], next((c for c in shown if str(c.id) == done[1]), None))
    principals, places, names = _choices(session, actor)
    return render(
        request,
        "goods/desk.html",
        {
            "day": day,
            "consignments": shown,
            "principals": principals,
            "principal_names": names,
            "places": places,
            "form": form or GoodsForm.empty(day),
            "errors": errors or FormErrors(),
            "done": said,
            "typed": typed,
            "may_book": actor.has(P.GOODS_WRITE),
            "status_sv": STATUS_SV,
            "kind_sv": KIND_SV,
            "max_units": MAX_UNITS,
            "max_description": MAX_DESCRIPTION,
            "max_search": MAX_SEARCH,
            "max_date": MAX_DATE,
            "max_time": MAX_TIME,
        },
    )


def done_sv(code: str | None, row: ConsignmentPublic | None) -> str | None:
    """What was just done to a consignment of the day's list, by the code the redirect
    carries (bokad, avbokad), and only while it is so; nothing for any other code or id.
    `?klart=` once carried the sentence and showed any 120 characters as done (probe of
    2026-12-06). The price as the list shows it ("95,00 kr"), one format on the page."""
    if row is None:
        return None
    cancelled = row.status == ConsignmentStatus.CANCELLED
    if code == "bokad" and not cancelled:
        return f"{row.reference} bokad, pris {format_kr(row.price_ore)}"
    if code == "avbokad" and cancelled:
        return f"{row.reference} avbokad"
    return None


@router.get("/gods")
def goods_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.GOODS_READ)],
    datum: Annotated[str | None, Query(max_length=2000)] = None,
    klart: Annotated[str | None, Query(max_length=20)] = None,
    sandning: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The day's goods (today unless `datum` names a day) and the booking form; a `datum`
    that cannot be read shows today with the message at the field (it was a bare 422), as
    does one longer than the field takes (only a hand-made address sends one)."""
    errors = FormErrors()
    if datum is not None and len(datum) > MAX_DATE:
        errors.add("datum", f"Skriv datumet som ÅÅÅÅ-MM-DD, högst {MAX_DATE} tecken")
        datum = datum[:MAX_DATE]
    today = now.astimezone(STOCKHOLM).date()
    day = today
    if datum and datum.strip() and not errors:
        try:
            day = parse_picked_day(datum, today=today)
        except FieldError as error:
            errors.add("datum", str(error))
    typed = datum if errors else None
    done = (klart, sandning)
    return _page(request, session, actor, now, day, errors=errors, done=done, typed=typed)


@router.post("/gods")
def book_goods(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.GOODS_WRITE)],
    fields: FormDep,
) -> Response:
    """Book a consignment; a refusal comes back on the form in Swedish, field by field."""
    errors = FormErrors()
    form = _recipient(session, actor, now, GoodsForm.of(fields), errors)
    form, data = _read_form(form, errors, now)
    if data is not None:
        try:
            row, _ = service.create_consignment(session=session, data=data, actor=actor, now=now)
        except DomainError as error:
            errors.add(*refusal_sv(error))
        else:
            return RedirectResponse(
                f"/gods?datum={row.service_date.isoformat()}&klart=bokad&sandning={row.id}",
                status_code=303,
            )
    return _page(request, session, actor, now, form.day_or(now), form=form, errors=errors)


def _recipient(
    session: Session, actor: Actor, now: datetime, form: GoodsForm, errors: FormErrors
) -> GoodsForm:
    """The form with its recipient's id: the one picked in the list, or else the one
    traveller the register's search finds for what was typed (a page without script);
    none or several found is said at the field, to type more or pick in the list."""
    typed = form.mottagare
    if form.mottagare_id or not typed:
        return form
    if not actor.has(P.TRAVELLERS_READ):
        errors.add("mottagare", "Ditt konto får inte söka i resenärsregistret")
        return form
    found = traveller_matches(session=session, actor=actor, now=now, query=typed, limit=2)
    if len(typed) < MIN_QUERY:
        errors.add("mottagare", f"Skriv minst {MIN_QUERY} tecken av mottagarens namn")
    elif not found:
        errors.add("mottagare", f"Ingen resenär i registret matchar ”{typed}”")
    elif len(found) > 1:
        errors.add(
            "mottagare",
            f"Flera resenärer matchar ”{typed}”: skriv personnumret, eller välj i listan",
        )
    else:
        return replace(form, mottagare=found[0].name, mottagare_id=str(found[0].id))
    return form


@router.get("/gods/mottagare")
def recipient_options(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.TRAVELLERS_READ)],
    mottagare: Annotated[str, Query(max_length=MAX_SEARCH)] = "",
) -> Response:
    """The options of the Mottagare list, as the booking desk's Resenär lists them."""
    matches = traveller_matches(session=session, actor=actor, now=now, query=mottagare)
    return render(request, "goods/_recipient_options.html", {"matches": matches})


def _read_form(
    form: GoodsForm, errors: FormErrors, now: datetime
) -> tuple[GoodsForm, ConsignmentCreate | None]:
    """The form read by `parse_form`, and the form again with its Dag as read, so a
    refused form shows which day it took ("8/12" comes back as 2026-12-08)."""
    today = now.astimezone(STOCKHOLM).date()
    data = parse_form(form, errors, today=today)
    with suppress(FieldError):  # an unreadable Dag is said at the field by `parse_form`
        form = replace(form, dag=parse_date(form.dag, today=today).isoformat())
    return form, data


@router.post("/gods/{consignment_id}/avboka")
def cancel_goods(
    request: Request,
    consignment_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.GOODS_WRITE)],
    datum: Annotated[date, Form()],
) -> Response:
    """Cancel a consignment not yet picked up; the next planning leaves it out."""
    try:
        row = service.cancel_consignment(
            session=session,
            consignment_id=consignment_id,
            reason="avbokad på godsdisken",
            actor=actor,
            now=now,
        )
    except DomainError as error:
        errors = FormErrors()
        errors.add("gods-lista", swedish(error))
        return _page(request, session, actor, now, datum, errors=errors)
    return RedirectResponse(
        f"/gods?datum={datum.isoformat()}&klart=avbokad&sandning={row.id}", status_code=303
    )
