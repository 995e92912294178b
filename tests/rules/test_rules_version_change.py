"""A trip whose legs fall on both sides of a rulebook version change: each leg is assessed
and priced under the version in force on its own day, and its reasons cite that version.

Jämtland Härjedalen raised the fee ceiling from 1 600 to 2 400 kr on 2021-05-01: with
1 500 kr paid, a taxi out on 30 April pays the last 100 kr of the old ceiling, and the
return on 1 May pays 200 kr under the new one."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest
from rule_fixtures import leg, person, trip
from sjukresa_fixtures import jh, ledger

from samfard.errors import InputError
from samfard.rules import (
    AssessmentRequest,
    Mode,
    Permit,
    RulebookSet,
    Service,
    TravelDecision,
    assess,
    load_rulebooks,
)
from samfard.rules.decision import RulebookRef
from samfard.rules.facts import TransitLeg
from samfard.rules.loader import SHIPPED_ROOT

OLD, NEW = date(2017, 1, 1), date(2021, 5, 1)
EVE, MAY_DAY = date(2021, 4, 30), date(2021, 5, 1)
JH_2021 = person(
    "2380",
    decisions=(TravelDecision(Mode.TAXI, date(2021, 1, 1), date(2021, 12, 31)),),
    ledger=ledger("23", date(2020, 6, 1), date(2021, 6, 1), 1500),
)
ACROSS = (leg(40, day=EVE), leg(40, at=time(15), direction="return", day=MAY_DAY))


def test_each_leg_pays_under_the_version_of_its_day(rulebooks: RulebookSet) -> None:
    request = AssessmentRequest(JH_2021, jh(requested_mode=Mode.TAXI, legs=ACROSS))
    decision = assess(request, rulebooks)
    assert decision.outcome.value == "automatic"
    assert [fee.fee_ore for fee in decision.legs] == [10000, 20000]
    assert [fee.leg_index for fee in decision.legs] == [0, 1]
    file = "rulebooks/23/sjukresa.toml"
    assert decision.rulebooks == (RulebookRef(file, OLD), RulebookRef(file, NEW))
    capped = decision.reason("fee.ceiling")
    assert capped.text.startswith("leg 0:")
    assert capped.citation is not None
    assert (capped.citation.key, capped.citation.valid_from) == (
        "versions[0].ceiling.amount_kr",
        OLD,
    )
    second = [r for r in decision.reasons if r.code == "fee.leg" and r.text.startswith("leg 1:")]
    assert len(second) == 1 and second[0].citation is not None
    assert (second[0].citation.key, second[0].citation.valid_from) == (
        "versions[1].modes[2].fee_kr",
        NEW,
    )
    assert decision.ledger_after is not None and decision.ledger_after.paid_ore == 180000
    assert decision.ceiling is not None and decision.ceiling.amount_ore == 240000


def test_a_trip_within_one_version_is_untouched(rulebooks: RulebookSet) -> None:
    """Both legs on 1 May: one version, one rulebook reference, the new ceiling."""
    legs = (leg(40, day=MAY_DAY), leg(40, at=time(15), direction="return", day=MAY_DAY))
    request = AssessmentRequest(JH_2021, jh(requested_mode=Mode.TAXI, legs=legs))
    decision = assess(request, rulebooks)
    assert [fee.fee_ore for fee in decision.legs] == [20000, 20000]
    assert decision.rulebooks == (RulebookRef("rulebooks/23/sjukresa.toml", NEW),)


def test_a_missing_fact_names_its_leg_in_the_whole_trip(rulebooks: RulebookSet) -> None:
    """The return is assessed on its own under the new version; the error still says
    legs[1], the leg of the trip the caller sent."""
    legs = (
        leg(100, day=EVE, nearest_unit_km=Decimal(60)),
        leg(100, at=time(15), direction="return", day=MAY_DAY),
    )
    request = AssessmentRequest(
        JH_2021, jh(requested_mode=Mode.OWN_CAR, destination_is_nearest=False, legs=legs)
    )
    with pytest.raises(InputError) as error:
        assess(request, rulebooks)
    assert error.value.field == "legs[1].nearest_unit_km"
    assert error.value.message.startswith("leg 1:")


def _ornskoldsvik_with_a_new_rate(tmp_path: Path) -> RulebookSet:
    """Örnsköldsvik's file with a version from 2026-03-05 charging 6 kr/km outside the area."""
    root = tmp_path / "rulebooks" / "2284"
    root.mkdir(parents=True)
    text = (SHIPPED_ROOT / "2284" / "fardtjanst.toml").read_text(encoding="utf-8")
    version = text[text.index("\n[[versions]]\n") :]
    newer = version.replace("valid_from = 2024-01-01", "valid_from = 2026-03-05", 1).replace(
        'rate_kr_per_km = "5"', 'rate_kr_per_km = "6"'
    )
    (root / "fardtjanst.toml").write_text(text + "\n" + newer, encoding="utf-8")
    return load_rulebooks(tmp_path / "rulebooks")


