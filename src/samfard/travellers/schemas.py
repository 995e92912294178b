"""API types of the traveller register."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from samfard.schemas_common import LAT, LON, MAX_ID, BodyId, Day, EachOnce, NotNull
from samfard.travellers.models import CertificateKind, MobilityAid, PermitKind

# Names and address parts: trimmed, and with some letter or digit in them, not only spaces
# or characters that show as nothing (a zero-width space pasted in): a driver, a letter
# or a search can do nothing with those. Phones: digits with the signs people write
# between them, at least five digits (070-123 45 67). Each rule is a pattern the API's
# document states and a check that says in words what to fix.
READABLE = r"[^\W_]"
PHONE = r"^[+()/ -]*(?:[0-9][+()/ -]*){5,}$"


def _readable(value: str) -> str:
    if not re.search(READABLE, value):
        raise ValueError("write it with letters or digits; spaces alone say nothing")
    return value


def _phone(value: str) -> str:
    if not re.fullmatch(PHONE, value):
        raise ValueError(
            "write a phone number with at least 5 digits and only + ( ) / - or spaces "
            "between them, e.g. 070-123 45 67"
        )
    return value


def _text(most: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=most)


Name = Annotated[
    str, _text(80), AfterValidator(_readable), Field(json_schema_extra={"pattern": READABLE})
]
Street = Annotated[
    str, _text(160), AfterValidator(_readable), Field(json_schema_extra={"pattern": READABLE})
]
City = Name
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=32),
    AfterValidator(_phone),
    Field(json_schema_extra={"pattern": PHONE}),
]


class Address(BaseModel):
    street: Street
    postal_code: str = Field(
        pattern=r"^[0-9]{3} ?[0-9]{2}$", description="Swedish postcode, 831 30"
    )
    city: City
    municipality_code: str = Field(pattern=r"^[0-9]{4}$", description="SCB code, e.g. 2380")
    lat: float = LAT
    lon: float = LON


class AddressPublic(BaseModel):
    """An address as stored and shown: no input rules, so a record stored before a rule
    was tightened is still read."""

    street: str
    postal_code: str
    city: str
    municipality_code: str
    lat: float
    lon: float


SPECIFIED_DISABILITY = (
    "the patient has a specified disability (angiven funktionsnedsättning), decided by the "
    "central travel service: sjukresa companions travel free"
)
STUDENT_UNTIL = (
    "a student (studerande) until this day, as the proof shown says (CSN, the school): "
    "riksfärdtjänst charges 70 %; null: not a student"
)


class TravellerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    personal_number: str = Field(description="personnummer or samordningsnummer")
    first_name: Name
    last_name: Name
    protected_identity: bool = False
    asylum_housing: bool = Field(
        default=False,
        description="lives in asylum housing: sjukresor go to an account of their own",
    )
    specified_disability: bool = Field(default=False, description=SPECIFIED_DISABILITY)
    student_until: Day | None = Field(default=None, description=STUDENT_UNTIL)
    address: Address
    phone: Phone | None = None
    language: str = Field(default="sv", pattern=r"^[a-z]{2,3}$")
    mobility_aids: list[MobilityAid] = []
    driver_notes: str | None = Field(default=None, max_length=500)


class TravellerUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(
        ge=0, le=MAX_ID, description="the version you read; a stale version gets 409"
    )
    # Left out: kept as stored. Null clears only what may be empty (phone, driver notes).
    first_name: Annotated[Name | None, NotNull()] = None
    last_name: Annotated[Name | None, NotNull()] = None
    protected_identity: Annotated[bool | None, NotNull()] = None
    asylum_housing: Annotated[bool | None, NotNull()] = None
    specified_disability: Annotated[bool | None, NotNull()] = Field(
        default=None, description=SPECIFIED_DISABILITY
    )
    # Null clears it: no longer a student.
    student_until: Day | None = Field(default=None, description=STUDENT_UNTIL)
    address: Annotated[Address | None, NotNull()] = None
    phone: Phone | None = None
    language: Annotated[str | None, Field(pattern=r"^[a-z]{2,3}$"), NotNull()] = None
    mobility_aids: Annotated[list[MobilityAid] | None, NotNull()] = None
    driver_notes: str | None = Field(default=None, max_length=500)


class TravellerPublic(BaseModel):
    """A traveller as shown to a role that may see them; protected fields may be masked."""

    id: int
    personal_number: str
    birth_date: date | None
    is_coordination_number: bool
    first_name: str
    last_name: str
    protected_identity: bool
    asylum_housing: bool | None  # hidden with the address from those who may not see it
    # What the rules need of the person, shown like the aids: neither says who or where.
    specified_disability: bool
    student_until: date | None
    address: AddressPublic | None
    phone: str | None
    language: str
    mobility_aids: list[str]
    driver_notes: str | None
    synthetic: bool
    version: int


# A municipality code (2380) or a gazetteer place key (midlanda-flygplats).
AreaKey = Annotated[str, Field(min_length=1, max_length=60)]


class PermitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: PermitKind
    principal: str = Field(description="code of the municipality granting it, e.g. 2281")
    valid_from: Day
    valid_until: Day | None = None
    special_vehicle: bool = False
    escort: bool = False
    fellow_passenger: bool = Field(
        default=False,
        description="a fellow passenger (medresenär) may come, paying as the holder; "
        "without it one booked goes to an assessor",
    )
    front_seat: bool = False
    ride_alone: bool = False
    allergy_free: bool = False
    guide_dog: bool = False
    service_area: Annotated[list[AreaKey], EachOnce()] = Field(
        default=[],
        max_length=40,
        description="extra municipality codes or gazetteer place keys (e.g. "
        "midlanda-flygplats) beyond home; rules match places by key, not name",
    )
    notes: str | None = Field(default=None, max_length=2000)


class PermitPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    principal_code: str
    valid_from: date
    valid_until: date | None
    special_vehicle: bool
    escort: bool
    fellow_passenger: bool
    front_seat: bool
    ride_alone: bool
    allergy_free: bool
    guide_dog: bool
    service_area: list[str]
    notes: str | None


class IssuerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hsa_id: str = Field(min_length=3, max_length=40)
    name: str = Field(min_length=1, max_length=120)
    unit: str = Field(min_length=1, max_length=120)
    principal: str
    course_passed_on: Day | None = None
    certified_until: Day | None = None


class IssuerPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    hsa_id: str
    name: str
    unit: str
    principal_code: str
    course_passed_on: date | None
    certified_until: date | None


class CertificateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    principal: str = Field(description="the region paying, 23 or 22")
    kind: CertificateKind
    modes: list[str] = Field(min_length=1, description="taxi, wheelchair_vehicle, ...")
    valid_from: Day
    valid_until: Day
    trips_allowed: int | None = Field(default=None, ge=1, le=10_000)
    issuer_id: BodyId
    companion_allowed: bool = False
    reason: str | None = Field(default=None, max_length=500)


class CertificatePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    principal_code: str
    kind: str
    modes: list[str]
    valid_from: date
    valid_until: date
    trips_allowed: int | None
    issuer_id: int | None
    unit: str
    companion_allowed: bool
    reason: str | None
