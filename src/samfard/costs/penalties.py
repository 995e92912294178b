"""Penalties (viten) charged to carriers: found in the contract, stored for settlement.

Quality decides that a deviation is the carrier's fault; this module looks up the
contract's term for the deviation's kind and severity and stores the charge, which the
carrier's invoice basis deducts and the monthly report shows beside the cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.costs.contracts import Contract, PenaltyTerm, VehicleType, find_contract
from samfard.costs.models import CarrierPenalty
from samfard.costs.stored_contracts import load_contracts
from samfard.errors import NotFound


@dataclass(frozen=True)
class PenaltyCase:
    """What the contract is asked about: whose deviation, which kind, how serious."""

    deviation_id: int
    deviation_ref: str
    carrier: str
    vehicle_type: str | None
    principal_code: str
    day: date
    kind: str
    severity: str


def contract_for(session: Session, case: PenaltyCase) -> Contract | None:
    """The carrier's contract in force on the day (for the trip's vehicle type if known)."""
    contracts = load_contracts(session)
    kinds = [VehicleType(case.vehicle_type)] if case.vehicle_type else list(VehicleType)
    for kind in kinds:
        try:
            return find_contract(contracts, carrier=case.carrier, vehicle_type=kind, day=case.day)
        except NotFound:
            continue
    return None


def _term(session: Session, case: PenaltyCase) -> tuple[Contract | None, PenaltyTerm | None]:
    """The carrier's contract that day and its penalty term for the case, if any."""
    contract = contract_for(session, case)
    return contract, contract.penalty_for(case.kind, case.severity) if contract else None


def penalty_amount(session: Session, case: PenaltyCase) -> int:
    """What `charge` would charge for the case (öre, 0 for nothing), charging nothing: the
    amount /kvalitet asks about before an upheld decision."""
    _, term = _term(session, case)
    return term.amount if term else 0


def charge(session: Session, case: PenaltyCase, *, by: str, now: datetime) -> CarrierPenalty | None:
    """Store the penalty the contract sets for the case (in the caller's transaction); None
    when the carrier has no contract that day or the contract sets no penalty for it."""
    contract, term = _term(session, case)
    if contract is None or term is None or term.amount == 0:
        return None
    penalty = CarrierPenalty(
        deviation_id=case.deviation_id,
        deviation_ref=case.deviation_ref,
        carrier=case.carrier,
        contract_code=contract.code,
        principal_code=case.principal_code,
        day=case.day,
        kind=case.kind,
        severity=case.severity,
        amount_ore=term.amount,
        term=(term.text or f"{case.kind}: {term.amount} öre")[:200],
        charged_at=now,
        charged_by=by,
    )
    session.add(penalty)
    session.flush()
    return penalty


def penalties(
    session: Session,
    *,
    first: date,
    last: date,
    carrier: str | None = None,
    principals: Iterable[str] | None = None,
) -> list[CarrierPenalty]:
    """Penalties of deviations whose day falls in [first, last], optionally of one carrier
    or some principals, oldest first."""
    statement = select(CarrierPenalty).where(
        CarrierPenalty.day >= first, CarrierPenalty.day <= last
    )
    if carrier is not None:
        statement = statement.where(CarrierPenalty.carrier == carrier)
    if principals is not None:
        statement = statement.where(CarrierPenalty.principal_code.in_(sorted(principals)))
    return list(session.scalars(statement.order_by(CarrierPenalty.day, CarrierPenalty.id)))


def penalty_sums(session: Session, *, first: date, last: date, principal: str) -> dict[str, int]:
    """Penalty öre per carrier for one principal's deviations in a period."""
    rows = session.execute(
        select(CarrierPenalty.carrier, func.sum(CarrierPenalty.amount_ore))
        .where(
            CarrierPenalty.day >= first,
            CarrierPenalty.day <= last,
            CarrierPenalty.principal_code == principal,
        )
        .group_by(CarrierPenalty.carrier)
    ).all()
    return {carrier: int(total or 0) for carrier, total in rows}
