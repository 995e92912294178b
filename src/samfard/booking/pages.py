"""The booking desk (/bokning): find the caller, see their card, book, change or cancel.

Keyboard first: the operator types in "Resenär", moves with the arrow keys and picks with
Enter; the card and a new-booking form appear with Från already set to the home. Every
action calls the API's use cases (through `desk`, `desk_booking`, `transitions`), so
scope, masking and audit are the API's. htmx requests get the workspace fragment; the
same URLs without script render the whole page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.assessment.words_sv import MODES_SV, NEEDS_SV, transit_sv, why_about_sv, why_sv
from samfard.booking import desk_input as read
from samfard.booking import transitions
from samfard.booking.desk import TravellerCard, default_day, place_suggestions, traveller_card
from samfard.booking.desk_booking import DeskOutcome, book, planning_note, preview_booking
from samfard.booking.desk_form import (
    AUTHORITY_SERVICES,
    ROLLATOR_NOTE,
    SERVICES_SV,
    has_rollator,
    message_sv,
    purpose_for,
    purpose_groups,
    with_rollator,
    without_rollator,
)
from samfard.booking.desk_input import NEEDS_FIELDS, home_label, parse_when
from samfard.booking.entitlement import check_record_scope
from samfard.booking.lifecycle import CANCELLABLE, BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.booking.schemas import MESSAGE_MOST, BookingUpdate, Companion, LegTime
from samfard.booking.service import CHANGEABLE, update_booking
from samfard.deps import NowDep, SessionDep, SettingsDep
from samfard.errors import DomainError, InputError, NotFound
from samfard.rules.in_force import rulebook_sv
from samfard.schemas_common import RecordId
from samfard.timeutil import STOCKHOLM
from samfard.travellers.matches import traveller_matches
from samfard.travellers.models import Traveller
from samfard.travellers.views import can_see_identity
from samfard.web.pages import SERVICE_SV, STATUS_PLURAL_SV, STATUS_SV
from samfard.web.shell import FormDep, FormErrors, is_htmx, page_router
from samfard.web.templating import render, sv_kr, sv_time, templates
from samfard.web.typed import FieldError, whole_number

router = page_router()
Desk = Annotated[Actor, require(P.BOOKINGS_WRITE)]
SearchText = Annotated[str, Query(max_length=100)]

WEEKDAYS_SV = {
    "man": "Mån",
    "tis": "Tis",
    "ons": "Ons",
    "tor": "Tor",
    "fre": "Fre",
    "lor": "Lör",
    "son": "Sön",
}
WEEKDAYS_SHORT_SV = {"mon": "mån", "tue": "tis", "wed": "ons", "thu": "tor", "fri": "fre",
                     "sat": "lör", "sun": "sön"}  # fmt: skip
NEED_OF = {name: need.value for name, need in NEEDS_FIELDS.items()}
AID_FIELDS = {"wheelchair": "rullstol", "rollator": "rollator", "stretcher": "bar"}
templates.env.filters.update(
    mode_sv=lambda mode: MODES_SV.get(mode, mode),
    transit_sv=transit_sv,
    aid_sv=lambda aid: NEEDS_SV.get(aid, aid),
    weekday_sv=lambda day: WEEKDAYS_SHORT_SV.get(day, day),
    why_sv=why_sv,
    why_about_sv=why_about_sv,
    has_rollator=has_rollator,
    without_rollator=without_rollator,
    rulebook_sv=lambda ref: rulebook_sv(str(ref.get("file", "")), ref.get("valid_from")),
)


def _new_form(card: TravellerCard, now: datetime) -> dict[str, str]:
    """A new booking's starting values: from home, tomorrow, the traveller's own aids."""
    traveller = card.traveller
    values = {
        "tjanst": "sjukresa",
        "syfte": purpose_for("sjukresa", None),
        "fran": home_label(traveller, visible=card.visible),
        "fran_val": "home",
        "datum": default_day(now).isoformat(),
    }
    for aid in traveller.mobility_aids:
        if aid in AID_FIELDS:
            values[AID_FIELDS[aid]] = "1"
    return values


def _services(card: TravellerCard) -> list[tuple[str, str]]:
    """Sjukresa, booked lines and närtrafik always; färdtjänst and riksfärdtjänst when a
    permit is in force."""
    kinds = {p.kind for p in card.permits} | {"sjukresa"} | AUTHORITY_SERVICES
    return [(code, name) for code, name in SERVICES_SV.items() if code in kinds]


def _workspace(
    request: Request,
    *,
    session: SessionDep,
    actor: Actor,
    now: datetime,
    traveller_id: int,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    outcome: DeskOutcome | None = None,
    notice: str | None = None,
    change: ChangeForm | None = None,
) -> Response:
    card = traveller_card(session=session, traveller_id=traveller_id, actor=actor, now=now)
    form = form if form is not None else _new_form(card, now)
    context = {
        "card": card,
        "form": form,
        "errors": errors or FormErrors(),
        "outcome": outcome,
        "notice": notice,
        "services": _services(card),
        "purpose_groups": purpose_groups(form.get("tjanst", "sjukresa")),
        "weekdays": WEEKDAYS_SV,
        "status_sv": STATUS_SV,
        "status_plural_sv": STATUS_PLURAL_SV,
        "cancellable_states": CANCELLABLE,  # the card offers "Avbeställ" only there
        "changeable_states": CHANGEABLE,  # and "Ändra" only on a trip not yet begun
        "service_sv": SERVICE_SV,
        "need_of": NEED_OF,
        "now": now,
        "change": change,  # a trip's change form sent back with errors at its fields
    }
    if is_htmx(request):
        return render(request, "booking/_workspace.html", context)
    return render(request, "booking/desk.html", context | {"query": ""})


@router.get("/bokning")
def desk_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Desk,
    resenar: Annotated[RecordId | None, Query()] = None,
    q: SearchText = "",
) -> Response:
    """The desk; with ?resenar=ID the traveller's card and a new booking, with ?q= the
    matches of a search made without script."""
    if resenar is not None:
        return _workspace(request, session=session, actor=actor, now=now, traveller_id=resenar)
    matches = traveller_matches(session=session, actor=actor, now=now, query=q)
    return render(request, "booking/desk.html", {"query": q, "matches": matches, "card": None})


@router.get("/bokning/resenarer")
def traveller_options(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.TRAVELLERS_READ)],
    q: SearchText = "",
) -> Response:
    """The options of the Resenär list (name, personnummer or phone, as typed)."""
    matches = traveller_matches(session=session, actor=actor, now=now, query=q)
    return render(request, "booking/_traveller_options.html", {"matches": matches})


@router.get("/bokning/resenar/{traveller_id}")
def traveller_workspace(
    request: Request, traveller_id: RecordId, session: SessionDep, now: NowDep, actor: Desk
) -> Response:
    """The card and a new booking for one traveller (what picking in the list loads)."""
    if not is_htmx(request):
        return RedirectResponse(f"/bokning?resenar={traveller_id}", status_code=303)
    return _workspace(request, session=session, actor=actor, now=now, traveller_id=traveller_id)


@router.get("/bokning/syfte")
def purpose_field(
    request: Request,
    actor: Desk,
    tjanst: Annotated[str, Query(max_length=40)] = "sjukresa",
    syfte: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """Syfte again when Tjänst changes: the new service's purposes first, and its first
    purpose unless the one chosen is its own (see `desk_form.purpose_for`)."""
    return render(
        request,
        "booking/_purpose.html",
        {
            "purpose_groups": purpose_groups(tjanst),
            "form": {"syfte": purpose_for(tjanst, syfte)},
            "errors": FormErrors(),
        },
    )


@router.get("/bokning/platser")
def place_options(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.TRAVELLERS_READ)],
    resenar: Annotated[RecordId, Query()],
    falt: Annotated[str, Query(pattern="^(fran|till)$")],
    fran: SearchText = "",
    till: SearchText = "",
) -> Response:
    """Suggestions for Från or Till (the field's own text comes under its name): saved
    places, gazetteer places, the typed address."""
    text = fran if falt == "fran" else till
    suggestions = place_suggestions(
        session=session, traveller_id=resenar, text=text, actor=actor, now=now
    )
    return render(
        request, "booking/_place_options.html", {"suggestions": suggestions, "field": falt}
    )


def _traveller_id(form: dict[str, str]) -> int:
    traveller_id = whole_number(form.get("resenar_id", ""))
    if not traveller_id:
        raise InputError("Välj först en resenär", field="resenar")
    return traveller_id


@router.post("/bokning/forhandsgranska")
def preview(
    request: Request, session: SessionDep, now: NowDep, actor: Desk, form: FormDep
) -> Response:
    """What booking would give: the rules' decision, the fee, the promised pickup window."""
    outcome, errors = preview_booking(
        session=session,
        form=form,
        traveller_id=_traveller_id(form),
        actor=actor,
        now=now,
    )
    return render(
        request,
        "booking/_preview.html",
        {"outcome": outcome, "errors": errors, "status_sv": STATUS_SV},
    )


@router.post("/bokning")
def create(
    request: Request, session: SessionDep, now: NowDep, actor: Desk, form: FormDep
) -> Response:
    """Book: the reference to read back, or the form again with what to fix."""
    traveller_id = _traveller_id(form)
    outcome, errors = book(
        session=session, form=form, traveller_id=traveller_id, actor=actor, now=now
    )
    if outcome is None:
        return _workspace(
            request,
            session=session,
            actor=actor,
            now=now,
            traveller_id=traveller_id,
            form=form,
            errors=errors,
        )
    return _workspace(
        request, session=session, actor=actor, now=now, traveller_id=traveller_id, outcome=outcome
    )


@router.post("/bokning/resor/{booking_id}/avbestall")
def cancel(
    request: Request,
    booking_id: RecordId,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    actor: Desk,
    form: FormDep,
) -> Response:
    """Cancel a coming trip from the card, with the caller's reason."""
    traveller_id = _traveller_id(form)
    reason = form.get("orsak", "").strip() or "avbeställd av resenären per telefon"
    try:
        booking = transitions.transition(
            session=session,
            booking_id=booking_id,
            target=BookingStatus.CANCELLED,
            actor=actor,
            now=now,
            reason=reason,
            version=_version(form),
            late_notice=timedelta(minutes=settings.late_cancellation_minutes),
        )
    except DomainError as error:
        return _workspace(
            request,
            session=session,
            actor=actor,
            now=now,
            traveller_id=traveller_id,
            notice=message_sv(error.message),
        )
    late = " Avbeställningen är sen." if booking.late_cancellation else ""
    return _workspace(
        request,
        session=session,
        actor=actor,
        now=now,
        traveller_id=traveller_id,
        notice=f"Resan {booking.reference} är avbeställd.{late}",
    )


@dataclass(frozen=True)
class ChangeForm:
    """A trip's "Ändra" form sent back: which trip, the fields as typed, their errors."""

    booking_id: int
    form: dict[str, str]
    errors: FormErrors


@router.post("/bokning/resor/{booking_id}/andra")
def change(
    request: Request,
    booking_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Desk,
    form: FormDep,
) -> Response:
    """Change a coming trip's times, needs and note to the driver (what the API lets
    change); a time that cannot be used comes back at its field."""
    notice, errors = _change(session, booking_id, form, actor=actor, now=now)
    return _workspace(
        request,
        session=session,
        actor=actor,
        now=now,
        traveller_id=_traveller_id(form),
        notice=notice,
        change=ChangeForm(booking_id, form, errors) if errors else None,
    )


def time_field(booking_id: int, leg: Leg) -> str:
    """The id of a leg's time in its trip's "Ändra" form."""
    return f"tid_{booking_id}_{leg.seq}"


def _new_times(
    stored: Booking, form: dict[str, str], errors: FormErrors, *, now: datetime
) -> tuple[list[LegTime], dict[int, str]]:
    """The legs whose time the form changes (a time left as shown is no change), each by
    what it is timed by, and the form's field of each, by the request's index."""
    times: list[LegTime] = []
    fields: dict[int, str] = {}
    for leg in sorted(stored.legs, key=lambda leg: leg.seq):
        name = time_field(stored.id, leg)
        typed = form.get(name, "").strip()
        if name not in form or typed == sv_time(leg.reference_time):
            continue
        day = leg.reference_time.astimezone(STOCKHOLM).date()
        try:
            moment = parse_when(typed, day=day, today=now.astimezone(STOCKHOLM).date())
        except FieldError as error:
            errors.add(name, str(error))
            continue
        by = "pickup_at" if leg.requested_pickup_at is not None else "appointment_at"
        fields[len(times)] = name
        times.append(LegTime.model_validate({"seq": leg.seq, by: moment}))
    return times, fields


def _change(
    session: Session, booking_id: int, form: dict[str, str], *, actor: Actor, now: datetime
) -> tuple[str | None, FormErrors]:
    """Make the change the trip's form asks for (times, needs, companions, the note to the
    driver); the notice says what was done, or why not, and a time that cannot be used is
    said at its field (with the form as typed).
    Where the note was not shown (a protected identity), a blank field keeps it."""
    errors = FormErrors()
    stored = _in_scope(session.get(Booking, booking_id), actor)
    times, time_fields = ([], {}) if stored is None else _new_times(stored, form, errors, now=now)
    before = {} if stored is None else {leg.seq: leg.reference_time for leg in stored.legs}
    companions = None  # a form without the companion fields leaves them as they are
    if f"ledsagare_{booking_id}" in form:
        companions = _companions(form, booking_id, errors)
    if errors:
        return None, errors
    needs = [need for name, need in NEEDS_FIELDS.items() if form.get(f"{name}_{booking_id}")]
    typed = form.get(f"meddelande_{booking_id}", "").strip() or None
    # Whether the note was shown is the server's to say, not the form's: a form sent
    # without its hidden field erased a protected traveller's door code unseen (probe).
    traveller = None if stored is None else session.get(Traveller, stored.traveller_id)
    unseen = traveller is not None and not can_see_identity(traveller, actor)
    if stored is not None and typed is None and unseen:
        typed = without_rollator(stored.message_to_driver) or None  # kept, not shown
    # The rollator is the note's first sentence, as a new booking writes it.
    rollator = bool(form.get(f"rollator_{booking_id}"))
    message = with_rollator(typed, rollator)
    if message is not None and len(message) > MESSAGE_MOST:
        room = MESSAGE_MOST - (len(ROLLATOR_NOTE) + 1 if rollator else 0)
        said = " (rollatorn nämns för föraren)" if rollator else ""
        return f"Meddelandet åt föraren får vara högst {room} tecken{said}.", errors
    data = BookingUpdate(
        version=_version(form),
        needs=needs,
        **({} if companions is None else {"companions": companions}),
        message_to_driver=message,
        **({"legs": times} if times else {}),
    )
    try:
        booking = update_booking(
            session=session, booking_id=booking_id, data=data, actor=actor, now=now
        )
    except DomainError as error:
        said = error.detail_sv or message_sv(error.message)
        found = _LEG_FIELD.match(error.field or "")
        if found and int(found.group(1)) in time_fields:
            errors.add(time_fields[int(found.group(1))], said)
            return None, errors
        return said, errors
    notice = changed_notice(booking, now=now)
    if times:
        notice = " ".join([notice, *retimed_sv(session, booking, before)])
    return notice, errors


_LEG_FIELD = re.compile(r"^legs\[(\d+)\]")


def _in_scope(booking: Booking | None, actor: Actor) -> Booking | None:
    """`booking` if the actor may read it, else None: its times were checked before the
    use case's scope, so a wrong time told another principal's booking from a missing one
    (the probe of the seventh session of 2026-12-06)."""
    if booking is None:
        return None
    try:
        check_record_scope(actor, booking)
    except NotFound:
        return None
    return booking


def _companions(
    form: dict[str, str], booking_id: int, errors: FormErrors
) -> list[Companion] | None:
    """The companions the trip's form asks for, read as the new booking's form reads them:
    a count or age that cannot be read ("1,5") is said at its own field, the form kept as
    typed."""
    escorts_id, adults_id, children_id = (
        f"{name}_{booking_id}" for name in ("ledsagare", "medfoljande", "barn")
    )
    escorts = adults = None
    ages: list[int] | None = None
    try:
        escorts = read.count(form, escorts_id, most=2)
    except FieldError as error:
        errors.add(escorts_id, str(error))
    try:
        adults = read.count(form, adults_id)
    except FieldError as error:
        errors.add(adults_id, str(error))
    try:
        ages = read.child_ages(form, children_id)
    except FieldError as error:
        errors.add(children_id, str(error))
    if escorts is None or adults is None or ages is None:
        return None
    try:
        return read.companions(escorts, adults, ages)
    except FieldError as error:
        errors.add(adults_id, str(error))
        return None


def retimed_sv(session: Session, booking: Booking, before: dict[int, datetime]) -> list[str]:
    """What the new times are and how the trip stands with them: each leg moved, with its
    new promised window where a vehicle takes it, or why it waits for one."""
    said = []
    for leg in sorted(booking.legs, key=lambda leg: leg.seq):
        was = before.get(leg.seq)
        if was is None or was == leg.reference_time:
            continue
        which = "Utresan" if leg.direction == "outward" else "Returen"
        how = "hämtas" if leg.requested_pickup_at is not None else "är framme senast"
        sentence = f"{which} {how} nu {sv_time(leg.reference_time)} (var {sv_time(was)})"
        if leg.promised_pickup_from and leg.promised_pickup_until:
            sentence += (
                f", utlovad hämtning {sv_time(leg.promised_pickup_from)}–"
                f"{sv_time(leg.promised_pickup_until)}"
            )
        said.append(sentence + ".")
    waiting = planning_note(session, booking)
    if waiting:
        said.append(f"Resan väntar på ett fordon: {waiting[0].lower()}{waiting[1:]}")
    return said


def changed_notice(booking: Booking, *, now: datetime) -> str:
    """What the change did: a trip decided again by it says how it stands now (waiting for
    an assessor, refused, or a new mode or fee); any other change is simply done."""
    done = f"Resan {booking.reference} är ändrad."
    decision = booking.decision or {}
    if "changed" not in decision or decision.get("decided_at") != now.isoformat():
        return done
    why = " ".join(why_about_sv(decision, booking.status))
    if booking.status == BookingStatus.REQUESTED:
        return (
            f"{done} Ändringen behöver en handläggares prövning innan resan gäller. {why}".rstrip()
        )
    if booking.status == BookingStatus.DENIED:
        return f"{done} Med ändringen godtar reglerna inte resan. {why}".rstrip()
    said = [done]
    mode_before = decision.get("mode_before")
    if booking.mode and mode_before and mode_before != booking.mode:
        said.append(
            f"Färdsättet är nu {MODES_SV.get(booking.mode, booking.mode)} "
            f"(var {MODES_SV.get(mode_before, mode_before)})."
        )
    before, fee = decision.get("fee_before_ore"), decision.get("fee_ore")
    if before is not None and fee is not None and before != fee:
        said.append(f"Egenavgiften är nu {sv_kr(fee)} (var {sv_kr(before)}).")
    return " ".join(said)


def _version(form: dict[str, str]) -> int:
    """The trip's version the card showed; one that cannot be read (0) is stale, so a
    change or cancellation never goes through unchecked."""
    return whole_number(form.get("version", "")) or 0
