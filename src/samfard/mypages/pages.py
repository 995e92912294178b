"""Mina resor: the traveller's own trips, booking, cancelling and reporting a deviation.

Phone first and one task at a time: the page lists coming trips with the promised pickup
window, a short booking form, and recent trips; cancelling asks once more on its own page
(GOV.UK "check before you act"); a deviation is reported on its own page. Every action
calls the same use case as the desk and the API with the traveller's own actor, so a
traveller can only ever see and change their own trips.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.access.permissions import Role
from samfard.booking import transitions
from samfard.booking.desk import default_day
from samfard.booking.desk_booking import DeskOutcome, book, preview_booking
from samfard.booking.desk_form import message_sv
from samfard.booking.lifecycle import CANCELLABLE, BookingStatus
from samfard.booking.models import Booking
from samfard.booking.schemas import Channel
from samfard.booking.service import get_booking
from samfard.deps import NowDep, SessionDep, SettingsDep
from samfard.errors import DomainError, Forbidden, NotFound
from samfard.mypages.forms import desk_form, own_errors, own_words, refusal_errors
from samfard.mypages.trips import bookable_services, has_begun, own_page
from samfard.mypages.vehicle import follow_trip, followable
from samfard.quality.models import Deviation
from samfard.quality.schemas import DeviationCreate
from samfard.quality.service import (
    DeviationFilter,
    DuplicateReport,
    list_deviations,
    report_deviation,
)
from samfard.quality.trips import likely_moment
from samfard.quality.words import STATUS_SV as STATUS_SV_DEVIATION
from samfard.schemas_common import RecordId
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller
from samfard.travellers.service import load_traveller
from samfard.web.pages import SERVICE_SV, STATUS_SV
from samfard.web.shell import FormDep, FormErrors, page_router
from samfard.web.templating import render
from samfard.web.typed import whole_number

router = page_router(for_travellers=True)
Reader = Annotated[Actor, require(P.BOOKINGS_READ)]
Booker = Annotated[Actor, require(P.BOOKINGS_WRITE)]
Reporter = Annotated[Actor, require(P.DEVIATIONS_REPORT)]

# What happened, in the traveller's words, for each deviation kind.
KINDS_OWN = (
    ("late", "Bilen kom för sent"),
    ("early", "Bilen kom för tidigt"),
    ("vehicle_no_show", "Bilen kom inte alls"),
    ("wrong_vehicle", "Fel bil, eller hjälpmedel fick inte plats"),
    ("conduct", "Föraren var otrevlig eller körde illa"),
    ("injury", "Jag skadades, eller var nära att skadas"),
    ("booking_error", "Bokningen blev fel"),
    ("information", "Jag fick fel eller ingen information"),
)
SEVERITY_OWN = (
    ("minor", "Nej, ingen skada"),
    ("moderate", "Det var nära att någon skadades"),
    ("serious", "Ja, jag eller någon annan skadades"),
)
# A trip whose pickup time has not come has nothing to report about yet.
NOT_YET_SV = "Resan har inte gjorts än: du kan rapportera en avvikelse när den har hänt."


def _traveller(actor: Actor) -> int:
    """The traveller's own id; these pages are theirs alone."""
    if actor.role is not Role.TRAVELLER or actor.traveller_id is None:
        refused = Forbidden(
            "Mina resor är resenärernas egna sidor. Logga in som resenär.", field="roll"
        )
        refused.detail_sv = refused.message  # already Swedish: the page shows it as it is
        raise refused
    return actor.traveller_id


def _new_form(now: datetime, services: list[str], traveller: Traveller) -> dict[str, str]:
    """From home, tomorrow, with the aids the register holds for the traveller."""
    form = {
        "tjanst": services[0] if services else "",
        "fran": "Hemma",
        "datum": default_day(now).isoformat(),
        "tid_avser": "hamtning",
    }
    for aid, field in (("wheelchair", "rullstol"), ("rollator", "rollator")):
        if aid in traveller.mobility_aids:
            form[field] = "1"
    return form


def _home(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    *,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    outcome: DeskOutcome | None = None,
    notice: str | None = None,
    failed: str | None = None,
    refused: bool = False,
) -> Response:
    """The page; `notice` says what was just done, `failed` what could not be done (an
    alert, not the green of success it was shown in before)."""
    traveller = load_traveller(session=session, traveller_id=_traveller(actor))
    services = bookable_services(traveller, now.astimezone(STOCKHOLM).date())
    page = own_page(session=session, actor=actor, now=now)
    return render(
        request,
        "mypages/home.html",
        {
            "traveller": traveller,
            "page": page,
            "services": [(s, SERVICE_SV[s]) for s in services],
            "form": form if form is not None else _new_form(now, services, traveller),
            "errors": errors or FormErrors(),
            "outcome": outcome,
            "notice": notice,
            "failed": failed,
            "refused": refused,
            "status_sv": STATUS_SV,
            "service_sv": SERVICE_SV,
            "kinds": dict(KINDS_OWN),
            "dev_status_sv": STATUS_SV_DEVIATION,
            "followed": {t.booking.id for t in page.coming if followable(t.booking, now)},
        },
    )


