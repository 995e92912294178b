"""Builders for the sjukresor rule tables: trips for each region, certificates, ledgers."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from rule_fixtures import CERTIFIED, person, round_trip, trip

from samfard.rules import Certificate, LedgerState, Mode, Service, TravelDecision, Trip
from samfard.timeutil import local

V1 = "versions[1]"
JH = person("2380")
VN = person("2281")
TAXI_DECISION = TravelDecision(Mode.TAXI, date(2026, 1, 1), date(2026, 12, 31))
COMPANION_DECISION = TravelDecision(None, date(2026, 1, 1), date(2026, 12, 31), companion=True)
BOOKED = local(date(2026, 3, 2), time(10, 0))  # Monday before the Wednesday trip
OLD_DAY = date(2020, 6, 3)


def jh(**extra: Any) -> Trip:
    """A doctor's visit in Östersund paid by Region Jämtland Härjedalen."""
    fields: dict[str, Any] = {"purpose": "doctor_visit"} | extra
    legs = fields.pop("legs", round_trip(40))
    return trip(Service.SJUKRESA, "23", legs, **fields)


def vn(**extra: Any) -> Trip:
    """A doctor's visit in Sundsvall paid by Region Västernorrland."""
    fields: dict[str, Any] = {"purpose": "doctor_visit"} | extra
    legs = fields.pop("legs", round_trip(40, origin="2281"))
    return trip(Service.SJUKRESA, "22", legs, **fields)


def cert(**extra: Any) -> Certificate:
    """A taxi certificate issued in advance by a certified unit."""
    fields: dict[str, Any] = {
        "issuer_unit": CERTIFIED.unit,
        "issued_on": date(2026, 2, 20),
        "valid_from": date(2026, 2, 20),
        "valid_until": date(2026, 6, 30),
        "modes": (Mode.TAXI,),
    } | extra
    return Certificate(**fields)


def ledger(
    principal: str, start: date, end: date, paid_kr: int, free: date | None = None
) -> LedgerState:
    return LedgerState(principal, start, end, paid_kr * 100, free)


JH_TAXI = person("2380", decisions=(TAXI_DECISION,))
VN_CERT = person("2281", certificates=(cert(),))
FUNASDALEN = person("2361", listed_unit="halsocentral-funasdalen")
