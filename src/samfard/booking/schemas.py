"""API types of bookings and series."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from samfard.booking.lifecycle import BookingStatus
from samfard.booking.recurrence import Weekday
from samfard.rules.facts import Mode
from samfard.schemas_common import MAX_ID, BodyId, Day, EachOnce, Moment, NotNull, not_null

MESSAGE_MOST = 500  # characters in a message to the driver
COMPANIONS_MOST = 6  # companions on one booking, children included
MAX_LEGS = 6  # legs of one booking (an outward trip, its return, a few stops between)


class Channel(enum.StrEnum):
    PHONE = "phone"
    OPERATOR = "operator"
    CARE = "care"  # booked by care staff
    SELF_SERVICE = "self_service"
    API = "api"


class Need(enum.StrEnum):
    WHEELCHAIR = "wheelchair"  # needs a wheelchair place
    STRETCHER = "stretcher"  # travels lying down
    FRONT_SEAT = "front_seat"
    RIDE_ALONE = "ride_alone"  # ensamåkning


class CompanionKind(enum.StrEnum):
    ESCORT = "escort"  # ledsagare: helps the traveller during the ride
    FELLOW_PASSENGER = "fellow_passenger"  # medresenär
    CHILD = "child"


def _child_needs_age(schema: dict[str, Any]) -> None:
    """The document says what the validator checks: a child companion has an age."""
    schema["if"] = {"properties": {"kind": {"const": CompanionKind.CHILD.value}}}
    schema["then"] = {"required": ["age"], "properties": {"age": {"type": "integer"}}}


class Companion(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_child_needs_age)

    kind: CompanionKind
    age: int | None = Field(default=None, ge=0, le=120)

    @model_validator(mode="after")
    def _child_has_age(self) -> Companion:
        if self.kind is CompanionKind.CHILD and self.age is None:
            raise ValueError("a child companion needs an age")
        return self


def _one_of_three_shapes(schema: dict[str, Any]) -> None:
    """The document says what the validator checks: exactly one of three shapes."""
    properties = schema.pop("properties")
    schema.pop("additionalProperties", None)

    def shape(*names: str, **fixed: Any) -> dict[str, Any]:
        props = {n: fixed.get(n) or not_null(properties[n]) for n in names}
        return {
            "type": "object",
            "properties": props,
            "required": list(names),
            "additionalProperties": False,
        }

    schema["oneOf"] = [
        shape("place_id"),
        shape("home", home={"const": True, "type": "boolean"}),
        shape("address", "lat", "lon"),
    ]


class Location(BaseModel):
    """Where a leg starts or ends: a gazetteer place, the traveller's home, or an address
    with coordinates. Give exactly one of these."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_one_of_three_shapes)

    place_id: BodyId | None = None
    home: bool = False
    address: str | None = Field(default=None, min_length=3, max_length=200)
    lat: float | None = Field(default=None, ge=54.0, le=72.0)
    lon: float | None = Field(default=None, ge=4.0, le=32.0)

    @model_validator(mode="after")
    def _exactly_one(self) -> Location:
        given = sum([self.place_id is not None, self.home, self.address is not None])
        if given != 1:
            raise ValueError("give exactly one of place_id, home: true, or address with lat/lon")
        if self.address is not None and (self.lat is None or self.lon is None):
            raise ValueError("an address needs lat and lon")
        return self


class LegCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    origin: Location
    destination: Location
    pickup_at: Moment | None = Field(default=None, description="requested pickup")
    appointment_at: Moment | None = Field(
        default=None, description="appointment at the destination; arrive before it"
    )
    return_of: int | None = Field(
        default=None,
        ge=0,
        le=MAX_LEGS - 1,
        description="index of the outward leg this leg returns from",
    )


class BookingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    traveller_id: BodyId
    service: str = Field(description="sjukresa, fardtjanst, riksfardtjanst, nartrafik, ...")
    principal: str = Field(description="code of the paying principal, e.g. 23 or 2281")
    legs: list[LegCreate] = Field(min_length=1, max_length=MAX_LEGS)
    companions: list[Companion] = Field(default=[], max_length=COMPANIONS_MOST)
    needs: Annotated[list[Need], EachOnce()] = []
    purpose: str | None = Field(default=None, max_length=40)
    message_to_driver: str | None = Field(default=None, max_length=MESSAGE_MOST)
    channel: Channel = Channel.OPERATOR
    mode: Mode | None = Field(
        default=None,
        description="the mode asked for; default the vehicle the needs call for (the "
        "assessment decides the mode the booking goes by)",
    )


class LegTime(BaseModel):
    """A leg's new time on the same day: its pickup or its appointment, one of the two, as
    on creation (a leg is timed by its pickup or by its appointment)."""

    model_config = ConfigDict(extra="forbid")

    seq: int = Field(ge=0, le=MAX_LEGS - 1, description="the leg's seq, as the booking shows")
    pickup_at: Moment | None = Field(default=None, description="the new pickup")
    appointment_at: Moment | None = Field(
        default=None, description="the new appointment at the destination; arrive before it"
    )


class BookingUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(
        ge=0, le=MAX_ID, description="the version you read; a stale version gets 409"
    )
    # Left out: kept as stored. Null clears only purpose and the message; [] clears a list.
    companions: Annotated[list[Companion] | None, Field(max_length=COMPANIONS_MOST), NotNull()] = (
        None
    )
    needs: Annotated[list[Need] | None, EachOnce(), NotNull()] = None
    purpose: str | None = Field(default=None, max_length=40)
    message_to_driver: str | None = Field(default=None, max_length=MESSAGE_MOST)
    legs: Annotated[
        list[LegTime] | None,
        Field(
            max_length=MAX_LEGS,
            description="new times of legs, on the day each travels (another day is a new "
            "booking); the trip is decided and placed again",
        ),
        NotNull(),
    ] = None


class TransitionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: BookingStatus
    reason: str | None = Field(default=None, max_length=500)
    version: int | None = Field(
        default=None, ge=0, le=MAX_ID, description="optional optimistic lock"
    )


class CancelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=2, max_length=500)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class LegPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    direction: str
    return_of_seq: int | None
    origin_place_id: int | None
    origin_address: str
    origin_lat: float | None = Field(description="null when hidden (protected identity)")
    origin_lon: float | None
    destination_place_id: int | None
    destination_address: str
    destination_lat: float | None
    destination_lon: float | None
    requested_pickup_at: datetime | None
    appointment_at: datetime | None
    promised_pickup_from: datetime | None
    promised_pickup_until: datetime | None


class StandingDecision(BaseModel):
    """The decision that stands on a booking: what, by which mode, at which fee, by whom
    and when. `fee_ore` is the traveller's fee for all legs (None while waiting);
    `companion_fee_ore` what the companions pay beside it, outside the fee ceiling."""

    outcome: Literal["approved", "denied", "needs_assessor"]
    mode: str | None
    fee_ore: int | None
    companion_fee_ore: int | None = None
    decided_by: Literal["rules", "assessor"]
    decided_by_user: str | None = Field(description="the assessor's username; null for rules")
    decided_at: datetime | None


class BookingPublic(BaseModel):
    id: int
    reference: str
    traveller_id: int
    traveller_name: str
    principal: str
    service: str
    status: str
    channel: str
    purpose: str | None
    service_date: date
    legs: list[LegPublic]
    companions: list[dict[str, Any]]
    needs: list[str]
    message_to_driver: str | None
    series_id: int | None
    late_cancellation: bool
    mode: str | None = Field(description="the mode of the standing decision")
    decided: StandingDecision | None
    decision: dict[str, Any] | None
    version: int
    created_at: datetime


class OverlapPublic(BaseModel):
    """Another open trip of the traveller's at the same time: perhaps a double booking."""

    booking_id: int
    reference: str
    starts: datetime = Field(description="when that trip takes the traveller, at the earliest")
    ends: datetime = Field(description="when it has brought them there, at the latest")


class BookingCreated(BookingPublic):
    overlapping: list[OverlapPublic] = Field(
        description="the traveller's other open trips that day whose time overlaps this "
        "booking's, among those the caller may read: perhaps the same trip booked twice. "
        "The booking is made all the same; cancel the one that is the mistake."
    )


class EventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    from_status: str | None
    to_status: str
    at: datetime
    actor: str
    reason: str | None
    late: bool


class SeriesLeg(BaseModel):
    model_config = ConfigDict(extra="forbid")

    origin: Location
    destination: Location
    pickup_time: time | None = Field(default=None, description="local Swedish time")
    appointment_time: time | None = None
    return_of: int | None = Field(default=None, ge=0, le=MAX_LEGS - 1)


class SeriesCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    traveller_id: BodyId
    service: str
    principal: str
    weekdays: Annotated[list[Weekday], EachOnce()] = Field(description='e.g. ["mon", "wed", "fri"]')
    start_date: Day
    end_date: Day
    exception_dates: Annotated[list[Day], EachOnce()] = Field(default=[], max_length=366)
    legs: list[SeriesLeg] = Field(min_length=1, max_length=MAX_LEGS)
    companions: list[Companion] = []
    needs: Annotated[list[Need], EachOnce()] = []
    purpose: str | None = Field(default=None, max_length=40)
    message_to_driver: str | None = Field(default=None, max_length=MESSAGE_MOST)
    channel: Channel = Channel.OPERATOR


class SeriesCancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    from_date: Day
    reason: str = Field(min_length=2, max_length=500)


class SeriesPublic(BaseModel):
    id: int
    traveller_id: int
    principal: str
    service: str
    weekdays: list[str]
    start_date: date
    end_date: date
    exception_dates: list[date]
    cancelled_from: date | None
    booking_ids: list[int]
