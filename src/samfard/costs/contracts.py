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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from samfard.costs.amounts import percent, rate_ore, shown, whole_ore
from samfard.errors import Conflict, InputError, NotFound
from samfard.holidays_sv import swedish_holidays
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


def _check_fields(owner: str, tariff: PriceList | FleetCostModel) -> None:
    """Read every field of a tariff as its reader says (whole öre, rate, percentage, time),
    so a tariff made in code meets the same checks as one parsed from a file."""
    for name, reader in _READERS.items():
        if hasattr(tariff, name):
            object.__setattr__(tariff, name, reader(owner, name, getattr(tariff, name)))


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
        owner = f"price list for {self.vehicle_type}"
        _check_fields(owner, self)
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
        _check_fields(f"own-fleet cost model for {self.vehicle_type}", self)

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
        object.__setattr__(
            self, "amount", whole_ore(f"penalty term for {self.kind}", "amount", self.amount)
        )

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


class ContractUnreadable(NotFound):
    """A stored contract that would price a run cannot be read (it was stored before a
    check that now refuses it).

    A NotFound, so a caller that can do without a contract does so as before (planning
    weighs the vehicle by its stored per-vehicle costs); one that must price the run
    (settlement) reports it, naming the contract, the field and the remedy. 409: the
    request is sound, the stored contract is not.
    """

    status = 409
    title = "Contract cannot be read"


@dataclass(frozen=True)
class UnreadableContract:
    """A stored contract row `parse_contract` refuses, kept so that a lookup it would have
    answered says why there is no contract instead of only that there is none.

    `vehicle_types` are the types its tariffs name (empty when even those are unreadable:
    then it may price any type).
    """

    code: str
    carrier: str
    valid_from: date
    valid_to: date | None
    vehicle_types: frozenset[str]
    problem: InputError

    def would_price(self, carrier: str, vehicle_type: VehicleType, day: date) -> bool:
        """Whether the contract, were it readable, could be the one for a lookup."""
        return (
            self.carrier == carrier
            and self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
            and (not self.vehicle_types or vehicle_type.value in self.vehicle_types)
        )


class StoredContracts(list[Contract]):
    """The stored contracts that parse, and (`unreadable`) those that do not.

    A bad row used to stop every day's planning and settlement; now only the lookups it
    would have answered fail, and they name it (see `find_contract`).
    """

    def __init__(
        self, readable: Iterable[Contract], unreadable: Iterable[UnreadableContract] = ()
    ) -> None:
        super().__init__(readable)
        self.unreadable = tuple(unreadable)


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
    missing = (
        f"no contract of carrier {carrier} prices vehicle type '{vehicle_type.value}' "
        f"on {day.isoformat()}{where}"
    )
    unreadable = contracts.unreadable if isinstance(contracts, StoredContracts) else ()
    for bad in unreadable:
        if bad.would_price(carrier, vehicle_type, day):
            raise ContractUnreadable(
                f"{missing}: stored contract {bad.code} cannot be read ({bad.problem.message}); "
                f"correct it in its contract file and run `samfard contracts load` again",
                field=bad.problem.field,
            )
    raise NotFound(missing, field="vehicle_type")


def is_weekend_rate_day(day: date) -> bool:
    """Saturday, Sunday or a Swedish holiday: the days the weekend surcharge applies."""
    return day.weekday() >= 5 or day in swedish_holidays(day.year)


def _vehicle_type(where: str, name: str, raw: object) -> VehicleType:
    if isinstance(raw, str) and raw in {v.value for v in VehicleType}:
        return VehicleType(raw)
    kinds = ", ".join(v.value for v in VehicleType)
    raise InputError(f"{where}: {name} must be one of {kinds}, got {shown(raw)}", field=name)


def _clock(where: str, name: str, raw: object) -> time:
    """A local wall-clock time: a TOML time or a string like 22:00 (no zone, no date)."""
    value = raw
    if isinstance(raw, str):
        try:
            value = time.fromisoformat(raw)
        except ValueError:
            value = None
    if not isinstance(value, time) or value.tzinfo is not None:
        raise InputError(
            f"{where}: {name} must be a local time like 22:00, got {shown(raw)}", field=name
        )
    return value


