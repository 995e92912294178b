"""Carrier contracts and their tariffs, validated where they are made.

A contract (avtal) binds a carrier (transportör) to prices for some vehicle types over a
validity period and an area. Procured carriers bill by a price list (prislista): a taxi
meter with surcharges. The own fleet (egen regi) has no price list but a cost model, so
both are tariffs of a contract and the run cost code can treat them alike.

Everything here is plain data with no clock: the caller passes the day. `parse_contract`
builds a contract from a plain mapping (a JSON body, a TOML file, a database row) and
names the contract and the field in every refusal.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from samfard.errors import Conflict, InputError, NotFound
from samfard.money import Ore


class VehicleType(enum.StrEnum):
    """Vehicle type (fordonstyp) a contract prices."""

    TAXI = "taxi"  # taxi, personbil (same values as planning.model.VehicleType)
    MINIBUS = "minibus"  # storbil
    WHEELCHAIR = "wheelchair"  # rullstolsfordon
    STRETCHER = "stretcher"  # bårbil, liggande transport


class Need(enum.StrEnum):
    """A traveller's need that only some vehicle types can meet."""

    WHEELCHAIR = "wheelchair"
    STRETCHER = "stretcher"


CAPABILITIES: Mapping[VehicleType, frozenset[Need]] = {
    VehicleType.TAXI: frozenset(),
    VehicleType.MINIBUS: frozenset(),
    VehicleType.WHEELCHAIR: frozenset({Need.WHEELCHAIR}),
    VehicleType.STRETCHER: frozenset({Need.STRETCHER}),
}


def suitable(vehicle_type: VehicleType, needs: Iterable[Need]) -> bool:
    """True if the vehicle type meets every need (a car carries no wheelchair)."""
    return frozenset(needs) <= CAPABILITIES[vehicle_type]


def _non_negative(owner: str, name: str, value: int | Decimal) -> None:
    if value < 0:
        raise InputError(f"{owner}: {name} must be zero or more, got {value}", field=name)


@dataclass(frozen=True)
class PriceList:
    """Price list (prislista) of one vehicle type under a procured contract.

    Rates are öre (Decimal allowed for per-km and per-minute rates, e.g. 1 452.5 öre/km).
    Surcharges are percentages of the metered price (start fee + distance + time), because
    the regions' tariffs state them so ("natt +20 %"); night and weekend add, not compound.
    Supplements are fixed öre per trip on board that needs the equipment.
    """

    vehicle_type: VehicleType
    start_fee: Ore
    per_km: Decimal
    per_driving_minute: Decimal
    per_waiting_minute: Decimal
    night_surcharge_pct: Decimal = Decimal(0)
    weekend_surcharge_pct: Decimal = Decimal(0)
    night_start: time = time(22, 0)
    night_end: time = time(6, 0)
    wheelchair_supplement: Ore = 0
    stretcher_supplement: Ore = 0

    def __post_init__(self) -> None:
        owner = f"price list for {self.vehicle_type.value}"
        for name in (
            "start_fee",
            "per_km",
            "per_driving_minute",
            "per_waiting_minute",
            "night_surcharge_pct",
            "weekend_surcharge_pct",
            "wheelchair_supplement",
            "stretcher_supplement",
        ):
            _non_negative(owner, name, getattr(self, name))
        if self.night_start == self.night_end:
            raise InputError(
                f"{owner}: night_start and night_end are both {self.night_start:%H:%M}; "
                "give an interval such as 22:00-06:00",
                field="night_start",
            )

    def is_night(self, at: time) -> bool:
        """Whether a local wall-clock time falls in the night interval (may wrap midnight)."""
        if self.night_start < self.night_end:
            return self.night_start <= at < self.night_end
        return at >= self.night_start or at < self.night_end


@dataclass(frozen=True)
class FleetCostModel:
    """Cost model of the own fleet (egen regi) for one vehicle type.

    The fixed cost per vehicle-day (vehicle, insurance, depot) is shared by all runs of
    that vehicle on that day; how to share it is the caller's choice, given per run as
    `RunFacts.vehicle_day_share` (see pricing). `driver_on_cost_pct` is the employer's
    on-cost on the wage (employer contributions, pension, insurance: PO-pålägg), so a
    driver hour costs `driver_per_hour` × (1 + on-cost / 100).
    """

    vehicle_type: VehicleType
    fixed_per_vehicle_day: Ore
    driver_per_hour: Ore
    per_km: Decimal
    driver_on_cost_pct: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        owner = f"own-fleet cost model for {self.vehicle_type.value}"
        for name in ("fixed_per_vehicle_day", "driver_per_hour", "per_km", "driver_on_cost_pct"):
            _non_negative(owner, name, getattr(self, name))

    @property
    def driver_cost_per_hour(self) -> Decimal:
        """What a paid driver hour costs the region, on-costs included (öre)."""
        return self.driver_per_hour * (1 + self.driver_on_cost_pct / 100)


Tariff = PriceList | FleetCostModel


