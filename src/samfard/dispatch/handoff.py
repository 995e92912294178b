"""Hand-off to carriers (överlämning): each run of a stored plan is offered to the carrier
whose vehicle drives it, under its contract; the carrier's dispatcher accepts or declines.

* Offering a day (`offer_day`) makes one offer per vehicle and day, with the time by which
  the carrier must answer. A run of the region's own fleet (an own-fleet contract, egen
  regi) needs nobody's acceptance and is accepted at once.
* Accepting (`answer_offer`) assigns the run's bookings (scheduled -> assigned): the
  carrier has taken them on.
* Declining frees the vehicle's day: the run is re-planned away (dispatch.replan_live,
  with the declined vehicle out of the fleet) and each of its trips goes into another run
  keeping its promise, or is left unserved with an alert; the controller is alerted in any
  case. Other runs keep their trips in order: a carrier who accepted a run keeps it.
* An offer not answered by its deadline alerts the controller (`check_deadlines`, run by
  the clock: the simulator, a job, or the API).

A carrier's dispatcher sees and answers only their own carrier's offers (access scoping as
for manifests); an account scoped to every principal (the traffic controller) may answer
on a carrier's behalf, e.g. after a phone call. Offers carry no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.models import User
from samfard.access.permissions import Permission as P
from samfard.access.permissions import Role
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.transitions import apply_transition
from samfard.costs.contracts import Contract, VehicleType, find_contract
from samfard.costs.stored_contracts import load_contracts
from samfard.dates_sv import date_sv
from samfard.db import transaction
from samfard.dispatch import alerts, store
from samfard.dispatch.live_models import RunOffer
from samfard.dispatch.models import PlanRun, Run, Vehicle
from samfard.dispatch.offer_states import ACCEPTED, DECLINED, OFFERED, STATES_SV
from samfard.dispatch.replan_live import replan_rest
from samfard.dispatch.replan_save import ReplanOutcome
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.errors import Conflict, Forbidden, InputError, NotFound
from samfard.timeutil import STOCKHOLM

DEFAULT_ANSWER_WITHIN_MIN = 120
LEAST_TO_ANSWER = timedelta(minutes=5)  # the least time a carrier is given to answer
REASON_MAX = 300
"""The most characters of a decline's reason (the column `run_offer.reason`)."""
OWN_FLEET = "egen regi"
"""`answered_by` of a run of the region's own fleet, accepted at once by nobody."""


@dataclass(frozen=True, slots=True)
class OfferPublic:
    """An offer as a carrier or the controller sees it: the run's shape, no travellers."""

    id: int
    service_date: date
    vehicle_code: str
    carrier_id: int | None
    contract_code: str | None
    run_id: int | None
    stops: int
    first_stop_at: datetime | None
    last_stop_at: datetime | None
    state: str
    state_sv: str
    answer_by: datetime
    answered_by: str | None  # the account's user name (the API's record), never shown
    reason: str | None
    answered_at: datetime | None = None
    answer_sv: str | None = None  # "Accepterad av Taxi Sundsvall AB, kl. 09:12"


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    offer: OfferPublic
    replan: ReplanOutcome | None


def _latest(session: Session, day: date) -> PlanRun:
    plan_run = store.latest_plan(session, day)
    if plan_run is None:
        raise NotFound(f"no plan for {day} yet: plan the day before offering it", field="date")
    return plan_run


def _contract(contracts: list[Contract], vehicle: Vehicle, day: date) -> Contract | None:
    try:
        return find_contract(
            contracts,
            carrier=vehicle.carrier_name,
            vehicle_type=VehicleType(vehicle.vehicle_type),
            day=day,
        )
    except NotFound:
        return None


