"""Split a shared run's cost between its trips, then between the paying principals.

Method: each trip bears the run's cost in proportion to its standalone cost (what the
same contract would have charged to drive it alone, direct route, cheapest suitable
vehicle). Why this is fair, in short (docs/costs.md has the long form):
- every trip on a run gets the same relative saving, so no principal's travellers
  subsidise another's, and a stretcher trip carries its stretcher price;
- it depends on nothing the traveller cannot see (pickup order, detours made for others);
- when coordination saves money (run cost <= sum of standalone costs) no trip pays more
  than it would have alone.

Rounding: the exact shares are rational; each trip first gets the floor of its share in
öre, and the öre left over go one each to the trips with the largest remainders (largest
remainder method). Ties go to the larger weight, then to the smaller key in string order.
So shares are deterministic and add up to the run's cost exactly.

Goods (docs/goods.md) on a run share it by the same rule: a consignment's standalone cost
is its contract price (what its orderer agreed to pay to send it), so passengers and
goods each bear the run in proportion to what they would have cost on their own, and the
trips' and the goods' shares together add up to the run's cost exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from samfard.costs.contracts import Contract
from samfard.costs.pricing import RunCost, RunFacts, StandaloneCost, run_cost, standalone_cost
from samfard.errors import InputError
from samfard.money import Ore


def largest_remainder(total: Ore, weights: Sequence[tuple[str, int]]) -> dict[str, Ore]:
    """Split `total` öre in proportion to integer weights; the parts add up to `total`.

    All-zero weights split evenly (a run of free trips still has to be paid by someone).
    """
    if total < 0:
        raise InputError(f"the amount to split must be zero or more, got {total}", field="total")
    if not weights:
        raise InputError("nothing to split the amount between", field="weights")
    keys = [key for key, _ in weights]
    if len(set(keys)) != len(keys):
        raise InputError("each share needs its own key; a key appears twice", field="weights")
    for key, weight in weights:
        if weight < 0:
            raise InputError(f"weight of {key} must be zero or more, got {weight}", field=key)
    if sum(w for _, w in weights) == 0:
        weights = [(key, 1) for key in keys]
    whole = sum(w for _, w in weights)
    parts: dict[str, Ore] = {}
    remainders: list[tuple[int, int, str]] = []
    for key, weight in weights:
        quotient, remainder = divmod(total * weight, whole)
        parts[key] = quotient
        remainders.append((remainder, weight, key))
    left = total - sum(parts.values())
    remainders.sort(key=lambda r: (-r[0], -r[1], r[2]))
    for _, _, key in remainders[:left]:
        parts[key] += 1
    return parts


@dataclass(frozen=True)
class TripShare:
    """One trip's part of a run: its standalone cost, what it bears, what it saved."""

    trip_id: str
    principal: str
    service: str
    passengers: int
    standalone: Ore
    allocated: Ore

    @property
    def saving(self) -> Ore:
        """Coordination saving (samordningsvinst) of this trip; negative if it lost."""
        return self.standalone - self.allocated


@dataclass(frozen=True)
class PrincipalShare:
    """A principal's (huvudman's) part of a run: the sum of its trips' shares."""

    principal: str
    standalone: Ore
    allocated: Ore

    @property
    def saving(self) -> Ore:
        return self.standalone - self.allocated


@dataclass(frozen=True)
class GoodsShare:
    """One consignment's part of a run: its contract price and what it bears."""

    goods_id: str
    principal: str
    standalone: Ore
    allocated: Ore

    @property
    def saving(self) -> Ore:
        return self.standalone - self.allocated


@dataclass(frozen=True)
class RunAllocation:
    """A run's cost, split to trips and to principals; both splits add up to `cost.total`."""

    cost: RunCost
    trips: tuple[TripShare, ...]
    principals: tuple[PrincipalShare, ...]
    goods: tuple[GoodsShare, ...] = ()

    @property
    def standalone(self) -> Ore:
        return sum(t.standalone for t in self.trips) + sum(g.standalone for g in self.goods)

    @property
    def saving(self) -> Ore:
        return self.standalone - self.cost.total


def allocate_run(
    run: RunFacts, cost: RunCost, standalone: Mapping[str, StandaloneCost | Ore]
) -> RunAllocation:
    """Split a priced run by the standalone costs of its trips (keyed by trip id) and the
    contract prices of its goods."""
    weights: list[tuple[str, int]] = []
    for trip in run.trips:
        if trip.trip_id not in standalone:
            raise InputError(
                f"run {run.run_id}: no standalone cost given for trip {trip.trip_id}",
                field="standalone",
            )
        value = standalone[trip.trip_id]
        weights.append((trip.trip_id, value if isinstance(value, int) else value.total))
    trip_weights = list(weights)
    weights += [(g.goods_id, g.price) for g in run.goods]
    parts = largest_remainder(cost.total, weights)
    trip_shares = tuple(
        TripShare(t.trip_id, t.principal, t.service, t.passengers, w, parts[t.trip_id])
        for t, (_, w) in zip(run.trips, trip_weights, strict=True)
    )
    goods_shares = tuple(
        GoodsShare(g.goods_id, g.principal, g.price, parts[g.goods_id]) for g in run.goods
    )
    by_principal: dict[str, tuple[Ore, Ore]] = {}
    shares: tuple[TripShare | GoodsShare, ...] = (*trip_shares, *goods_shares)
    for share in shares:
        alone, borne = by_principal.get(share.principal, (0, 0))
        by_principal[share.principal] = (alone + share.standalone, borne + share.allocated)
    principals = tuple(
        PrincipalShare(code, alone, borne) for code, (alone, borne) in sorted(by_principal.items())
    )
    return RunAllocation(cost, trip_shares, principals, goods_shares)


def settle_run(contract: Contract, run: RunFacts) -> RunAllocation:
    """Price a run and its trips' counterfactuals under one contract, then split the cost."""
    cost = run_cost(contract, run)
    alone = {t.trip_id: standalone_cost(contract, t, run) for t in run.trips}
    return allocate_run(run, cost, alone)
