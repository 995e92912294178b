"""The shape of a rulebook file, written in code so every file is checked the same way.

A rulebook is one TOML file per principal and service holding dated versions. Every
section carries a `source` tag ([S], [S-old], [O:X], [G]) so a decision can say where each
value came from. Money is written in kronor as strings ("1.85"), never as floats, and held
in öre. Unknown keys are refused: a typo must not silently drop a rule.
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from samfard.money import kr
from samfard.rules.facts import Mode, Service

_SOURCE = re.compile(r"^\[(S|S-old|G|O:[^\]]+)\]")


def _source_tag(value: str) -> str:
    if not _SOURCE.match(value):
        raise ValueError(
            f"must start with a source tag [S], [S-old], [O:Place] or [G], got {value!r}"
        )
    return value


def _kronor(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f'must be kronor as a string like "38" or "1.85", got {value!r}')
    try:
        ore = kr(value)
    except InvalidOperation as error:
        raise ValueError(f'must be kronor like "38" or "1.85", got {value!r}') from error
    if ore < 0:
        raise ValueError(f"must be >= 0 kr, got {value!r}")
    return ore


def _rate(value: Any) -> Decimal:
    """Kronor per km (a string) to öre per km, kept exact as a Decimal."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f'must be kronor per km as a string like "1.85", got {value!r}')
    try:
        rate = Decimal(str(value)) * 100
    except InvalidOperation as error:
        raise ValueError(f'must be kronor per km like "1.85", got {value!r}') from error
    if rate < 0:
        raise ValueError(f"must be >= 0, got {value!r}")
    return rate


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"must be a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise ValueError(f"must be a number, got {value!r}") from error
    if number < 0:
        raise ValueError(f"must be >= 0, got {value}")
    return number


def _share(value: Any) -> Decimal:
    number = _decimal(value)
    if number > 1:
        raise ValueError(f"must be a share between 0 and 1, got {value}")
    return number


SourceTag = Annotated[str, AfterValidator(_source_tag)]
KronorOre = Annotated[int, BeforeValidator(_kronor)]
RateOrePerKm = Annotated[Decimal, BeforeValidator(_rate)]
Number = Annotated[Decimal, BeforeValidator(_decimal)]
Share = Annotated[Decimal, BeforeValidator(_share)]
Age = Annotated[int, Field(ge=0, le=130)]
Minutes = Annotated[int, Field(ge=0, le=24 * 60)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


class Section(Strict):
    """A group of values with one provenance."""

    source: SourceTag
    note: str = ""


class ModeRule(Section):
    """A mode the principal pays for: the traveller's fee, what it needs, what it refunds."""

    mode: Mode
    fee_ore: KronorOre = Field(alias="fee_kr")
    authorisation: Literal["none", "central_decision", "certificate"] = "none"
    counts_toward_ceiling: bool = True
    reimbursement_ore_per_km: RateOrePerKm | None = Field(
        default=None, alias="reimbursement_kr_per_km"
    )
    reimbursed_beyond_km: Number = Decimal(0)
    refund_ticket: bool = False
    claim_within_months: Annotated[int, Field(ge=1)] | None = None


class Ceiling(Section):
    """Fee ceiling: högkostnadsskydd."""

    amount_ore: KronorOre = Field(alias="amount_kr")
    period: Literal["rolling_12_months", "calendar_year"]


class Purposes(Section):
    reimbursed: tuple[str, ...]
    not_reimbursed: tuple[str, ...]


class Destination(Section):
    nearest_unit_only: bool
    farther_unit_with_referral: bool


class Accommodation(Section):
    leave_before: time
    home_after: time


class SjukresaCompanions(Section):
    """Companion: medresenär / ledsagare on a sjukresa.

    The fee is the companion's, per single trip. `free_when_patient_to_age` is the child
    rule: a patient of that age or younger brings `free_companions_of_child` companions free
    of fee. It looks at the patient's age, not the companion's: a companion who is a child
    pays as any companion.
    """

    needs_decision: bool
    fee_ore: KronorOre = Field(alias="fee_kr")
    free_when_patient_over_age: Age | None = None
    free_with_specified_disability: bool = False
    free_when_patient_to_age: Age | None = None
    free_companions_of_child: Annotated[int, Field(ge=0, le=6)] = 1


class PatientFee(Section):
    free_to_age: Age | None = None


class Tolerance(Section):
    """Time tolerance the planner may use: pickup window and extra ride time (omresetid).

    `waiting_included`: the extra ride time budget also covers waiting (väntetid): at the
    destination before an appointment, and for the pickup after the asked time. A rule
    that reads "extra ride time plus waiting <= 90 min" sets it; without it the budget is
    ride time alone and waiting is bounded only by the pickup window and arrival slack.
    """

    pickup_before_min: Minutes
    pickup_after_min: Minutes
    max_extra_ride_min: Minutes
    max_extra_ride_min_by_purpose: dict[str, Minutes] = {}
    max_extra_ride_min_outside_home: Minutes | None = None
    waiting_included: bool = False


class Booking(Section):
    """How far ahead and when a trip must be booked."""

    modes: tuple[Mode, ...] = ()
    min_hours_ahead: Annotated[int, Field(ge=0)] = 0
    special_vehicle_min_hours_ahead: Annotated[int, Field(ge=0)] = 0
    min_weekdays_ahead: Annotated[int, Field(ge=0)] = 0
    by_previous_weekday: bool = False
    desk_opens: time | None = None
    desk_closes: time | None = None
    # Booking horizon: a trip may be booked at most this many days ahead (unset: Samfard's
    # default, booking.horizon.DEFAULT_HORIZON_DAYS).
    max_days_ahead: Annotated[int, Field(ge=1, le=730)] | None = None


class PublicTransport(Section):
    """When a public-transport journey is one the patient can be expected to take: the
    journey planner's limits (samfard.geo.gtfs.check.Limits). A taxi is paid only when no
    journey within them exists, or a certificate, decision or permit says the patient
    cannot travel by public transport."""

    max_transfers: Annotated[int, Field(ge=0, le=5)]
    max_walk_m: Annotated[int, Field(ge=0, le=5000)]
    max_travel_time_ratio: Number
    ratio_floor_min: Minutes = 0
    arrive_before_min: Minutes = 0
    max_wait_min: Minutes


class RideAlone(Section):
    policy: Literal["allowed", "assessor", "refused"]


PlaceKey = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]