def offer_day(
    *,
    session: Session,
    day: date,
    actor: Actor,
    now: datetime,
    answer_within_min: int = DEFAULT_ANSWER_WITHIN_MIN,
) -> list[OfferPublic]:
    """Offer every run of the day's newest plan to its carrier (again for runs whose
    vehicle has no offer yet; an answered offer stands)."""
    actor.require(P.PLANS_WRITE)
    if not actor.owns_everything:
        raise Forbidden("only an account scoped to all principals (*) offers a day's runs")
    if not 1 <= answer_within_min <= 7 * 24 * 60:
        raise InputError(
            f"answer_within_min must be between 1 and 10080 minutes, got {answer_within_min}",
            field="answer_within_min",
        )
    with transaction(session):
        plan_run = _latest(session, day)
        contracts = load_contracts(session)
        existing = {
            o.vehicle_id: o
            for o in session.scalars(select(RunOffer).where(RunOffer.service_date == day))
        }
        deadline = now + timedelta(minutes=answer_within_min)
        for run in plan_run.runs:
            offer = existing.get(run.vehicle_id)
            if offer is not None:
                offer.run_id = run.id
                continue
            contract = _contract(contracts, run.vehicle, day)
            own = contract is not None and contract.own_fleet
            offer = RunOffer(
                service_date=day,
                vehicle_id=run.vehicle_id,
                carrier_id=run.vehicle.carrier_id,
                contract_code=None if contract is None else contract.code,
                run_id=run.id,
                state=ACCEPTED if own else OFFERED,
                offered_at=now,
                answer_by=answer_due(run, deadline, now),
                answered_at=now if own else None,
                answered_by=OWN_FLEET if own else None,
                overdue_alerted=False,
            )
            session.add(offer)
            if own:
                _assign(session, run, actor=actor, now=now)
        session.flush()
        return _list(session, day, actor)


def answer_due(run: Run, deadline: datetime, now: datetime) -> datetime:
    """When the carrier must answer an offer of `run` made at `now`: by `deadline`, but no
    later than the run starts (a same-day run's answer was due after its last stop), and
    for a run that should be leaving already no later than its first stop, never sooner
    than `LEAST_TO_ANSWER` from now (a run offered after its depot departure was due the
    very minute it was offered: walk-throughs of 2026-12-06)."""
    soonest = now + LEAST_TO_ANSWER
    if run.start_at >= soonest:
        return min(deadline, run.start_at)
    first_stop = min((s.planned_at for s in run.stops), default=run.start_at)
    return max(soonest, min(deadline, first_stop))


def list_offers(*, session: Session, day: date, actor: Actor) -> list[OfferPublic]:
    """The day's offers: a carrier's dispatcher sees their own carrier's only."""
    actor.require(P.RUNS_READ)
    with transaction(session):
        return _list(session, day, actor)


def first_day_with_offers(*, session: Session, actor: Actor, today: date) -> date | None:
    """The first day from `today` on that has offers the actor may read (`today` itself
    when it has some), or None: a carrier's page opened on an empty today although the
    runs to answer were offered for tomorrow."""
    actor.require(P.RUNS_READ)
    statement = select(func.min(RunOffer.service_date)).where(RunOffer.service_date >= today)
    if actor.carrier_id is not None:
        statement = statement.where(RunOffer.carrier_id == actor.carrier_id)
    elif not actor.owns_everything:
        return None
    with transaction(session):
        found: date | None = session.scalar(statement)
    return found


def _list(session: Session, day: date, actor: Actor) -> list[OfferPublic]:
    statement = select(RunOffer).where(RunOffer.service_date == day).order_by(RunOffer.id)
    if actor.carrier_id is not None:
        statement = statement.where(RunOffer.carrier_id == actor.carrier_id)
    elif not actor.owns_everything:
        raise Forbidden("only a carrier's staff or the traffic controller read run offers")
    offers = list(session.scalars(statement))
    runs = {
        r.id: r
        for r in session.scalars(
            select(Run).where(Run.id.in_([o.run_id for o in offers if o.run_id]))
        )
    }
    vehicles = {
        v.id: v
        for v in session.scalars(
            select(Vehicle).where(Vehicle.id.in_([o.vehicle_id for o in offers]))
        )
    }
    answerers = _answerers(session, offers)
    return [_public(o, runs.get(o.run_id or -1), vehicles[o.vehicle_id], answerers) for o in offers]


