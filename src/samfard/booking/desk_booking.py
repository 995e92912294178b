"""The desk's two actions on a new trip: show what booking it would do, and book it.

Both build the API's request from the form (`desk_form`) and call the API's own use cases
(`service.create_booking`, `series.create_series`); the preview runs them in a dry run
(`db.dry_run`, on the request's own connection), so the assessment, the fee and the pickup
window live insertion promises are exactly what booking would give, and nothing is stored
but the audit of the read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.register import require_in_register
from samfard.booking import legs as booking_legs
from samfard.booking.clashes import Clash, audit_shown, clashes
from samfard.booking.desk_form import DeskRequest, build_request, errors_from
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.schemas import Channel
from samfard.booking.series import create_series
from samfard.booking.service import create_booking
from samfard.booking.views import booking_decision
from samfard.db import dry_run, transaction
from samfard.dispatch.store import by_vehicle, latest_plan
from samfard.dispatch.unplanned_reasons import reason_sv as unplanned_sv
from samfard.errors import DomainError
from samfard.money import format_kr
from samfard.rules.decision import companion_fees
from samfard.travellers.models import Traveller
from samfard.travellers.service import load_traveller
from samfard.travellers.views import can_see_identity
from samfard.web.shell import ONCE_FIELD, FormErrors


@dataclass(frozen=True)
class LegWindow:
    direction: str
    requested_pickup_at: datetime | None
    appointment_at: datetime | None
    promised_from: datetime | None
    promised_until: datetime | None


@dataclass(frozen=True)
class DeskOutcome:
    """What a booking gave (or would give): to read back to the caller."""

    references: list[str]
    status: str
    decision: Mapping[str, object] | None
    fee_ore: int
    companion_fee_ore: int  # what the companions pay beside the traveller
    legs: list[LegWindow]
    origin_label: str
    destination_label: str
    days: list[date] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    series_id: int | None = None
    planning_note: str | None = None
    by_vehicle: bool = True  # False: bus, train or own car; no pickup, never planned
    # The traveller's other open trips at the same time: a likely double booking.
    clashes: list[Clash] = field(default_factory=list)
    # Från and Till placed at one point (two streets of a town): the operator may know better.
    place_note: str | None = None

    @property
    def reference(self) -> str:
        return self.references[0]

    @property
    def fee_sv(self) -> str:
        """The fees to read back: none stated while an assessor has yet to decide (the
        fee is not known), and the companions' beside the traveller's."""
        if self.status == BookingStatus.REQUESTED:
            return "Egenavgiften beräknas när resan är bedömd."
        said = f"Egenavgift {format_kr(self.fee_ore)}"
        if self.companion_fee_ore:
            said += f", för medresenärer {format_kr(self.companion_fee_ore)}"
        return said + "."


def planning_note(session: Session, booking: Booking) -> str | None:
    """Why an approved trip has no promised window yet (the day's plan said why); none for
    a trip the traveller makes without the centre's vehicle."""
    if booking.status != BookingStatus.APPROVED.value or not by_vehicle(booking):
        return None
    plan = latest_plan(session, booking.service_date)
    if plan is None:
        return "Dagen är inte planerad än; hämtningsfönstret ges när den planeras."
    reasons = {r.get("reason") for r in plan.unserved if r.get("booking_id") == booking.id}
    # In Swedish, as the day's page says it; the planner's own words carry clock times that
    # would tell a drive from a protected home.
    why = "; ".join(sorted({unplanned_sv(str(r)) for r in reasons if r}))
    return (
        "Resan fick inte plats i dagens plan"
        + (f" ({why})" if why else "")
        + ("; trafikledningen lägger in den.")
    )


def place_note(
    session: Session, request: DeskRequest, traveller: Traveller, *, visible: bool
) -> str | None:
    """What to tell the operator when Från and Till lie on one point of the map without
    being one place (`legs.same_place`): an address without coordinates is placed at its
    town, so the planner gets a trip of no length there. Never for a protected home and a
    place typed, to a user who may not see the home: it would say the two are close."""
    data = request.booking or request.series
    assert data is not None
    first = data.legs[0]
    origin, destination = booking_legs.resolve_ends(
        session,
        first.origin,
        first.destination,
        traveller,
        fields=("legs[0].origin", "legs[0].destination"),
    )
    hidden = traveller.protected_identity and not visible
    if hidden and booking_legs.measures_home(origin, destination):
        return None
    if booking_legs.metres_between(origin, destination) >= booking_legs.SAME_SPOT_METRES:
        return None
    town = origin.placed_at or destination.placed_at
    if town is None:
        return None
    return (
        f"Från och Till ligger på samma punkt på kartan, vid {town}: en adress utan egna "
        "koordinater placeras mitt i orten. Resan planeras som noll km; välj exakta platser "
        "i listan om du vet var de ligger."
    )


def _outcome(
    session: Session,
    request: DeskRequest,
    bookings: list[Booking],
    series_id: int | None,
    actor: Actor,
    *,
    traveller: Traveller,
    visible: bool,
) -> DeskOutcome:
    first = bookings[0]
    shown = booking_decision(first, visible=visible)
    fee = (shown or {}).get("fee_ore", 0)
    companions = companion_fees((shown or {}).get("companions") or ())
    return DeskOutcome(
        references=[b.reference for b in bookings],
        status=first.status,
        decision=shown,
        fee_ore=int(fee) if isinstance(fee, int | str) else 0,
        companion_fee_ore=sum(companions.values()),
        legs=[
            LegWindow(
                leg.direction,
                leg.requested_pickup_at,
                leg.appointment_at,
                leg.promised_pickup_from,
                leg.promised_pickup_until,
            )
            for leg in sorted(first.legs, key=lambda leg: leg.seq)
        ],
        origin_label=request.origin_label,
        destination_label=request.destination_label,
        days=[b.service_date for b in bookings],
        statuses=dict(Counter(b.status for b in bookings)),
        series_id=series_id,
        planning_note=planning_note(session, first),
        by_vehicle=by_vehicle(first),
        clashes=[clash for booking in bookings for clash in clashes(session, booking, actor)],
        place_note=place_note(session, request, traveller, visible=visible),
    )


# A single trip is booked with the form's one-time key (`web.shell.ONCE_FIELD`) as its
# Idempotency-Key, so a reload of the receipt or a second Enter answers with the trip
# already booked instead of booking it twice.
_ONCE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def once_key(form: Mapping[str, str]) -> str | None:
    """The form's one-time key, if it sent a well-formed one."""
    key = form.get(ONCE_FIELD, "")
    return key if _ONCE.match(key) else None


def _store(
    session: Session,
    request: DeskRequest,
    *,
    actor: Actor,
    now: datetime,
    traveller: Traveller,
    visible: bool,
    once: str | None,
) -> DeskOutcome:
    if request.series is not None:
        series, bookings = create_series(session=session, data=request.series, actor=actor, now=now)
        return _outcome(
            session, request, bookings, series.id, actor, traveller=traveller, visible=visible
        )
    assert request.booking is not None
    booking, _ = create_booking(
        session=session, data=request.booking, actor=actor, now=now, idempotency_key=once
    )
    return _outcome(session, request, [booking], None, actor, traveller=traveller, visible=visible)


def _run(
    session: Session,
    form: Mapping[str, str],
    *,
    traveller_id: int,
    actor: Actor,
    now: datetime,
    channel: Channel = Channel.PHONE,
) -> tuple[DeskOutcome | None, FormErrors]:
    # The register first: the preview answered a traveller outside it with the rules'
    # refusals, telling an operator the person exists and which principal pays (the probe
    # of the seventh session of 2026-12-06).
    require_in_register(session, actor, traveller_id, field="resenar")
    traveller = load_traveller(session=session, traveller_id=traveller_id, field="resenar")
    visible = can_see_identity(traveller, actor)
    request, errors = build_request(
        session, form, traveller, now=now, visible=visible, channel=channel
    )
    if request is None:
        return None, errors
    try:
        stored = _store(
            session,
            request,
            actor=actor,
            now=now,
            traveller=traveller,
            visible=visible,
            once=once_key(form),
        )
        return stored, FormErrors()
    except DomainError as error:
        session.rollback()
        return None, errors_from(error)


def preview_booking(
    *,
    session: Session,
    form: Mapping[str, str],
    traveller_id: int,
    actor: Actor,
    now: datetime,
    channel: Channel = Channel.PHONE,
) -> tuple[DeskOutcome | None, FormErrors]:
    """What booking the form would give, from a dry run of the booking use case; only the
    audit entries of reading the traveller and the trips shown as clashing are kept (in
    `session`)."""
    with dry_run(session) as trial:
        outcome, errors = _run(
            trial, form, traveller_id=traveller_id, actor=actor, now=now, channel=channel
        )
    if outcome is not None:
        audit_shown(session, actor, outcome.clashes, at=now)
    with transaction(session):
        audit.record(
            session,
            actor,
            traveller_id=traveller_id,
            record_type="traveller",
            record_id=traveller_id,
            action="read",
            purpose="booking preview",
            at=now,
        )
    return outcome, errors


def book(
    *,
    session: Session,
    form: Mapping[str, str],
    traveller_id: int,
    actor: Actor,
    now: datetime,
    channel: Channel = Channel.PHONE,
) -> tuple[DeskOutcome | None, FormErrors]:
    """Book what the form describes (one trip or a series), or say what to fix."""
    outcome, errors = _run(
        session, form, traveller_id=traveller_id, actor=actor, now=now, channel=channel
    )
    if outcome is not None:
        audit_shown(session, actor, outcome.clashes, at=now)
    return outcome, errors