@router.get("/mina-resor")
def my_trips(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Reader,
    avbokad: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The traveller's trips; `?avbokad=ID` confirms the cancellation of their own trip ID
    (`_cancelled_sv`)."""
    notice = _cancelled_sv(session, actor, now, avbokad) if avbokad else None
    return _home(request, session, actor, now, notice=notice)


def _cancelled_sv(session: Session, actor: Actor, now: datetime, booking_id: str) -> str | None:
    """The notice "Resan … är avbokad." of the traveller's own trip, if it is cancelled;
    nothing for any other id. `?avbokad=` once carried the reference and showed any 12 characters
    given as the trip cancelled (probe of 2026-12-06): a link put words on the page."""
    wanted = whole_number(booking_id)
    if wanted is None:
        return None
    try:
        booking = _own_booking(session, actor, wanted, now)
    except NotFound:
        return None
    cancelled = booking.status == BookingStatus.CANCELLED
    return f"Resan {booking.reference} är avbokad." if cancelled else None


@router.get("/mina-resor/resor/{booking_id}/fordon")
def vehicle(
    request: Request, booking_id: RecordId, session: SessionDep, now: NowDep, actor: Reader
) -> Response:
    """The vehicle of the traveller's trip today (a fragment the trip card polls)."""
    _traveller(actor)
    trip = follow_trip(session=session, actor=actor, booking_id=booking_id, now=now)
    return render(request, "mypages/_vehicle.html", {"followed": trip, "booking_id": booking_id})


@router.post("/mina-resor/boka")
def book_trip(
    request: Request, session: SessionDep, now: NowDep, actor: Booker, form: FormDep
) -> Response:
    """Book through the desk's use case; the receipt, or the form with what to fix. A trip
    the rules would deny is not booked: the form says why, at the fields to change. A
    reload sends the form's one-time key again and gets the trip already booked, not a
    second one (`booking.desk_booking.once_key`)."""
    traveller = load_traveller(session=session, traveller_id=_traveller(actor))
    services = bookable_services(traveller, now.astimezone(STOCKHOLM).date())
    errors = FormErrors()
    if form.get("tjanst") not in services:
        errors.add("tjanst", "Välj färdtjänst eller riksfärdtjänst (du behöver ett tillstånd)")
    if not form.get("till", "").strip():
        errors.add("till", "Skriv vart du ska: en plats eller en adress med ort")
    if not form.get("tid", "").strip():
        errors.add("tid", "Skriv en tid, till exempel 10:30")
    if errors:
        return _home(request, session, actor, now, form=form, errors=errors)
    fields = desk_form(form)
    # First what booking would give, as the desk's preview (a dry run: nothing is stored).
    # A trip the rules would deny is said at the fields to change instead of being stored
    # as a formal denial; one they send to an assessor is booked and waits for them.
    trial, desk_errors = preview_booking(
        session=session,
        form=fields,
        traveller_id=traveller.id,
        actor=actor,
        now=now,
        channel=Channel.SELF_SERVICE,
    )
    if trial is None:
        return _home(request, session, actor, now, form=form, errors=own_errors(desk_errors))
    if trial.status == BookingStatus.DENIED:
        return _home(
            request,
            session,
            actor,
            now,
            form=form,
            errors=refusal_errors(trial.decision),
            refused=True,
        )
    outcome, desk_errors = book(
        session=session,
        form=fields,
        traveller_id=traveller.id,
        actor=actor,
        now=now,
        channel=Channel.SELF_SERVICE,
    )
    if outcome is None:
        return _home(request, session, actor, now, form=form, errors=own_errors(desk_errors))
    return _home(request, session, actor, now, outcome=outcome)


def _own_booking(session: Session, actor: Actor, booking_id: int, now: datetime) -> Booking:
    _traveller(actor)
    return get_booking(session=session, booking_id=booking_id, actor=actor, now=now)


@router.get("/mina-resor/resor/{booking_id}/avboka")
def confirm_cancel(
    request: Request, booking_id: RecordId, session: SessionDep, now: NowDep, actor: Booker
) -> Response:
    booking = _own_booking(session, actor, booking_id, now)
    return render(
        request,
        "mypages/cancel.html",
        {
            "booking": booking,
            "legs": sorted(booking.legs, key=lambda leg: leg.seq),
            # A trip already cancelled (or done) was asked "Vill du avboka resan?" again.
            "cancellable": BookingStatus(booking.status) in CANCELLABLE,
            "status_sv": STATUS_SV,
        },
    )


@router.post("/mina-resor/resor/{booking_id}/avboka")
def cancel(
    request: Request,
    booking_id: RecordId,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    actor: Booker,
    form: FormDep,
) -> Response:
    """Cancel the trip (late cancellations are flagged by the lifecycle as at the desk)."""
    booking = _own_booking(session, actor, booking_id, now)
    try:
        transitions.transition(
            session=session,
            booking_id=booking.id,
            target=BookingStatus.CANCELLED,
            actor=actor,
            now=now,
            reason="avbokad av resenären på Mina resor",  # the page's words, not typed
            reason_by_person=False,
            # One that cannot be read (0) is stale, as at the desk: "abc" skipped the check
            # and cancelled (walk-through of the seventh session of 2026-12-06).
            version=whole_number(form.get("version", "")) or 0,
            late_notice=timedelta(minutes=settings.late_cancellation_minutes),
        )
    except DomainError as error:
        return _home(request, session, actor, now, failed=own_words(message_sv(error.message)))
    return RedirectResponse(f"/mina-resor?avbokad={booking.id}", status_code=303)


def _deviation_page(
    request: Request,
    booking: Booking,
    now: datetime,
    *,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    reported: Deviation | None = None,
) -> Response:
    return render(
        request,
        "mypages/deviation.html",
        {
            "booking": booking,
            "legs": sorted(booking.legs, key=lambda leg: leg.seq),
            "kinds": KINDS_OWN,
            "severities": SEVERITY_OWN,
            "form": form or {"allvar": "minor"},
            "errors": errors or FormErrors(),
            "reported": reported,
            "not_yet": None if has_begun(booking, now) else NOT_YET_SV,
        },
    )


def _own_deviation(
    session: Session, actor: Actor, booking: Booking, reference: str, now: datetime
) -> Deviation | None:
    """The traveller's own deviation about this trip with that reference, read through the
    quality use case (scope and audit as the API's); None for any other reference."""
    rows, _ = list_deviations(
        session=session, actor=actor, now=now, filters=DeviationFilter(booking_id=booking.id)
    )
    return next((d for d in rows if d.reference == reference), None)


@router.get("/mina-resor/resor/{booking_id}/avvikelse")
def deviation_form(
    request: Request,
    booking_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Reporter,
    skickad: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The report form; with `skickad`, the receipt of the report just sent. The receipt
    is this page read again (post/redirect/get), so a reload or Back files nothing more."""
    booking = _own_booking(session, actor, booking_id, now)
    reported = _own_deviation(session, actor, booking, skickad, now) if skickad else None
    return _deviation_page(request, booking, now, reported=reported)


@router.post("/mina-resor/resor/{booking_id}/avvikelse")
def report(
    request: Request,
    booking_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Reporter,
    form: FormDep,
) -> Response:
    """Report what went wrong on the trip, then send the browser to the receipt with the
    deviation's reference. A trip still to come has nothing to report yet: refused."""
    booking = _own_booking(session, actor, booking_id, now)
    if not has_begun(booking, now):
        return _deviation_page(request, booking, now)
    errors = FormErrors()
    if form.get("vad") not in dict(KINDS_OWN):
        errors.add("vad-late", "Välj vad som hände")
    if len(form.get("beskrivning", "").strip()) < 3:
        errors.add("beskrivning", "Beskriv med några ord vad som hände")
    if errors:
        return _deviation_page(request, booking, now, form=form, errors=errors)
    try:
        data = DeviationCreate(
            booking_id=booking.id,
            kind=form["vad"],
            severity=form.get("allvar") or "minor",
            description=form["beskrivning"].strip()[:4000],
            occurred_at=min(now, likely_moment(session, booking) or now),
        )
    except ValidationError:
        errors.add("allvar-minor", "Välj ett av svaren")
        return _deviation_page(request, booking, now, form=form, errors=errors)
    try:
        deviation = report_deviation(session=session, data=data, actor=actor, now=now)
    except DuplicateReport as sent_before:  # the same words sent again: its receipt
        deviation = sent_before.existing
    return RedirectResponse(
        f"/mina-resor/resor/{booking.id}/avvikelse?skickad={deviation.reference}",
        status_code=303,
    )