def _answerers(session: Session, offers: list[RunOffer]) -> dict[str, User]:
    """The accounts that answered these offers, by user name."""
    names = {o.answered_by for o in offers if o.answered_by and o.answered_by != OWN_FLEET}
    if not names:
        return {}
    return {u.username: u for u in session.scalars(select(User).where(User.username.in_(names)))}


def _answer_sv(offer: RunOffer, vehicle: Vehicle | None, answerers: dict[str, User]) -> str:
    """The state and who answered when, as the pages say it: by the carrier's name, "egen
    regi" or "trafikledningen", never the account's user name ("Accepterad (utf4)" was
    shown): "Accepterad av Taxi Sundsvall AB, kl. 09:12"."""
    said = STATES_SV[offer.state]
    if offer.answered_at is None:
        return said
    at = offer.answered_at.astimezone(STOCKHOLM)
    day = "" if at.date() == offer.service_date else f"{date_sv(at, 'long')} "
    when = f"{day}kl. {at:%H:%M}"
    if offer.answered_by == OWN_FLEET:
        return f"{said} direkt i egen regi, {when}"
    user = answerers.get(offer.answered_by or "")
    if user is None:
        return f"{said} {when}"
    if user.role == Role.CARRIER_DISPATCHER.value:
        who = vehicle.carrier_name if vehicle is not None else "utföraren"
    else:
        who = "trafikledningen"  # the centre answered for the carrier (after a call)
    return f"{said} av {who}, {when}"


def _public(
    offer: RunOffer, run: Run | None, vehicle: Vehicle | None, answerers: dict[str, User]
) -> OfferPublic:
    stops = [] if run is None else run.stops
    count, first, last = len(stops), None, None
    if stops:
        first, last = stops[0].planned_at, stops[-1].planned_at
    elif offer.declined_stops:  # the run declined, re-planned away since
        count, first, last = offer.declined_stops, offer.declined_first_at, offer.declined_last_at
    return OfferPublic(
        id=offer.id,
        service_date=offer.service_date,
        vehicle_code=vehicle.code if vehicle is not None else "?",
        carrier_id=offer.carrier_id,
        contract_code=offer.contract_code,
        run_id=offer.run_id,
        stops=count,
        first_stop_at=first,
        last_stop_at=last,
        state=offer.state,
        state_sv=STATES_SV[offer.state],
        answer_by=offer.answer_by,
        answered_by=offer.answered_by,
        reason=offer.reason,
        answered_at=offer.answered_at,
        answer_sv=_answer_sv(offer, vehicle, answerers),
    )