# How each tariff field is read, by `parse_contract` and by the tariffs' own checks.
_READERS: dict[str, Callable[[str, str, Any], Any]] = {
    "vehicle_type": _vehicle_type,
    "start_fee": whole_ore,
    "wheelchair_supplement": whole_ore,
    "stretcher_supplement": whole_ore,
    "fixed_per_vehicle_day": whole_ore,
    "driver_per_hour": whole_ore,
    "per_km": rate_ore,
    "per_driving_minute": rate_ore,
    "per_waiting_minute": rate_ore,
    "night_surcharge_pct": percent,
    "weekend_surcharge_pct": percent,
    "driver_on_cost_pct": percent,
    "night_start": _clock,
    "night_end": _clock,
}


def _expect_fields(where: str, raw: Mapping[str, Any], kind: type[Tariff]) -> None:
    """Refuse an unknown field (a typo would otherwise leave a rate at its default) and
    name the first missing one."""
    known = [f.name for f in fields(kind) if f.init]
    unknown = sorted(str(k) for k in raw if k not in known)
    if unknown:
        label = "an own-fleet cost model" if kind is FleetCostModel else "a price list"
        raise InputError(
            f"{where}: unknown field {unknown[0]} ({label} has: {', '.join(known)})",
            field=unknown[0],
        )
    for f in fields(kind):
        if f.init and f.default is MISSING and f.name not in raw:
            raise InputError(f"{where}: missing field {f.name}", field=f.name)


def _tariff(where: str, raw: object, own_fleet: bool) -> Tariff:
    """A price list (or, for the own fleet, a cost model) with every field read and checked."""
    if not isinstance(raw, Mapping):
        raise InputError(
            f"{where}: a tariff must be a table of vehicle_type and rates, got {shown(raw)}",
            field="tariffs",
        )
    kind: type[Tariff] = FleetCostModel if own_fleet else PriceList
    _expect_fields(where, raw, kind)
    data = {name: _READERS[name](where, name, value) for name, value in raw.items()}
    try:
        return kind(**data)
    except InputError as error:
        raise InputError(f"{where}: {error.message}", field=error.field) from error


def _tables(where: str, name: str, raw: object) -> list[object]:
    """A list of tables ([[contracts.tariffs]] in TOML, a JSON list of objects); each
    item is checked to be a table by its own reader."""
    if raw is None:
        return []
    if not isinstance(raw, list | tuple):
        raise InputError(
            f"{where}: {name} must be a list of tables ([[contracts.{name}]]), got {shown(raw)}",
            field=name,
        )
    return list(raw)


def _text(where: str, name: str, raw: object, *, longest: int) -> str:
    """A non-empty string of at most `longest` characters (the column it is stored in)."""
    if not isinstance(raw, str) or not raw.strip():
        raise InputError(f"{where}: {name} must be a non-empty text, got {shown(raw)}", field=name)
    if len(raw.strip()) > longest:
        raise InputError(
            f"{where}: {name} must be at most {longest} characters, got {len(raw.strip())}",
            field=name,
        )
    return raw.strip()


def _flag(where: str, name: str, raw: object) -> bool:
    """true or false, not a string ("false" would read as true)."""
    if not isinstance(raw, bool):
        raise InputError(f"{where}: {name} must be true or false, got {shown(raw)}", field=name)
    return raw


def _area(where: str, raw: object) -> frozenset[str]:
    """Municipality codes (SCB kommunkod, four digits as text: "0180" is not 180)."""
    if not isinstance(raw, list | tuple | set | frozenset):
        raise InputError(
            f'{where}: area must be a list of municipality codes like ["2380"], got {shown(raw)}',
            field="area",
        )
    for code in raw:
        if not (isinstance(code, str) and len(code) == 4 and code.isascii() and code.isdigit()):
            raise InputError(
                f'{where}: area must hold four-digit municipality codes as text like "2380", '
                f"got {shown(code)}",
                field="area",
            )
    return frozenset(raw)


CONTRACT_FIELDS = (
    "code",
    "carrier",
    "valid_from",
    "valid_to",
    "area",
    "own_fleet",
    "tariffs",
    "penalties",
)


