"""Allocation: shares add up to the run's cost to the öre, and follow standalone costs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from cost_fixtures import MONDAY_10, trip
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samfard.costs.allocation import largest_remainder, settle_run
from samfard.costs.contracts import Contract, VehicleType
from samfard.costs.pricing import RunFacts
from samfard.errors import InputError


def shared_run(*trips: tuple[str, str, str, str]) -> RunFacts:
    return RunFacts(
        run_id="r1",
        vehicle_type=VehicleType.TAXI,
        start=MONDAY_10,
        end=MONDAY_10 + timedelta(minutes=45),
        driven_km=Decimal(30),
        driving_minutes=Decimal(40),
        waiting_minutes=Decimal(5),
        trips=tuple(trip(i, km, mins, principal=p) for i, km, mins, p in trips),
    )


def test_two_trip_run_split_by_hand(taxi_2026: Contract) -> None:
    """Run 550 kr; alone 360 kr and 285 kr. Exact shares 306.9767 and 243.0233 kr:
    floors 30697 + 24302 öre leave 1 öre, which goes to the larger remainder (trip a)."""
    settled = settle_run(taxi_2026, shared_run(("a", "20", "25", "23"), ("b", "15", "20", "2380")))
    shares = {t.trip_id: t for t in settled.trips}
    assert shares["a"].standalone == 36000 and shares["b"].standalone == 28500
    assert shares["a"].allocated == 30698 and shares["b"].allocated == 24302
    assert settled.saving == 9500
    by_principal = {p.principal: p for p in settled.principals}
    assert by_principal["23"].allocated == 30698
    assert by_principal["2380"].saving == 28500 - 24302


def test_tie_goes_to_larger_weight_then_smaller_key() -> None:
    assert largest_remainder(1, [("b", 1), ("a", 1)]) == {"a": 1, "b": 0}
    assert largest_remainder(2, [("x", 1), ("y", 1), ("z", 1)]) == {"x": 1, "y": 1, "z": 0}
    assert largest_remainder(10, [("a", 0), ("b", 0)]) == {"a": 5, "b": 5}


def test_negative_total_or_weight_is_refused() -> None:
    with pytest.raises(InputError, match="zero or more"):
        largest_remainder(-1, [("a", 1)])
    with pytest.raises(InputError, match="weight of a"):
        largest_remainder(5, [("a", -1)])


@given(
    total=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12),
)
def test_largest_remainder_is_exact_and_within_one_ore_of_the_exact_share(
    total: int, weights: list[int]
) -> None:
    keyed = [(f"t{i}", w) for i, w in enumerate(weights)]
    parts = largest_remainder(total, keyed)
    assert sum(parts.values()) == total
    whole = sum(weights) or len(weights)
    for key, weight in keyed:
        exact = Fraction(total * (weight if sum(weights) else 1), whole)
        assert exact - 1 < parts[key] < exact + 1


trip_strategy = st.tuples(
    st.decimals(min_value=0, max_value=300, places=1),
    st.decimals(min_value=0, max_value=240, places=0),
    st.sampled_from(["23", "22", "2380", "2281"]),
)


# The contract fixture is a frozen dataclass, so reusing it across examples is safe.
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    trips=st.lists(trip_strategy, min_size=1, max_size=8),
    km=st.decimals(min_value=0, max_value=500, places=1),
    minutes=st.decimals(min_value=0, max_value=400, places=0),
    waiting=st.decimals(min_value=0, max_value=120, places=0),
    start_hour=st.integers(min_value=0, max_value=23),
)
def test_random_runs_allocate_to_the_ore(
    taxi_2026: Contract,
    trips: list[tuple[Decimal, Decimal, str]],
    km: Decimal,
    minutes: Decimal,
    waiting: Decimal,
    start_hour: int,
) -> None:
    """Trip shares and principal shares each add up to the run's cost exactly."""
    start = MONDAY_10.replace(hour=start_hour)
    run = RunFacts(
        run_id="r",
        vehicle_type=VehicleType.TAXI,
        start=start,
        end=start + timedelta(minutes=int(minutes + waiting)),
        driven_km=km,
        driving_minutes=minutes,
        waiting_minutes=waiting,
        trips=tuple(
            trip(f"t{i}", str(k), str(m), at=start, principal=p)
            for i, (k, m, p) in enumerate(trips)
        ),
    )
    settled = settle_run(taxi_2026, run)
    assert sum(t.allocated for t in settled.trips) == settled.cost.total
    assert sum(p.allocated for p in settled.principals) == settled.cost.total
    assert sum(p.saving for p in settled.principals) == settled.saving


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    trips=st.lists(trip_strategy, min_size=2, max_size=6),
    detour=st.decimals(min_value=0, max_value=1, places=2),
)
def test_when_coordination_saves_no_trip_pays_more_than_alone(
    taxi_2026: Contract, trips: list[tuple[Decimal, Decimal, str]], detour: Decimal
) -> None:
    """Individual rationality of the proportional split, up to the 1 öre of rounding: a run
    that drives the longest trip and at most the other trips' distance again is cheaper
    than the trips alone, and then no trip bears more than its standalone cost."""
    legs = [trip(f"t{i}", str(k), str(m), principal=p) for i, (k, m, p) in enumerate(trips)]
    longest = max(legs, key=lambda t: t.direct_km)
    rest_km = sum(t.direct_km for t in legs) - longest.direct_km
    rest_min = sum(t.direct_minutes for t in legs) - longest.direct_minutes
    run = RunFacts(
        run_id="r",
        vehicle_type=VehicleType.TAXI,
        start=MONDAY_10,
        end=MONDAY_10 + timedelta(hours=8),
        driven_km=longest.direct_km + rest_km * detour,
        driving_minutes=longest.direct_minutes + rest_min * detour,
        waiting_minutes=Decimal(0),
        trips=tuple(legs),
    )
    settled = settle_run(taxi_2026, run)
    assert settled.cost.total <= settled.standalone  # one start fee instead of several
    assert all(t.allocated <= t.standalone + 1 for t in settled.trips)


@given(
    total=st.integers(min_value=0, max_value=10**6),
    weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8),
    data=st.data(),
)
def test_split_does_not_depend_on_the_order_of_trips(
    total: int, weights: list[int], data: st.DataObject
) -> None:
    """Ties are broken by weight and key, never by position: any order, same öre."""
    keyed = [(f"t{i}", w) for i, w in enumerate(weights)]
    shuffled = data.draw(st.permutations(keyed))
    assert largest_remainder(total, keyed) == largest_remainder(total, shuffled)