def answer_offer(
    *,
    session: Session,
    offer_id: int,
    accept: bool,
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> AnswerOutcome:
    """Accept or decline an offer (see the module); a declined run is re-planned away."""
    actor.require(P.RUNS_READ)
    reason = (reason or "").strip() or None
    if not accept and reason is None:
        raise InputError("say why the run is declined (reason)", field="reason")
    if reason is not None and len(reason) > REASON_MAX:
        raise InputError(f"reason must be at most {REASON_MAX} characters", field="reason")
    with transaction(session):
        offer = session.get(RunOffer, offer_id)
        if offer is None:
            raise NotFound(f"no run offer with id {offer_id}", field="offer_id")
        _require_may_answer(actor, offer)
        if offer.state != OFFERED:
            raise Conflict(
                f"offer {offer_id} was {offer.state} by {offer.answered_by} already",
                field="offer_id",
            )
        offer.state = ACCEPTED if accept else DECLINED
        offer.answered_at, offer.answered_by, offer.reason = now, actor.username, reason
        plan_run = _latest(session, offer.service_date)
        run = next((r for r in plan_run.runs if r.vehicle_id == offer.vehicle_id), None)
        outcome: ReplanOutcome | None = None
        if accept:
            if run is not None:
                _assign(session, run, actor=actor, now=now)
        else:
            if run is not None and run.stops:
                offer.declined_stops = len(run.stops)
                offer.declined_first_at = run.stops[0].planned_at
                offer.declined_last_at = run.stops[-1].planned_at
            vehicle = session.get(Vehicle, offer.vehicle_id)
            code = vehicle_name_sv(vehicle.code) if vehicle else str(offer.vehicle_id)
            alerts.raise_alert(
                session,
                kind="run_declined",
                day=offer.service_date,
                subject=f"vehicle {offer.vehicle_id}",
                run_id=offer.run_id,
                message=f"{code}: utföraren avböjde körningen ({reason}). Resorna planeras om.",
                at=now,
            )
            session.flush()
            outcome = replan_rest(session, plan_run, now=now, actor=actor)
            if not outcome.saved:
                raise Conflict(
                    "the run could not be re-planned away without the verifier refusing the "
                    "plan; nothing was changed, answer again or call the controller",
                    field="offer_id",
                )
        session.flush()
        run_now = session.get(Run, offer.run_id) if offer.run_id else None
        answered = _public(
            offer, run_now, session.get(Vehicle, offer.vehicle_id), _answerers(session, [offer])
        )
        return AnswerOutcome(answered, outcome)


def _require_may_answer(actor: Actor, offer: RunOffer) -> None:
    """Another carrier's offer is answered as one that does not exist: a 403 told its
    dispatcher which ids are offers to others."""
    if actor.role is Role.CARRIER_DISPATCHER and actor.carrier_id == offer.carrier_id:
        return
    if actor.owns_everything and actor.has(P.PLANS_WRITE):
        return
    if actor.carrier_id is not None:
        raise NotFound(f"no run offer with id {offer.id}", field="offer_id")
    raise Forbidden(
        "only the carrier's dispatcher (or the traffic controller) answers this offer",
        field="offer_id",
    )


def _assign(session: Session, run: Run, *, actor: Actor, now: datetime) -> None:
    """The carrier has taken the run: its scheduled bookings are assigned."""
    ids = sorted({s.booking_id for s in run.stops if s.booking_id is not None})
    for booking in session.scalars(select(Booking).where(Booking.id.in_(ids))):
        if booking.status == BookingStatus.SCHEDULED.value:
            apply_transition(
                session,
                booking,
                BookingStatus.ASSIGNED,
                actor=actor,
                now=now,
                reason=f"run of {run.vehicle.code} accepted",
            )


def check_deadlines(*, session: Session, day: date, actor: Actor, now: datetime) -> int:
    """Alert the controller of each offer still unanswered past its deadline (once)."""
    actor.require(P.PLANS_WRITE)
    with transaction(session):
        late = list(
            session.scalars(
                select(RunOffer).where(
                    RunOffer.service_date == day,
                    RunOffer.state == OFFERED,
                    RunOffer.answer_by < now,
                    RunOffer.overdue_alerted.is_(False),
                )
            )
        )
        for offer in late:
            vehicle = session.get(Vehicle, offer.vehicle_id)
            code = vehicle_name_sv(vehicle.code) if vehicle else str(offer.vehicle_id)
            alerts.raise_alert(
                session,
                kind="offer_overdue",
                day=day,
                subject=f"vehicle {offer.vehicle_id}",
                run_id=offer.run_id,
                message=f"{code}: körningen är inte accepterad, svar skulle ha kommit senast "
                f"{offer.answer_by.astimezone(STOCKHOLM):%H:%M}. Ring utföraren.",
                at=now,
            )
            offer.overdue_alerted = True
        session.flush()
        return len(late)