class ForeignReferral(Section):
    """Referral abroad (e.g. Funäsdalen to Røros): home-region fees, own cost object.

    Places are gazetteer keys (places.csv), never display names: `destination_place` is
    the hospital referred to, `listed_at_place` the health centre the patient is listed at.
    """

    destination_place: PlaceKey
    listed_at_place: PlaceKey
    cost_centre: str
    cost_object: str = Field(alias="object")


class AsylumAccount(Section):
    """Sjukresor of residents of asylum housing are booked to an account of their own
    (kostnadsställe and objekt), apart from the region's other patient travel."""

    cost_centre: str
    cost_object: str = Field(alias="object")


class NoShow(Section):
    """No-show fee (bomkörningsavgift): charged when the traveller is not there at pickup
    and did not cancel in time. A rulebook without this section charges nothing."""

    fee_ore: KronorOre = Field(alias="fee_kr")


class Version(Strict):
    valid_from: date
    source: SourceTag
    note: str = ""
    no_show: NoShow | None = None


class SjukresaVersion(Version):
    """One dated version of a region's sjukresor rules."""

    modes: tuple[ModeRule, ...] = Field(min_length=1)
    ceiling: Ceiling
    purposes: Purposes
    destination: Destination
    accommodation: Accommodation
    companions: SjukresaCompanions
    patient: PatientFee
    tolerance: Tolerance
    ride_alone: RideAlone
    booking: Booking | None = None
    foreign_referrals: tuple[ForeignReferral, ...] = ()
    asylum: AsylumAccount | None = None
    public_transport: PublicTransport | None = None


class Band(Strict):
    """A distance band: min_km to max_km inclusive (at the table's resolution)."""

    min_km: Number
    max_km: Number | None = None
    fee_ore: KronorOre = Field(alias="fee_kr")
    source: SourceTag | None = None


class DistanceBands(Section):
    kind: Literal["distance_bands"]
    resolution_km: Number
    bands: tuple[Band, ...] = Field(min_length=1)


