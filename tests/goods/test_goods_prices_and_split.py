"""Goods price lists (pure) and the split of a shared run between passengers and goods:
a consignment's standalone cost is its contract price, and the shares add up to the run's
cost to the öre for any prices (property test)."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samfard.costs.allocation import settle_run
from samfard.costs.contracts import Contract, VehicleType, find_contract, parse_contract
from samfard.costs.pricing import GoodsFacts, RunFacts, TripFacts
from samfard.costs.service import DEMO_CONTRACTS
from samfard.errors import InputError
from samfard.goods.prices import GoodsKind, find_price_list, parse_price_list
from samfard.timeutil import STOCKHOLM

LIST_23 = {
    "code": "GODS-23-2026",
    "principal": "23",
    "valid_from": "2026-01-01",
    "prices": [
        {"kind": "parcel", "per_consignment": 6500, "per_unit": 1500},
        {"kind": "aid", "per_consignment": 18000, "per_unit": 4000},
    ],
}
START = datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM)


def test_a_price_is_per_consignment_plus_per_unit_in_whole_ore() -> None:
    prices = parse_price_list(LIST_23)
    assert prices.price(GoodsKind.PARCEL, 3) == 6500 + 3 * 1500
    assert prices.price(GoodsKind.AID, 1) == 18000 + 4000


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"prices": [{"kind": "parcel", "per_consignment": 65.5, "per_unit": 0}]},
            "per_consignment",
        ),
        ({"prices": [{"kind": "parcel", "per_consignment": -1, "per_unit": 0}]}, "per_consignment"),
        ({"prices": [{"kind": "sofa", "per_consignment": 1, "per_unit": 0}]}, "kind"),
        ({"prices": [LIST_23["prices"][0], LIST_23["prices"][0]]}, "prices"),  # type: ignore[index]
        ({"prices": []}, "prices"),
        ({"valid_to": "2025-12-31"}, "valid_to"),
        ({"valid_from": "1 januari"}, "valid_from"),
        ({"code": ""}, "code"),
    ],
)
def test_a_bad_price_list_is_refused_naming_the_field(
    change: dict[str, object], field: str
) -> None:
    with pytest.raises(InputError) as refused:
        parse_price_list({**LIST_23, **change})
    assert refused.value.field == field


def test_the_list_valid_on_the_day_prices_it() -> None:
    old = parse_price_list(
        {**LIST_23, "code": "OLD", "valid_from": "2025-01-01", "valid_to": "2025-12-31"}
    )
    new = parse_price_list(LIST_23)
    assert find_price_list([old, new], principal="23", day=date(2026, 3, 1)).code == "GODS-23-2026"
    assert find_price_list([old, new], principal="23", day=date(2025, 3, 1)).code == "OLD"
    with pytest.raises(InputError, match="no goods price list"):
        find_price_list([old, new], principal="2380", day=date(2026, 3, 1))


def taxi_contract() -> Contract:
    contracts = []
    for path in sorted(DEMO_CONTRACTS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        head = data["carrier"]
        for raw in data["contracts"]:
            contracts.append(
                parse_contract(
                    {**raw, "carrier": head["name"], "own_fleet": head.get("own_fleet", False)}
                )
            )
    carrier = next(c.carrier for c in contracts if c.code == "JH-TAXI-2026")
    return find_contract(
        contracts, carrier=carrier, vehicle_type=VehicleType.TAXI, day=START.date()
    )


def shared_run(prices: list[int], km: str = "42.5") -> RunFacts:
    trips = tuple(
        TripFacts(
            trip_id=f"b{k}.0",
            principal="23",
            service="sjukresa",
            pickup_at=START + timedelta(minutes=5 * k),
            direct_km=Decimal("20") + k,
            direct_minutes=Decimal("25") + k,
        )
        for k in range(2)
    )
    goods = tuple(
        GoodsFacts(f"g{k}", "2380" if k % 2 else "23", price) for k, price in enumerate(prices)
    )
    return RunFacts(
        run_id="shared",
        vehicle_type=VehicleType.TAXI,
        start=START,
        end=START + timedelta(minutes=70),
        driven_km=Decimal(km),
        driving_minutes=Decimal("55"),
        waiting_minutes=Decimal("8"),
        trips=trips,
        goods=goods,
    )


def test_passengers_and_goods_bear_a_shared_run_in_proportion_to_their_standalone_cost() -> None:
    contract = taxi_contract()
    split = settle_run(contract, shared_run([8000, 21500]))
    assert sum(t.allocated for t in split.trips) + sum(g.allocated for g in split.goods) == (
        split.cost.total
    )
    assert [g.standalone for g in split.goods] == [8000, 21500]
    assert split.standalone == sum(t.standalone for t in split.trips) + 8000 + 21500
    by_principal = {p.principal: p for p in split.principals}
    assert by_principal["2380"].allocated == split.goods[1].allocated  # the municipality's aid
    # Every part saves the same share of its standalone cost (to rounding in öre).
    ratio = Decimal(split.cost.total) / split.standalone
    for part in (*split.trips, *split.goods):
        assert abs(part.allocated - ratio * part.standalone) < 1


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    prices=st.lists(st.integers(min_value=0, max_value=500_000), min_size=1, max_size=4),
    km=st.decimals(min_value=1, max_value=300, places=1),
)
def test_the_split_adds_up_to_the_run_cost_to_the_ore(prices: list[int], km: Decimal) -> None:
    split = settle_run(taxi_contract(), shared_run(prices, str(km)))
    parts = [t.allocated for t in split.trips] + [g.allocated for g in split.goods]
    assert sum(parts) == split.cost.total
    assert all(p >= 0 for p in parts)


def test_a_run_with_goods_only_is_priced_and_borne_by_the_goods() -> None:
    only_goods = RunFacts(
        run_id="goods",
        vehicle_type=VehicleType.TAXI,
        start=START,
        end=START + timedelta(minutes=30),
        driven_km=Decimal("15"),
        driving_minutes=Decimal("20"),
        waiting_minutes=Decimal("4"),
        trips=(),
        goods=(GoodsFacts("g1", "23", 8000), GoodsFacts("g2", "22", 8500)),
    )
    split = settle_run(taxi_contract(), only_goods)
    assert sum(g.allocated for g in split.goods) == split.cost.total > 0
    with pytest.raises(InputError, match="no trip and no goods"):
        RunFacts(
            run_id="empty",
            vehicle_type=VehicleType.TAXI,
            start=START,
            end=START,
            driven_km=Decimal(0),
            driving_minutes=Decimal(0),
            waiting_minutes=Decimal(0),
            trips=(),
        )
