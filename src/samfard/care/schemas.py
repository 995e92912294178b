"""API types of the care units' certificates and follow-up."""

from __future__ import annotations

import enum
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from samfard.schemas_common import BodyId, Day


class CertificateMode(enum.StrEnum):
    """The modes a sjukreseintyg may allow (the vehicles the centre books, and the bus)."""

    PUBLIC_TRANSPORT = "public_transport"
    TAXI = "taxi"
    WHEELCHAIR_VEHICLE = "wheelchair_vehicle"
    STRETCHER_VEHICLE = "stretcher_vehicle"


class CareCertificateCreate(BaseModel):
    """A sjukreseintyg for a patient and a visit, issued by the signed-in certified issuer."""

    model_config = ConfigDict(extra="forbid")

    traveller_id: BodyId
    mode: CertificateMode
    covers_return: bool = Field(default=True, description="outward and return, or outward only")
    valid_from: Day
    valid_until: Day
    visit_place: str | None = Field(
        default=None, max_length=60, description="gazetteer key of the unit visited"
    )
    visit_on: Day | None = Field(default=None, description="the day of the visit, if one")
    companion_allowed: bool = False
    reason: str = Field(min_length=2, max_length=500, description="the medical ground, briefly")


class Revocation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=2, max_length=500)


class CareCertificatePublic(BaseModel):
    id: int
    traveller_id: int
    traveller_name: str
    principal_code: str
    mode: str
    covers_return: bool
    valid_from: date
    valid_until: date
    visit_place: str | None
    visit_on: date | None
    unit: str
    issued_by: str | None  # the account that issued it (its login name), for the audit
    registered_via: str | None = None  # travellers.models.RegisteredVia; None: not recorded
    # The issuer as the register names them (the issuer row); None where it holds no name
    # but the account's login, or the centre registered the certificate.
    issuer_name: str | None = None
    issued_at: datetime
    revoked_at: datetime | None
    revoke_reason: str | None