class FareMultiple(Section):
    """Fee as a multiple of the bus fare for the same trip (the trip gives the fare)."""

    kind: Literal["bus_fare_multiple"]
    multiple: Number


Fee = Annotated[DistanceBands | FareMultiple, Field(discriminator="kind")]


class Area(Section):
    """Service area (färdtjänstområde): municipalities and extra places (gazetteer keys)."""

    municipalities: tuple[str, ...] = Field(min_length=1)
    places: tuple[PlaceKey, ...] = ()


class FardtjanstChildren(Section):
    holder_reduced_below_age: Age | None = None
    holder_reduced_share: Share = Decimal(1)
    own_child_free_to_age: Age | None = None
    own_child_reduced_to_age: Age | None = None
    own_child_reduced_share: Share = Decimal(1)


class FardtjanstCompanions(Section):
    escort_free: bool
    fellow_passenger_pays_as_holder: bool


class Night(Section):
    """Hours without service (e.g. Örnsköldsvik has no night service)."""

    starts: time
    ends: time


class OutsideArea(Section):
    """Trips in another municipality on a yearly quota."""

    trips_per_year: Annotated[int, Field(ge=0)]
    rate_ore_per_km: RateOrePerKm = Field(alias="rate_kr_per_km")
    minimum_ore: KronorOre = Field(alias="minimum_kr")


class FardtjanstVersion(Version):
    """One dated version of a municipality's färdtjänst rules."""

    administered_by: str | None = None
    modes: tuple[Mode, ...] = Field(min_length=1)
    area: Area
    fee: Fee
    children: FardtjanstChildren
    companions: FardtjanstCompanions
    tolerance: Tolerance
    night: Night | None = None
    outside_area: OutsideArea | None = None
    booking: Booking | None = None


class Reduction(Section):
    below_age: Age
    students: bool
    share: Share


class RiksfardtjanstVersion(Version):
    """Riksfärdtjänst: the national fee table and reductions."""

    modes: tuple[Mode, ...] = Field(min_length=1)
    fee: DistanceBands
    reduction: Reduction
    companions: FardtjanstCompanions
    tolerance: Tolerance


class Window(Strict):
    start: time
    end: time


class NartrafikEligibility(Section):
    min_distance_to_stop_km: Number


class NartrafikService(Section):
    windows: tuple[Window, ...] = Field(min_length=1)


class NartrafikVersion(Version):
    """Närtrafik: feeder trips for residents far from a stop, in fixed windows.

    `fare` is the authority's ordinary single fare by distance: the fee is a multiple of
    it when the trip does not bring its own bus fare."""

    modes: tuple[Mode, ...] = Field(min_length=1)
    eligibility: NartrafikEligibility
    service: NartrafikService
    booking: Booking
    fee: FareMultiple
    tolerance: Tolerance
    fare: DistanceBands | None = None


class BookedLineBooking(Section):
    """Booking deadline of booked lines: at least this long before the timetabled departure
    from the line's first stop; a line may ask for more (lines.models.Line)."""

    min_minutes_before_departure: Minutes


class BookedLineVersion(Version):
    """Anropsstyrd linjetrafik: timetabled lines that run only when booked."""

    modes: tuple[Mode, ...] = Field(min_length=1)
    booking: BookedLineBooking
    fee: FareMultiple
    fare: DistanceBands
    tolerance: Tolerance


VersionModel = (
    SjukresaVersion
    | FardtjanstVersion
    | RiksfardtjanstVersion
    | NartrafikVersion
    | BookedLineVersion
)

VERSION_MODELS: dict[Service, type[Version]] = {
    Service.SJUKRESA: SjukresaVersion,
    Service.FARDTJANST: FardtjanstVersion,
    Service.RIKSFARDTJANST: RiksfardtjanstVersion,
    Service.NARTRAFIK: NartrafikVersion,
    Service.ANROPSSTYRD_LINJETRAFIK: BookedLineVersion,
}


class Header(Strict):
    """The top of every rulebook file; `versions` is checked against the service's model."""

    principal: str = Field(min_length=1)
    principal_name: str = Field(min_length=1)
    service: Service
    versions: list[dict[str, Any]] = Field(min_length=1)
