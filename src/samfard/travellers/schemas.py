"""API types of the traveller register."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from samfard.schemas_common import LAT, LON, MAX_ID, BodyId, NotNull
from samfard.travellers.models import CertificateKind, MobilityAid, PermitKind


class Address(BaseModel):
    street: str = Field(min_length=1, max_length=160)
    postal_code: str = Field(pattern=r"^\d{3} ?\d{2}$", description="Swedish postcode, 831 30")
    city: str = Field(min_length=1, max_length=80)
    municipality_code: str = Field(pattern=r"^\d{4}$", description="SCB code, e.g. 2380")
    lat: float = LAT
    lon: float = LON


class TravellerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    personal_number: str = Field(description="personnummer or samordningsnummer")
    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(min_length=1, max_length=80)
    protected_identity: bool = False
    asylum_housing: bool = Field(
        default=False,
        description="lives in asylum housing: sjukresor go to an account of their own",
    )
    address: Address
    phone: str | None = Field(default=None, max_length=32)
    language: str = Field(default="sv", pattern=r"^[a-z]{2,3}$")
    mobility_aids: list[MobilityAid] = []
    driver_notes: str | None = Field(default=None, max_length=500)


class TravellerUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(
        ge=0, le=MAX_ID, description="the version you read; a stale version gets 409"
    )
    # Left out: kept as stored. Null clears only what may be empty (phone, driver notes).
    first_name: Annotated[str | None, Field(min_length=1, max_length=80), NotNull()] = None
    last_name: Annotated[str | None, Field(min_length=1, max_length=80), NotNull()] = None
    protected_identity: Annotated[bool | None, NotNull()] = None
    asylum_housing: Annotated[bool | None, NotNull()] = None
    address: Annotated[Address | None, NotNull()] = None
    phone: str | None = Field(default=None, max_length=32)
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
    address: Address | None
    phone: str | None
    language: str
    mobility_aids: list[str]
    driver_notes: str | None
    synthetic: bool
    version: int


class PermitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: PermitKind
    principal: str = Field(description="code of the municipality granting it, e.g. 2281")
    valid_from: date
    valid_until: date | None = None
    special_vehicle: bool = False
    escort: bool = False
    front_seat: bool = False
    ride_alone: bool = False
    allergy_free: bool = False
    guide_dog: bool = False
    service_area: list[str] = Field(
        default=[],
        description="extra municipality codes or gazetteer place keys (e.g. "
        "midlanda-flygplats) beyond home; rules match places by key, not name",
    )
    notes: str | None = None


class PermitPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    principal_code: str
    valid_from: date
    valid_until: date | None
    special_vehicle: bool
    escort: bool
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
    course_passed_on: date | None = None
    certified_until: date | None = None


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
    valid_from: date
    valid_until: date
    trips_allowed: int | None = Field(default=None, ge=1, le=10_000)
    issuer_id: BodyId
    companion_allowed: bool = False
    reason: str | None = None


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
