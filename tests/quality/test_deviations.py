"""Deviations: reported in scope, handled step by step with who did what, serious ones
flagged to the principal at once, upheld ones charged per the carrier's contract."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from quality_world import AFTER, QualityWorld
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.access.models import AuditEntry
from samfard.costs.models import CarrierPenalty
from samfard.costs.service import settle_day
from samfard.db import transaction
from samfard.dispatch import store
from samfard.dispatch.live_models import StopDone
from samfard.dispatch.store import latest_plan
from samfard.errors import Forbidden, InvalidTransition, NotFound
from samfard.notify.models import OutboxMessage
from samfard.quality.schemas import Action, DeviationCreate, DeviationStep, Outcome
from samfard.quality.service import (
    DeviationFilter,
    get_deviation,
    list_deviations,
    report_deviation,
    take_step,
)
from samfard.quality.views import HIDDEN_TEXT, deviation_public
from samfard.travellers.models import Traveller

pytestmark = pytest.mark.world_per_module


@pytest.fixture
def world(quality_world_once: QualityWorld) -> QualityWorld:
    return quality_world_once


def _late(world: QualityWorld, **extra: object) -> DeviationCreate:
    fields: dict[str, object] = {
        "booking_id": world.booking.id,
        "kind": "late",
        "description": "Bilen kom 35 minuter efter utlovad tid.",
    }
    return DeviationCreate.model_validate(fields | extra)


def test_a_traveller_reports_about_their_own_trip_and_the_carrier_is_found(
    session: Session, world: QualityWorld
) -> None:
    deviation = report_deviation(
        session=session, data=_late(world), actor=world.traveller, now=AFTER
    )
    assert deviation.status == "received"
    assert deviation.carrier_id == world.carrier_id
    assert deviation.carrier_name == world.carrier_name
    assert deviation.principal_code == world.booking.principal_code
    assert [e.action for e in deviation.events] == ["report"]
    assert deviation.events[0].actor == "q-traveller"
    audited = session.scalars(select(AuditEntry).where(AuditEntry.record_type == "deviation")).all()
    assert [(a.action, a.traveller_id) for a in audited] == [("create", world.booking.traveller_id)]


def test_a_no_show_out_of_the_plan_keeps_the_carrier_that_reported_it(
    session: Session, world: QualityWorld
) -> None:
    """A no-show takes the trip out of the plan; its report then named no carrier ("Ingen
    utförare i planen") though a vehicle reported it (walk-through of the seventh session
    of 2026-12-06). The vehicle that reported a stop of the trip names the carrier."""
    plan = latest_plan(session, world.booking.service_date)
    assert plan is not None
    stop = next(s for r in plan.runs for s in r.stops if s.booking_id == world.booking.id)
    vehicle = stop.run.vehicle_id
    with transaction(session):
        session.add(StopDone(service_date=world.booking.service_date,
                             booking_id=world.booking.id, leg_seq=stop.leg_seq, kind="pickup",
                             vehicle_id=vehicle, status="no_show", at=AFTER))  # fmt: skip
        store.drop_stops(plan, "booking_id", world.booking.id, keep_empty=True)
    deviation = report_deviation(
        session=session, data=_late(world), actor=world.operator, now=AFTER
    )
    assert (deviation.carrier_id, deviation.carrier_name) == (
        world.carrier_id,
        world.carrier_name,
    )


def test_a_trip_settled_with_no_plan_left_names_the_carrier_it_was_settled_to(
    session: Session, world: QualityWorld
) -> None:
    """A trip driven and settled whose day keeps no plan of it (a past day's, the care
    units' year in the demo) named no carrier, so an upheld deviation charged no penalty
    and no carrier was asked to answer (walk-through of the eighth session of
    2026-12-06). The settled trip names it."""
    settle_day(session=session, day=world.booking.service_date, actor=SYSTEM, now=AFTER)
    plan = latest_plan(session, world.booking.service_date)
    assert plan is not None
    with transaction(session):
        store.drop_stops(plan, "booking_id", world.booking.id, keep_empty=True)
    deviation = report_deviation(
        session=session, data=_late(world), actor=world.operator, now=AFTER
    )
    assert (deviation.carrier_id, deviation.carrier_name) == (
        world.carrier_id,
        world.carrier_name,
    )


def test_nobody_reports_about_a_trip_outside_their_scope(
    session: Session, world: QualityWorld
) -> None:
    for actor in (world.other_operator, world.other_carrier):
        with pytest.raises(NotFound):
            report_deviation(session=session, data=_late(world), actor=actor, now=AFTER)


def test_the_full_workflow_charges_the_contract_penalty_and_records_each_step(
    session: Session, world: QualityWorld
) -> None:
    deviation = report_deviation(
        session=session, data=_late(world), actor=world.traveller, now=AFTER
    )
    take_step(
        session=session,
        deviation_id=deviation.id,
        data=DeviationStep(action=Action.INVESTIGATE, note="Utföraren tillfrågad"),
        actor=world.operator,
        now=AFTER,
    )
    assert deviation.carrier_due_at == AFTER + timedelta(days=10)
    take_step(
        session=session,
        deviation_id=deviation.id,
        data=DeviationStep(action=Action.ANSWER, note="Föraren fastnade i trafik."),
        actor=world.carrier,
        now=AFTER + timedelta(days=2),
    )
    take_step(
        session=session,
        deviation_id=deviation.id,
        data=DeviationStep(action=Action.DECIDE, outcome=Outcome.UPHELD, note="Vite enligt avtal"),
        actor=world.operator,
        now=AFTER + timedelta(days=3),
    )
    penalty = session.scalar(
        select(CarrierPenalty).where(CarrierPenalty.deviation_id == deviation.id)
    )
    assert penalty is not None
    assert penalty.amount_ore == deviation.penalty_ore == 50000  # the 2026 taxi terms: late
    assert penalty.carrier == world.carrier_name
    assert penalty.contract_code.endswith("TAXI-2026")
    take_step(
        session=session,
        deviation_id=deviation.id,
        data=DeviationStep(action=Action.CLOSE),
        actor=world.operator,
        now=AFTER + timedelta(days=4),
    )
    assert deviation.status == "closed"
    assert [(e.action, e.actor, e.to_status) for e in deviation.events] == [
        ("report", "q-traveller", "received"),
        ("investigate", "q-operator", "investigating"),
        ("answer", "q-carrier", "investigating"),
        ("decide", "q-operator", "decided"),
        ("close", "q-operator", "closed"),
    ]


def test_a_not_upheld_decision_charges_nothing(session: Session, world: QualityWorld) -> None:
    deviation = report_deviation(
        session=session, data=_late(world), actor=world.operator, now=AFTER
    )
    take_step(
        session=session,
        deviation_id=deviation.id,
        data=DeviationStep(action=Action.DECIDE, outcome=Outcome.NOT_UPHELD, note="Inom fönstret"),
        actor=world.operator,
        now=AFTER,
    )
    assert deviation.penalty_ore == 0
    assert session.scalar(select(CarrierPenalty)) is None


def test_steps_out_of_order_and_out_of_role_are_refused(
    session: Session, world: QualityWorld
) -> None:
    deviation = report_deviation(
        session=session, data=_late(world), actor=world.operator, now=AFTER
    )
    with pytest.raises(InvalidTransition):
        take_step(
            session=session,
            deviation_id=deviation.id,
            data=DeviationStep(action=Action.CLOSE),
            actor=world.operator,
            now=AFTER,
        )
    with pytest.raises(InvalidTransition):  # the carrier answers only once asked
        take_step(
            session=session,
            deviation_id=deviation.id,
            data=DeviationStep(action=Action.ANSWER, note="svar"),
            actor=world.carrier,
            now=AFTER,
        )
    with pytest.raises(Forbidden):
        take_step(
            session=session,
            deviation_id=deviation.id,
            data=DeviationStep(action=Action.DECIDE, outcome=Outcome.NOT_UPHELD, note="nej"),
            actor=world.carrier,
            now=AFTER,
        )
    assert deviation.status == "received" and len(deviation.events) == 1


def test_a_serious_deviation_alerts_the_principal_staff_only_and_names_no_one(
    session: Session, world: QualityWorld
) -> None:
    deviation = report_deviation(
        session=session,
        data=_late(world, kind="injury", severity="serious"),
        actor=world.operator,
        now=AFTER,
    )
    assert deviation.principal_alerted_at == AFTER
    alerts = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "deviation_alert")
    ).all()
    assert {a.recipient for a in alerts} == {"q-operator", "q-admin"}
    traveller = session.get(Traveller, world.booking.traveller_id)
    assert traveller is not None
    for alert in alerts:
        assert deviation.reference in alert.text
        assert traveller.last_name not in alert.text
        assert traveller.personal_number not in alert.text


def test_each_role_reads_only_the_deviations_in_its_scope(
    session: Session, world: QualityWorld
) -> None:
    deviation = report_deviation(
        session=session, data=_late(world), actor=world.traveller, now=AFTER
    )
    for actor in (world.operator, world.carrier, world.traveller, world.principal_admin):
        rows, total = list_deviations(
            session=session, actor=actor, now=AFTER, filters=DeviationFilter()
        )
        assert [d.id for d in rows] == [deviation.id] and total == 1
        assert get_deviation(session=session, deviation_id=deviation.id, actor=actor, now=AFTER)
    for actor in (world.other_operator, world.other_carrier):
        rows, total = list_deviations(
            session=session, actor=actor, now=AFTER, filters=DeviationFilter()
        )
        assert rows == [] and total == 0
        with pytest.raises(NotFound):
            get_deviation(session=session, deviation_id=deviation.id, actor=actor, now=AFTER)


def test_the_carrier_reads_that_a_traveller_reported_not_which_account(
    session: Session, world: QualityWorld
) -> None:
    """A traveller's username may carry their name; the carrier answers the report and
    reads "traveller", while the centre, which reads the register, sees the account."""
    deviation = report_deviation(
        session=session, data=_late(world), actor=world.traveller, now=AFTER
    )
    to_carrier = deviation_public(session, deviation, world.carrier, AFTER)
    assert to_carrier.reported_by == "traveller" and to_carrier.reporter_role == "traveller"
    assert [e.actor for e in to_carrier.events] == ["traveller"]
    assert "q-traveller" not in to_carrier.model_dump_json()
    to_desk = deviation_public(session, deviation, world.operator, AFTER)
    assert to_desk.reported_by == "q-traveller"


def test_what_people_wrote_about_a_protected_traveller_reaches_only_who_may_see_it(
    session: Session, world: QualityWorld
) -> None:
    """Found by the security probe of 2026-12-06: a protected traveller wrote their street
    and phone in a report, and the carrier, the operator and the administrators all read it."""
    traveller = session.get(Traveller, world.booking.traveller_id)
    assert traveller is not None
    traveller.protected_identity = True
    session.flush()
    secret = "Bilen kom aldrig till min port på Järnvägsgatan 43, ring 08-465 0258."
    deviation = report_deviation(
        session=session, data=_late(world, description=secret), actor=world.traveller, now=AFTER
    )
    take_step(
        session=session,
        deviation_id=deviation.id,
        data=DeviationStep(action=Action.INVESTIGATE, note="Ringt 08-465 0258"),
        actor=world.operator,
        now=AFTER,
    )
    entitled = replace(world.operator, may_see_protected=True)
    for reader in (world.carrier, world.operator, world.principal_admin):
        shown = deviation_public(session, deviation, reader, AFTER)
        assert shown.description == HIDDEN_TEXT
        assert all(e.note in (None, HIDDEN_TEXT) for e in shown.events)
        assert "0258" not in shown.model_dump_json(), reader.role
    for reader in (world.traveller, entitled):
        shown = deviation_public(session, deviation, reader, AFTER)
        assert shown.description == secret
        assert [e.note for e in shown.events] == [None, "Ringt 08-465 0258"]
