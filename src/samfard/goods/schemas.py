"""API types of goods: a consignment as booked and as shown, and a cancellation."""

from __future__ import annotations

import enum
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from samfard.booking.schemas import Location
from samfard.goods.prices import GoodsKind
from samfard.schemas_common import BodyId, Moment

MAX_UNITS = 40  # a minibus's whole goods space; more is a lorry's load, not a shared run


class ConsignmentStatus(enum.StrEnum):
    BOOKED = "booked"
    PLANNED = "planned"  # on a run of the newest plan
    PICKED_UP = "picked_up"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class ConsignmentCreate(BaseModel):
    """A consignment to carry: `home` as an end means the recipient's home, so it needs
    `recipient_traveller_id` (an aid delivered to, or fetched from, a traveller).

    What depends on several fields (windows in order, a recipient only for an aid, home
    only with a recipient) is checked by `goods.service` and refused as a problem naming
    the field, so the API document and the request validation agree."""

    model_config = ConfigDict(extra="forbid")

    principal: str = Field(description="code of the ordering principal, e.g. 23 or 2380")
    kind: GoodsKind = Field(description="parcel (bussgods) or aid (hjälpmedel)")
    units: int = Field(ge=1, le=MAX_UNITS, description="goods units (kollin) it takes up")
    description: str | None = Field(
        default=None,
        max_length=120,
        pattern=r"\S",
        description="what the driver loads; left out, or words (not blank)",
    )
    recipient_traveller_id: BodyId | None = Field(
        default=None, description="the traveller an aid is for; only for aids"
    )
    pickup: Location
    dropoff: Location
    pickup_from: Moment
    pickup_until: Moment
    dropoff_from: Moment
    dropoff_until: Moment


class ConsignmentCancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=2, max_length=500)


class ConsignmentEnd(BaseModel):
    place_id: int | None
    address: str
    lat: float | None = Field(description="null when hidden (protected identity)")
    lon: float | None


class ConsignmentPublic(BaseModel):
    id: int
    reference: str
    principal: str
    kind: GoodsKind
    units: int
    description: str | None
    recipient_traveller_id: int | None
    recipient_name: str | None = Field(description="masked for a protected identity")
    status: ConsignmentStatus
    service_date: date
    pickup: ConsignmentEnd
    dropoff: ConsignmentEnd
    pickup_from: datetime
    pickup_until: datetime
    dropoff_from: datetime
    dropoff_until: datetime
    price_list: str
    price_ore: int = Field(description="the contract price in öre, fixed when booked")
    cancel_reason: str | None
    created_at: datetime
