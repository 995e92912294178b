"""Small builders for rule tests: a leg, a traveller, a request, a table row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from samfard.rules import (
    AssessmentRequest,
    Decision,
    Issuer,
    Leg,
    RulebookSet,
    Service,
    TravellerFacts,
    Trip,
    assess,
)
from samfard.timeutil import local

DAY = date(2026, 3, 4)  # a Wednesday


def leg(
    km: str | int | Decimal = 10,
    *,
    at: time = time(9, 0),
    day: date = DAY,
    direction: str = "outward",
    origin: str = "2380",
    destination: str | None = None,
    **extra: Any,
) -> Leg:
    return Leg(
        direction=direction,
        depart_at=local(day, at),
        distance_km=Decimal(str(km)),
        origin_municipality=origin,
        destination_municipality=destination or origin,
        **extra,
    )


def round_trip(km: str | int, *, origin: str = "2380", **extra: Any) -> tuple[Leg, Leg]:
    return (
        leg(km, origin=origin, **extra),
        leg(km, at=time(15, 0), direction="return", origin=origin, **extra),
    )


def person(municipality: str = "2380", *, age: int = 50, **extra: Any) -> TravellerFacts:
    return TravellerFacts(age=age, municipality=municipality, county=municipality[:2], **extra)


CERTIFIED = Issuer("Sundsvalls sjukhus, medicin", date(2020, 1, 10), date(2027, 12, 31))


@dataclass(frozen=True)
class Case:
    """One row of a rule table: the request, and the exact amounts and rule expected."""

    name: str
    traveller: TravellerFacts
    trip: Trip
    outcome: str
    fees: tuple[int, ...]
    code: str
    key: str
    reimbursement: int = 0

    def request(self) -> AssessmentRequest:
        return AssessmentRequest(self.traveller, self.trip, issuers=(CERTIFIED,))


def check(case: Case, rulebooks: RulebookSet) -> Decision:
    """Assert the outcome, every leg's fee in öre, the reimbursement, and the cited rule."""
    decision = assess(case.request(), rulebooks)
    codes = [r.code for r in decision.reasons]
    assert decision.outcome.value == case.outcome, (case.name, decision.reasons)
    assert tuple(leg.fee_ore for leg in decision.legs) == case.fees, (case.name, codes)
    assert decision.reimbursement_ore == case.reimbursement, case.name
    reason = decision.reason(case.code)
    assert reason.citation is not None
    assert reason.citation.key == case.key, (case.name, reason.citation)
    assert reason.citation.file == decision.rulebooks[0].file
    return decision


def trip(service: Service, principal: str, legs: tuple[Leg, ...], **extra: Any) -> Trip:
    return Trip(service=service, principal=principal, legs=legs, **extra)
