"""Sjukresor rule table, Region Västernorrland: each row asserts the outcome, the exact fees and
reimbursement in öre, and the rulebook key the deciding reason cites."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from rule_fixtures import Case, check, leg, person, round_trip
from sjukresa_fixtures import (
    BOOKED,
    JH,
    V1,
    VN,
    VN_CERT,
    cert,
    jh,
    ledger,
    vn,
)

from samfard.assessment.service import decision_json
from samfard.assessment.words_sv import reason_sv
from samfard.rules import (
    AssessmentRequest,
    Mode,
    RulebookSet,
    assess,
)
from samfard.timeutil import local

CASES = [
    Case(
        "vn public transport ticket refunded",
        VN,
        vn(legs=round_trip(40, origin="2281", bus_fare_ore=6500)),
        "automatic",
        (0, 0),
        "fee.leg",
        f"{V1}.modes[0].fee_kr",
        13000,
    ),
    Case(
        "vn matfors to sundsvalls sjukhus by bus: the county fare refunded",
        VN,
        vn(destination_place="sundsvalls-sjukhus", legs=round_trip(17, origin="2281")),
        "automatic",
        (0, 0),
        "fee.fare_band.refund",
        f"{V1}.modes[0].refund_ticket",
        10400,
    ),
    Case(
        "vn own car paid only beyond 75 km",
        VN,
        vn(requested_mode=Mode.OWN_CAR, legs=round_trip(120, origin="2281")),
        "automatic",
        (0, 0),
        "fee.reimbursement",
        f"{V1}.modes[1].reimbursement_kr_per_km",
        16650,
    ),
    Case(
        "vn own car under 75 km gets nothing",
        VN,
        vn(requested_mode=Mode.OWN_CAR, legs=round_trip(60, origin="2281")),
        "automatic",
        (0, 0),
        "fee.reimbursement",
        f"{V1}.modes[1].reimbursement_kr_per_km",
        0,
    ),
    Case(
        "vn taxi with an advance certificate",
        VN_CERT,
        vn(requested_mode=Mode.TAXI, booked_at=BOOKED),
        "automatic",
        (20000, 20000),
        "authorisation.certificate",
        f"{V1}.modes[2].authorisation",
    ),
    Case(
        "vn taxi without certificate is refused",
        VN,
        vn(requested_mode=Mode.TAXI),
        "refused",
        (),
        "authorisation.no_certificate",
        f"{V1}.modes[2].authorisation",
    ),
    Case(
        "vn certificate must cover the return",
        person("2281", certificates=(cert(covers_return=False),)),
        vn(requested_mode=Mode.TAXI),
        "refused",
        (),
        "authorisation.no_certificate",
        f"{V1}.modes[2].authorisation",
    ),
    Case(
        "vn certificate from an uncertified unit is refused",
        person("2281", certificates=(cert(issuer_unit="Okänd mottagning"),)),
        vn(requested_mode=Mode.TAXI),
        "refused",
        (),
        "authorisation.no_certificate",
        f"{V1}.modes[2].authorisation",
    ),
    Case(
        "vn certificate written after the booking is refused",
        person("2281", certificates=(cert(issued_on=date(2026, 3, 3)),)),
        vn(requested_mode=Mode.TAXI, booked_at=BOOKED),
        "refused",
        (),
        "authorisation.no_certificate",
        f"{V1}.modes[2].authorisation",
    ),
    Case(
        "vn flight certificate does not cover taxi",
        person("2281", certificates=(cert(modes=(Mode.FLIGHT,)),)),
        vn(requested_mode=Mode.TAXI),
        "refused",
        (),
        "authorisation.no_certificate",
        f"{V1}.modes[2].authorisation",
    ),
    Case(
        "vn taxi booked one weekday ahead goes to assessor",
        VN_CERT,
        vn(requested_mode=Mode.TAXI, booked_at=local(date(2026, 3, 3), time(9))),
        "needs_assessor",
        (20000, 20000),
        "booking.late",
        f"{V1}.booking",
    ),
    Case(
        "vn taxi booked after 17:00 goes to assessor",
        VN_CERT,
        vn(requested_mode=Mode.TAXI, booked_at=local(date(2026, 3, 2), time(18, 30))),
        "needs_assessor",
        (20000, 20000),
        "booking.late",
        f"{V1}.booking",
    ),
    Case(
        "vn mammography is not reimbursed",
        VN,
        vn(purpose="mammography"),
        "refused",
        (),
        "purpose.not_reimbursed",
        f"{V1}.purposes.not_reimbursed[1]",
    ),
    Case(
        "vn wig fitting is not reimbursed",
        VN,
        vn(purpose="wig_fitting"),
        "refused",
        (),
        "purpose.not_reimbursed",
        f"{V1}.purposes.not_reimbursed[10]",
    ),
    Case(
        "vn calendar-year ceiling caps the crossing leg",
        person(
            "2281",
            certificates=(cert(),),
            ledger=ledger("22", date(2026, 1, 1), date(2027, 1, 1), 2350),
        ),
        vn(requested_mode=Mode.TAXI),
        "automatic",
        (5000, 0),
        "fee.ceiling",
        f"{V1}.ceiling.amount_kr",
    ),
    Case(
        "vn before 2023 the ceiling was 1 650 kr",
        person(
            "2281",
            certificates=(
                cert(
                    issued_on=date(2022, 5, 1),
                    valid_from=date(2022, 5, 1),
                    valid_until=date(2022, 6, 1),
                ),
            ),
            ledger=ledger("22", date(2022, 1, 1), date(2023, 1, 1), 1600),
        ),
        vn(requested_mode=Mode.TAXI, legs=round_trip(40, origin="2281", day=date(2022, 5, 4))),
        "automatic",
        (5000, 0),
        "fee.ceiling",
        "versions[0].ceiling.amount_kr",
    ),
    Case(
        "vn patient aged 19 rides free",
        person("2281", age=19, certificates=(cert(),)),
        vn(requested_mode=Mode.TAXI),
        "automatic",
        (0, 0),
        "fee.patient_free",
        f"{V1}.patient.free_to_age",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_sjukresa_rule_table(case: Case, rulebooks: RulebookSet) -> None:
    check(case, rulebooks)


def test_vn_own_car_does_not_touch_the_ceiling(rulebooks: RulebookSet) -> None:
    """Own car in Västernorrland does not count toward the fee ceiling."""
    state = ledger("22", date(2026, 1, 1), date(2027, 1, 1), 2399)
    request = AssessmentRequest(
        person("2281", ledger=state),
        vn(requested_mode=Mode.OWN_CAR, legs=round_trip(120, origin="2281")),
    )
    decision = assess(request, rulebooks)
    assert decision.ledger_after == state
    assert all(not fee.counts_toward_ceiling for fee in decision.legs)


def test_vn_refund_reads_the_fare_for_each_leg(rulebooks: RulebookSet) -> None:
    """The refunded ticket is Din Tur's ordinary fare for each leg's own distance, written
    on the leg (so the input hash carries it) and cited per leg."""
    legs = (
        leg(17, origin="2281"),
        leg(45, at=time(15), direction="return", origin="2281"),
    )
    decision = assess(AssessmentRequest(VN, vn(legs=legs)), rulebooks)
    assert [fee.reimbursement_ore for fee in decision.legs] == [5200, 7800]
    refunds = [r for r in decision.reasons if r.code == "fee.fare_band.refund"]
    assert [dict(r.facts)["bus_fare_ore"] for r in refunds] == ["5200", "7800"]
    assert refunds[1].text.startswith("leg 1:")


def test_a_region_that_refunds_no_ticket_gets_no_fare(rulebooks: RulebookSet) -> None:
    """Jämtland Härjedalen's bus is free and refunds nothing: its legs stay as given."""
    decision = assess(AssessmentRequest(JH, jh()), rulebooks)
    assert decision.reimbursement_ore == 0
    assert "fee.fare_band.refund" not in [r.code for r in decision.reasons]


@pytest.mark.parametrize(
    ("booked_at", "said"),
    [
        (
            local(date(2026, 3, 3), time(9)),
            "Resan beställdes 3 mars 2026, 1 vardag före resdagen; reglerna kräver minst 2 "
            "(helgdagar räknas inte).",
        ),
        (
            local(date(2026, 3, 2), time(18, 30)),
            "Resan beställdes kl. 18:30, utanför beställningstiden 07:00–17:00.",
        ),
    ],
)
def test_a_late_booking_says_which_rule_it_broke(
    booked_at: datetime, said: str, rulebooks: RulebookSet
) -> None:
    """Every late booking read "Resan beställdes senare än reglerna kräver", so nobody at
    the desk could tell the caller why (walk-through, seventh session of 2026-12-06)."""
    request = AssessmentRequest(VN_CERT, vn(requested_mode=Mode.TAXI, booked_at=booked_at))
    stored = decision_json(assess(request, rulebooks))  # as the booking stores it
    [late] = [r for r in stored["reasons"] if r["code"] == "booking.late"]
    assert reason_sv(late) == said