def _out_and_back(used: int) -> AssessmentRequest:
    holder = person(
        "2284",
        permits=(Permit(Service.FARDTJANST, "2284", date(2025, 1, 1)),),
        outside_area_trips_this_year=used,
    )
    legs = (
        leg(20, origin="2284", destination="2280", day=date(2026, 3, 4)),
        leg(20, origin="2280", destination="2284", direction="return", day=date(2026, 3, 5)),
    )
    return AssessmentRequest(holder, trip(Service.FARDTJANST, "2284", legs))


def test_fardtjanst_legs_price_under_their_own_version(tmp_path: Path) -> None:
    """20 km outside the area: 100 kr at 5 kr/km on 4 March, 120 kr at 6 kr/km on 5 March."""
    books = _ornskoldsvik_with_a_new_rate(tmp_path)
    decision = assess(_out_and_back(0), books)
    assert [fee.fee_ore for fee in decision.legs] == [10000, 12000]
    assert [r.valid_from for r in decision.rulebooks] == [date(2024, 1, 1), date(2026, 3, 5)]


def test_the_yearly_quota_is_counted_across_the_versions(tmp_path: Path) -> None:
    """19 of 20 trips outside the area used: the outward leg takes the last, so the return,
    assessed under the next version, finds the quota used up."""
    books = _ornskoldsvik_with_a_new_rate(tmp_path)
    decision = assess(_out_and_back(19), books)
    assert decision.outcome.value == "refused"
    assert decision.reason("area.quota_used").citation is not None
    assert decision.legs == ()


def test_versions_that_choose_different_modes_go_to_an_assessor(rulebooks: RulebookSet) -> None:
    """Public transport first came with the 2021 version: the return, under it, goes by bus
    where the outward taxi is judged by the old rules alone. Each leg keeps its own mode;
    the trip's mode is the outward one, and a person decides, citing the new version."""
    bus = "buss 45 08:05–09:40"
    checked = (
        TransitLeg("outward", True, bus, bus, leave=time(8, 5), arrive=time(9, 40)),
        TransitLeg("return", True, bus, bus, leave=time(15, 5), arrive=time(16, 40)),
    )
    request = AssessmentRequest(
        person("2380"), jh(requested_mode=Mode.TAXI, legs=ACROSS, public_transport=checked)
    )
    decision = assess(request, rulebooks)
    assert decision.outcome.value == "needs_assessor"
    assert decision.chosen_mode is Mode.TAXI
    assert [fee.mode for fee in decision.legs] == [Mode.TAXI, Mode.PUBLIC_TRANSPORT]
    differ = [r for r in decision.reasons if r.text.startswith("leg 1: the version from")]
    assert len(differ) == 1 and differ[0].citation is not None
    assert (differ[0].code, differ[0].citation.key, differ[0].citation.valid_from) == (
        "authorisation.needs_decision",
        "versions[1].modes",
        NEW,
    )


def test_a_part_refused_refuses_the_trip_and_pays_nothing(rulebooks: RulebookSet) -> None:
    """Long-distance train came with the 2021 version: asked for the whole trip, the
    outward leg under the old version is refused, so no leg is priced, the ledger stays
    as it was and the return's late bus home offers no accommodation."""
    request = AssessmentRequest(
        JH_2021,
        jh(requested_mode=Mode.TRAIN, legs=ACROSS, public_transport_return=time(23, 40)),
    )
    decision = assess(request, rulebooks)
    assert decision.outcome.value == "refused"
    assert decision.reason("mode.not_allowed").citation is not None
    assert decision.legs == ()
    assert decision.ledger_after == JH_2021.ledger
    assert not decision.accommodation_offered
    assert "accommodation.offered" not in [r.code for r in decision.reasons]