@dataclass(frozen=True)
class PenaltyTerm:
    """Penalty (vite) a contract charges the carrier for an upheld deviation.

    `kind` is a deviation kind ("late", "vehicle_no_show", ...) and `severities` the
    patient-safety severities it applies to (all when empty); `amount` is öre per upheld
    deviation. The terms are data of the contract, read by quality when a deviation
    against the carrier is decided; this module knows the words only as strings.
    """

    kind: str
    amount: Ore
    severities: frozenset[str] = frozenset()
    text: str = ""

    def __post_init__(self) -> None:
        if not self.kind.strip():
            raise InputError("penalty term: kind must not be empty", field="penalties")
        _non_negative(f"penalty term for {self.kind}", "amount", self.amount)

    def applies(self, kind: str, severity: str) -> bool:
        return self.kind == kind and (not self.severities or severity in self.severities)


@dataclass(frozen=True)
class Contract:
    """Contract (avtal) of a carrier: tariffs per vehicle type, validity, area served.

    `valid_to` is inclusive and None means open-ended. `area` holds the municipality codes
    (SCB kommunkod) where the carrier picks up under this contract; empty means anywhere.
    """

    code: str
    carrier: str
    valid_from: date
    valid_to: date | None
    area: frozenset[str]
    tariffs: tuple[Tariff, ...]
    own_fleet: bool = False
    penalties: tuple[PenaltyTerm, ...] = ()
    vehicle_types: frozenset[VehicleType] = field(init=False)

    def __post_init__(self) -> None:
        where = f"contract {self.code}"
        if not self.code.strip():
            raise InputError("contract code must not be empty", field="code")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise InputError(
                f"{where}: valid_to {self.valid_to} is before valid_from {self.valid_from}",
                field="valid_to",
            )
        if not self.tariffs:
            raise InputError(f"{where}: prices no vehicle type", field="tariffs")
        kinds = [t.vehicle_type for t in self.tariffs]
        doubles = sorted({k.value for k in kinds if kinds.count(k) > 1})
        if doubles:
            raise InputError(
                f"{where}: vehicle type {', '.join(doubles)} is priced twice", field="tariffs"
            )
        wrong = FleetCostModel if not self.own_fleet else PriceList
        if any(isinstance(t, wrong) for t in self.tariffs):
            expected = "own-fleet cost models" if self.own_fleet else "price lists"
            raise InputError(f"{where}: tariffs must all be {expected}", field="tariffs")
        object.__setattr__(self, "vehicle_types", frozenset(kinds))

    def covers(self, day: date) -> bool:
        """Whether the contract is valid on a day (both ends inclusive)."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def serves(self, municipality: str) -> bool:
        """Whether the contract covers pickups in a municipality (empty area: everywhere)."""
        return not self.area or municipality in self.area

    def penalty_for(self, kind: str, severity: str) -> PenaltyTerm | None:
        """The first penalty term that applies to a deviation of a kind and severity."""
        return next((t for t in self.penalties if t.applies(kind, severity)), None)

    def tariff_for(self, vehicle_type: VehicleType) -> Tariff:
        """The tariff of a vehicle type; refused, naming the contract, if it is not priced."""
        for tariff in self.tariffs:
            if tariff.vehicle_type == vehicle_type:
                return tariff
        priced = ", ".join(sorted(v.value for v in self.vehicle_types))
        raise InputError(
            f"contract {self.code} does not price vehicle type '{vehicle_type.value}' "
            f"(it prices: {priced})",
            field="vehicle_type",
        )


def _overlap(a: Contract, b: Contract) -> bool:
    a_end = a.valid_to or date.max
    b_end = b.valid_to or date.max
    return a.valid_from <= b_end and b.valid_from <= a_end


def validate_contracts(contracts: Iterable[Contract]) -> None:
    """Refuse two contracts of one carrier whose validity overlaps for a vehicle type.

    Otherwise the price of a run would depend on which contract is looked up first.
    """
    seen: list[Contract] = []
    for contract in sorted(contracts, key=lambda c: (c.carrier, c.valid_from, c.code)):
        for other in seen:
            if other.carrier != contract.carrier or not _overlap(other, contract):
                continue
            shared = contract.vehicle_types & other.vehicle_types
            if shared:
                kinds = ", ".join(sorted(v.value for v in shared))
                raise Conflict(
                    f"contract {contract.code} (valid {_period(contract)}) overlaps contract "
                    f"{other.code} (valid {_period(other)}) for carrier {contract.carrier} "
                    f"and vehicle type {kinds}",
                    field="valid_from",
                )
        seen.append(contract)


def _period(contract: Contract) -> str:
    end = contract.valid_to.isoformat() if contract.valid_to else "open"
    return f"{contract.valid_from.isoformat()} to {end}"


def find_contract(
    contracts: Iterable[Contract],
    *,
    carrier: str,
    vehicle_type: VehicleType,
    day: date,
    municipality: str | None = None,
) -> Contract:
    """The contract that prices a carrier's vehicle type on a day, optionally for pickups
    in a municipality (validated contracts: at most one per carrier, type and day)."""
    for contract in contracts:
        if (
            contract.carrier == carrier
            and vehicle_type in contract.vehicle_types
            and contract.covers(day)
            and (municipality is None or contract.serves(municipality))
        ):
            return contract
    where = f" in municipality {municipality}" if municipality else ""
    raise NotFound(
        f"no contract of carrier {carrier} prices vehicle type '{vehicle_type.value}' "
        f"on {day.isoformat()}{where}",
        field="vehicle_type",
    )


def _easter(year: int) -> date:
    """Easter Sunday, Gregorian calendar (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * el) // 433
    month = (h + el - 7 * m + 90) // 25
    return date(year, month, (h + el - 7 * m + 33 * month + 19) % 32)


