"""Hand-off to carriers: each run offered under its contract, own-fleet runs accepted at
once, a carrier answers only its own offers, an accepted run's bookings are assigned, a
declined run's trips go to other runs (or are alerted unserved), and an offer unanswered
past its deadline alerts the controller once."""

from __future__ import annotations

import pytest
from dispatch_fixtures import PLAN_NOW, plan_demo_day
from live_fixtures import CONTROLLER, minutes, plan
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.costs.service import load_contract_files
from samfard.costs.stored_contracts import load_contracts
from samfard.dispatch import handoff
from samfard.dispatch.live_models import ControllerAlert
from samfard.dispatch.models import Vehicle
from samfard.dispatch.service import verify_stored
from samfard.errors import Conflict, Forbidden, InputError


def _dispatcher(carrier_id: int | None) -> Actor:
    return Actor(
        user_id=None,
        username=f"carrier-{carrier_id}",
        role=Role.CARRIER_DISPATCHER,
        carrier_id=carrier_id,
    )


def _offer(session: Session) -> list[handoff.OfferPublic]:
    load_contract_files(session)  # the demo carriers' contracts, the own fleet's included
    plan_demo_day(session)
    return handoff.offer_day(
        session=session, day=plan(session).service_date, actor=CONTROLLER, now=PLAN_NOW,
        answer_within_min=60,
    )  # fmt: skip


def test_each_run_is_offered_to_its_carrier_and_own_fleet_runs_need_no_answer(
    session: Session,
) -> None:
    offers = _offer(session)
    runs = plan(session).runs
    assert sorted(o.run_id for o in offers) == sorted(r.id for r in runs)
    vehicles = {v.code: v for v in session.scalars(select(Vehicle))}
    own_fleet = {c.code: c.own_fleet for c in load_contracts(session)}
    for offer in offers:
        assert offer.contract_code in own_fleet, "each run goes under its carrier's contract"
        own = own_fleet[offer.contract_code]
        assert offer.state == ("accepted" if own else "offered")
        assert offer.carrier_id == vehicles[offer.vehicle_code].carrier_id
        assert offer.answer_by == PLAN_NOW + minutes(60)
    # Offering again adds nothing and keeps the answers.
    again = handoff.offer_day(
        session=session, day=offers[0].service_date, actor=CONTROLLER, now=PLAN_NOW
    )
    assert [(o.id, o.state) for o in again] == [(o.id, o.state) for o in offers]


def test_a_carrier_sees_and_answers_only_its_own_runs(session: Session) -> None:
    offers = _offer(session)
    offer = next(o for o in offers if o.state == "offered")
    mine = handoff.list_offers(
        session=session, day=offer.service_date, actor=_dispatcher(offer.carrier_id)
    )
    assert mine and all(o.carrier_id == offer.carrier_id for o in mine)
    other = _dispatcher(99)
    assert handoff.list_offers(session=session, day=offer.service_date, actor=other) == []
    with pytest.raises(Forbidden):
        handoff.answer_offer(
            session=session, offer_id=offer.id, accept=True, reason=None, actor=other,
            now=PLAN_NOW,
        )  # fmt: skip


def test_accepting_assigns_the_runs_bookings(session: Session) -> None:
    offers = _offer(session)
    offer = next(o for o in offers if o.state == "offered")
    run = next(r for r in plan(session).runs if r.id == offer.run_id)
    ids = {s.booking_id for s in run.stops}
    answer = handoff.answer_offer(
        session=session, offer_id=offer.id, accept=True, reason=None,
        actor=_dispatcher(offer.carrier_id), now=PLAN_NOW + minutes(5),
    )  # fmt: skip
    assert answer.offer.state == "accepted" and answer.replan is None
    statuses = set(session.scalars(select(Booking.status).where(Booking.id.in_(ids))))
    assert statuses == {BookingStatus.ASSIGNED.value}
    with pytest.raises(Conflict):
        handoff.answer_offer(
            session=session, offer_id=offer.id, accept=False, reason="nej",
            actor=_dispatcher(offer.carrier_id), now=PLAN_NOW + minutes(6),
        )  # fmt: skip


def test_a_declined_run_goes_back_to_planning_and_alerts_the_controller(
    session: Session,
) -> None:
    offers = _offer(session)
    offer = max((o for o in offers if o.state == "offered"), key=lambda o: (o.stops, -o.id))
    run = next(r for r in plan(session).runs if r.id == offer.run_id)
    legs = {(s.booking_id, s.leg_seq) for s in run.stops}
    with pytest.raises(InputError):
        handoff.answer_offer(
            session=session, offer_id=offer.id, accept=False, reason=" ",
            actor=_dispatcher(offer.carrier_id), now=PLAN_NOW,
        )  # fmt: skip
    answer = handoff.answer_offer(
        session=session, offer_id=offer.id, accept=False, reason="Bilen är på verkstad",
        actor=_dispatcher(offer.carrier_id), now=PLAN_NOW + minutes(10),
    )  # fmt: skip
    assert answer.offer.state == "declined" and answer.replan is not None
    assert answer.replan.saved
    session.expire_all()
    runs = plan(session).runs
    assert all(r.vehicle_id != run.vehicle_id for r in runs), "the declined vehicle has no run"
    placed = {(s.booking_id, s.leg_seq) for r in runs for s in r.stops}
    left = legs - placed
    unserved_alerts = set(
        session.scalars(select(ControllerAlert.subject).where(ControllerAlert.kind == "unserved"))
    )
    assert {f"b{b}.{s}" for b, s in left} <= unserved_alerts, "every leg left out is alerted"
    assert len(left) < len(legs), "most of the run's trips find another run"
    kinds = set(session.scalars(select(ControllerAlert.kind)))
    assert "run_declined" in kinds
    _, report = verify_stored(session=session, day=offer.service_date)
    assert report.ok, report.violations[:3]


def test_an_offer_unanswered_by_its_deadline_alerts_the_controller_once(
    session: Session,
) -> None:
    offers = _offer(session)
    waiting = [o for o in offers if o.state == "offered"]
    day = offers[0].service_date
    early = handoff.check_deadlines(
        session=session, day=day, actor=CONTROLLER, now=PLAN_NOW + minutes(59)
    )
    assert early == 0
    late = handoff.check_deadlines(
        session=session, day=day, actor=CONTROLLER, now=PLAN_NOW + minutes(61)
    )
    assert late == len(waiting)
    again = handoff.check_deadlines(
        session=session, day=day, actor=CONTROLLER, now=PLAN_NOW + minutes(90)
    )
    assert again == 0
    alerted = session.scalars(
        select(ControllerAlert).where(ControllerAlert.kind == "offer_overdue")
    ).all()
    assert len(alerted) == len(waiting)
    assert all("inte accepterad" in a.message for a in alerted)