def parse_contract(raw: object) -> Contract:
    """A contract from plain data; every refusal names the contract and the field.

    Dates are ISO strings or dates; whole-öre amounts (start fees, supplements, day costs,
    wages, penalties) are integers, rates and percentages numbers or strings read as
    Decimal (docs/costs.md). Anything else is refused here, never stored or priced with.
    """
    if not isinstance(raw, Mapping):
        raise InputError(
            f"a contract must be a table of {', '.join(CONTRACT_FIELDS)}, got {shown(raw)}",
            field="contracts",
        )
    code = _text("contract", "code", raw.get("code"), longest=40)
    where = f"contract {code}"
    unknown = sorted(str(k) for k in raw if k not in CONTRACT_FIELDS)
    if unknown:
        raise InputError(
            f"{where}: unknown field {unknown[0]} (a contract has: {', '.join(CONTRACT_FIELDS)})",
            field=unknown[0],
        )
    own_fleet = _flag(where, "own_fleet", raw.get("own_fleet", False))
    tariffs = []
    for raw_tariff in _tables(where, "tariffs", raw.get("tariffs")):
        kind = raw_tariff.get("vehicle_type") if isinstance(raw_tariff, Mapping) else None
        named = kind[:20] if isinstance(kind, str) else "?"
        tariffs.append(_tariff(f"{where}, tariff {named}", raw_tariff, own_fleet))
    if raw.get("valid_from") is None:
        raise InputError(f"{where}: missing field valid_from", field="valid_from")
    valid_to = raw.get("valid_to")
    return Contract(
        code=code,
        carrier=_text(where, "carrier", raw.get("carrier"), longest=120),
        valid_from=_as_date(where, "valid_from", raw["valid_from"]),
        valid_to=None if valid_to is None else _as_date(where, "valid_to", valid_to),
        area=_area(where, raw.get("area", ())),
        tariffs=tuple(tariffs),
        own_fleet=own_fleet,
        penalties=tuple(
            _penalty(where, p) for p in _tables(where, "penalties", raw.get("penalties"))
        ),
    )


def _penalty(where: str, raw: object) -> PenaltyTerm:
    """A penalty term from a mapping: kind, amount (whole öre), optional severities and text."""
    if not isinstance(raw, Mapping) or "kind" not in raw or "amount" not in raw:
        raise InputError(
            f"{where}: a penalty term needs kind and amount (öre), got {shown(raw)}",
            field="penalties",
        )
    kind = _text(f"{where}, penalty", "kind", raw["kind"], longest=40)
    at = f"{where}, penalty {kind}"
    severities = raw.get("severities", ())
    if not isinstance(severities, list | tuple | set | frozenset) or not all(
        isinstance(s, str) for s in severities
    ):
        raise InputError(
            f'{at}: severities must be a list of texts like ["serious"], got {shown(severities)}',
            field="severities",
        )
    text = raw.get("text", "")
    if not isinstance(text, str):
        raise InputError(f"{at}: text must be a text, got {shown(text)}", field="text")
    return PenaltyTerm(
        kind=kind,
        amount=whole_ore(at, "amount", raw["amount"]),
        severities=frozenset(severities),
        text=text,
    )


def _as_date(where: str, name: str, value: object) -> date:
    """A calendar day: a TOML date or an ISO string (a date-time is refused, not cut)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(
        f"{where}: {name} must be a date like 2026-01-01, got {shown(value)}", field=name
    )


def tariff_data(tariff: Tariff) -> dict[str, Any]:
    """The plain mapping a stored row keeps for a tariff: whole öre as integers, rates and
    percentages as exact decimal strings, times as HH:MM:SS. What is stored is what was
    checked, and `parse_contract` reads it back to an equal tariff."""
    return {f.name: _plain(getattr(tariff, f.name)) for f in fields(tariff) if f.init}


def penalty_data(term: PenaltyTerm) -> dict[str, Any]:
    """The plain mapping a stored row keeps for a penalty term (severities sorted)."""
    return {
        "kind": term.kind,
        "amount": term.amount,
        "severities": sorted(term.severities),
        "text": term.text,
    }


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, time):
        return value.isoformat()
    return value