def _first_weekday_from(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


@cache
def swedish_holidays(year: int) -> frozenset[date]:
    """Public holidays plus the eves taxi tariffs price as holidays (midsummer, Christmas,
    New Year's Eve), per Lag (1989:253) om allmänna helgdagar."""
    easter = _easter(year)
    midsummer_day = _first_weekday_from(date(year, 6, 20), 5)
    return frozenset(
        {
            date(year, 1, 1),
            date(year, 1, 6),
            easter - timedelta(days=2),
            easter,
            easter + timedelta(days=1),
            date(year, 5, 1),
            easter + timedelta(days=39),
            easter + timedelta(days=49),
            date(year, 6, 6),
            midsummer_day - timedelta(days=1),
            midsummer_day,
            _first_weekday_from(date(year, 10, 31), 5),
            date(year, 12, 24),
            date(year, 12, 25),
            date(year, 12, 26),
            date(year, 12, 31),
        }
    )


def is_weekend_rate_day(day: date) -> bool:
    """Saturday, Sunday or a Swedish holiday: the days the weekend surcharge applies."""
    return day.weekday() >= 5 or day in swedish_holidays(day.year)


_PRICE_FIELDS = ("per_km", "per_driving_minute", "per_waiting_minute")
_PCT_FIELDS = ("night_surcharge_pct", "weekend_surcharge_pct", "driver_on_cost_pct")


def _tariff(where: str, raw: Mapping[str, Any], own_fleet: bool) -> Tariff:
    data = dict(raw)
    try:
        data["vehicle_type"] = VehicleType(data["vehicle_type"])
        for name in (*_PRICE_FIELDS, *_PCT_FIELDS):
            if name in data:
                data[name] = Decimal(str(data[name]))
        for name in ("night_start", "night_end"):
            if isinstance(data.get(name), str):
                data[name] = time.fromisoformat(data[name])
        return FleetCostModel(**data) if own_fleet else PriceList(**data)
    except InputError as error:
        raise InputError(f"{where}: {error.message}", field=error.field) from error
    except (KeyError, ValueError, TypeError, InvalidOperation) as error:
        raise InputError(f"{where}: {error}", field="tariffs") from error


def parse_contract(raw: Mapping[str, Any]) -> Contract:
    """A contract from plain data; every refusal names the contract and the field.

    Dates are ISO strings or dates; rates are strings or numbers read as Decimal.
    """
    code = str(raw.get("code", "")).strip() or "(no code)"
    where = f"contract {code}"
    own_fleet = bool(raw.get("own_fleet", False))
    tariffs = []
    for raw_tariff in raw.get("tariffs", ()):
        kind = raw_tariff.get("vehicle_type", "?")
        tariffs.append(_tariff(f"{where}, tariff {kind}", raw_tariff, own_fleet))
    for name in ("carrier", "valid_from"):
        if raw.get(name) is None:
            raise InputError(f"{where}: missing field {name}", field=name)
    valid_to = raw.get("valid_to")
    penalties = tuple(_penalty(where, p) for p in raw.get("penalties", ()) or ())
    return Contract(
        code=code,
        carrier=str(raw["carrier"]),
        valid_from=_as_date(where, "valid_from", raw["valid_from"]),
        valid_to=None if valid_to is None else _as_date(where, "valid_to", valid_to),
        area=frozenset(str(a) for a in raw.get("area", ())),
        tariffs=tuple(tariffs),
        own_fleet=own_fleet,
        penalties=penalties,
    )


def _penalty(where: str, raw: Mapping[str, Any]) -> PenaltyTerm:
    """A penalty term from a mapping: kind, amount (öre), optional severities and text."""
    try:
        return PenaltyTerm(
            kind=str(raw["kind"]),
            amount=int(raw["amount"]),
            severities=frozenset(str(s) for s in raw.get("severities", ())),
            text=str(raw.get("text", "")),
        )
    except InputError as error:
        raise InputError(f"{where}: {error.message}", field="penalties") from error
    except (KeyError, ValueError, TypeError) as error:
        raise InputError(
            f"{where}: a penalty term needs kind and amount (öre), got {dict(raw)!r}",
            field="penalties",
        ) from error


def _as_date(where: str, name: str, value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise InputError(
            f"{where}: {name} must be a date like 2026-01-01, got {value!r}", field=name
        ) from error
