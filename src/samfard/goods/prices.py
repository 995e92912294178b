"""Goods price lists as pure data: what an ordering principal pays per consignment.

A principal's contract for goods sets, per kind of goods, a price per consignment and a
price per unit, in whole öre: a parcel of 3 units at 4 500 öre + 1 200 öre/unit costs
8 100 öre. The price is fixed when the consignment is booked (a later price list does not
reprice it) and is the consignment's standalone cost when a shared run is split
(costs.allocation, docs/goods.md).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from samfard.errors import InputError
from samfard.money import Ore

MAX_PRICE_ORE = 100_000_000  # one million kronor: anything above is a typing error


class GoodsKind(enum.StrEnum):
    PARCEL = "parcel"  # bussgods
    AID = "aid"  # hjälpmedel


# Settlement books goods' shares of runs to this cost centre, on an object per kind, so a
# principal's monthly report shows what its goods cost apart from its travellers.
GOODS_COST_CENTRE = "GODS"
GOODS_COST_OBJECT = {GoodsKind.PARCEL: "bussgods", GoodsKind.AID: "hjalpmedel"}


@dataclass(frozen=True, slots=True)
class GoodsPrice:
    kind: GoodsKind
    per_consignment: Ore
    per_unit: Ore

    def price(self, units: int) -> Ore:
        return self.per_consignment + self.per_unit * units


@dataclass(frozen=True, slots=True)
class PriceList:
    code: str
    principal: str
    valid_from: date
    valid_to: date | None
    prices: tuple[GoodsPrice, ...]

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def price(self, kind: GoodsKind, units: int) -> Ore:
        for entry in self.prices:
            if entry.kind is kind:
                return entry.price(units)
        raise InputError(
            f"price list {self.code} of principal {self.principal} has no price for {kind.value}",
            field="kind",
        )


def _ore(raw: Mapping[str, Any], name: str, where: str) -> Ore:
    value = raw.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_PRICE_ORE:
        raise InputError(
            f"{where}: {name} must be whole öre between 0 and {MAX_PRICE_ORE}, got {value!r}",
            field=name,
        )
    return value


def _day(raw: Any, name: str, where: str) -> date:
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise InputError(f"{where}: {name} must be a date (YYYY-MM-DD), got {raw!r}", field=name)


def parse_price_list(raw: Mapping[str, Any]) -> PriceList:
    """A price list from its plain mapping (a TOML table or a stored row), checked whole."""
    code = raw.get("code")
    if not isinstance(code, str) or not 1 <= len(code) <= 40:
        raise InputError("a price list needs a code of 1 to 40 characters", field="code")
    where = f"price list {code}"
    principal = raw.get("principal")
    if not isinstance(principal, str) or not principal:
        raise InputError(f"{where}: principal must be a principal's code", field="principal")
    valid_from = _day(raw.get("valid_from"), "valid_from", where)
    valid_to = None if raw.get("valid_to") is None else _day(raw["valid_to"], "valid_to", where)
    if valid_to is not None and valid_to < valid_from:
        raise InputError(f"{where}: valid_to {valid_to} is before valid_from", field="valid_to")
    entries = raw.get("prices")
    if not isinstance(entries, Sequence) or isinstance(entries, str) or not entries:
        raise InputError(f"{where}: prices must list at least one kind", field="prices")
    prices: list[GoodsPrice] = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            raise InputError(f"{where}: each price must be a table", field="prices")
        try:
            kind = GoodsKind(str(entry.get("kind")))
        except ValueError:
            raise InputError(
                f"{where}: kind must be parcel or aid, got {entry.get('kind')!r}", field="kind"
            ) from None
        if any(p.kind is kind for p in prices):
            raise InputError(f"{where}: {kind.value} is priced twice", field="prices")
        prices.append(
            GoodsPrice(
                kind,
                _ore(entry, "per_consignment", where),
                _ore(entry, "per_unit", where),
            )
        )
    return PriceList(code, principal, valid_from, valid_to, tuple(prices))


def price_list_mapping(price_list: PriceList) -> dict[str, Any]:
    """The plain mapping of a price list's prices, as stored."""
    return {
        "prices": [
            {"kind": p.kind.value, "per_consignment": p.per_consignment, "per_unit": p.per_unit}
            for p in price_list.prices
        ]
    }


def find_price_list(lists: Sequence[PriceList], *, principal: str, day: date) -> PriceList:
    """The principal's price list valid on `day` (the latest starting one if several)."""
    valid = [p for p in lists if p.principal == principal and p.valid_on(day)]
    if not valid:
        raise InputError(
            f"principal {principal} has no goods price list valid on {day}: store one first "
            "(`samfard goods-prices load`, docs/goods.md)",
            field="principal",
        )
    return max(valid, key=lambda p: (p.valid_from, p.code))
