"""An upheld deviation's penalty is deducted on the carrier's invoice basis of the month,
and the contract files carry the penalty terms into stored contracts."""

from __future__ import annotations

from datetime import timedelta

from quality_world import AFTER, DAY, build_quality_world
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.costs.models import ContractRow
from samfard.costs.service import settle_day
from samfard.costs.stored_contracts import load_contracts
from samfard.quality.schemas import Action, DeviationCreate, DeviationStep, Outcome
from samfard.quality.service import report_deviation, take_step
from samfard.reports.service import invoice_basis_sheet


def test_stored_contracts_carry_their_penalty_terms(session: Session) -> None:
    build_quality_world(session)
    taxi = {c.code: c for c in load_contracts(session)}["JH-TAXI-2026"]
    late = taxi.penalty_for("late", "minor")
    assert late is not None and late.amount == 50000
    injury = taxi.penalty_for("injury", "serious")
    assert injury is not None and injury.amount == 500000
    assert taxi.penalty_for("conduct", "minor") is None  # conduct only with risk or harm
    own = session.scalar(select(ContractRow).where(ContractRow.code == "JH-EGEN-2025"))
    assert own is not None and not own.penalties


def test_an_upheld_penalty_is_deducted_on_the_invoice_basis(session: Session) -> None:
    world = build_quality_world(session)
    settle_day(session=session, day=DAY, actor=SYSTEM, now=AFTER + timedelta(days=1))
    before = invoice_basis_sheet(
        session=session, actor=SYSTEM, carrier=world.carrier_name, year=2026, month=11
    )
    assert before.rows[-1][0] == "TOTAL"
    deviation = report_deviation(
        session=session,
        data=DeviationCreate.model_validate(
            {
                "booking_id": world.booking.id,
                "kind": "vehicle_no_show",
                "description": "Ingen bil kom.",
            }
        ),  # fmt: skip
        actor=world.operator,
        now=AFTER,
    )
    take_step(
        session=session,
        deviation_id=deviation.id,
        data=DeviationStep(action=Action.DECIDE, outcome=Outcome.UPHELD, note="Bilen kom inte"),
        actor=world.operator,
        now=AFTER,
    )
    sheet = invoice_basis_sheet(
        session=session, actor=SYSTEM, carrier=world.carrier_name, year=2026, month=11
    )
    total = next(r for r in sheet.rows if r[0] == "TOTAL")
    vite = next(r for r in sheet.rows if r[0] == f"VITE {deviation.reference}")
    pay = sheet.rows[-1]
    assert vite[-1] == -150000 and vite[3] == "vehicle_no_show"
    assert pay[0] == "ATT BETALA" and pay[-1] == total[-1] - 150000
    assert total == before.rows[-1]
