"""Tables of goods: consignments (sändningar), the principals' goods price lists, and the
Idempotency-Keys of goods bookings.

A price list row keeps its prices as the plain mapping `goods.prices.parse_price_list`
reads, and every store and every load goes through that parser (as carriers' contracts
do), so a row the pure code would refuse can neither be stored nor priced with.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samfard.booking.models import ADDRESS_MOST
from samfard.db import Base, UTCDateTime


class Consignment(Base):
    """Consignment: sändning. Units of one kind of goods from a pickup to a drop-off,
    each end with its own time window, paid by one ordering principal at its contract price.

    An aid may name its recipient (`recipient_traveller_id`, a traveller of the register):
    the consignment is then personal data of that person, read audited and masked like a
    booking when the person has a protected identity.
    """

    __tablename__ = "consignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # parcel | aid
    units: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(String(120))
    recipient_traveller_id: Mapped[int | None] = mapped_column(
        ForeignKey("traveller.id"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), index=True)
    service_date: Mapped[date] = mapped_column(Date, index=True)
    pickup_place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    pickup_address: Mapped[str] = mapped_column(String(ADDRESS_MOST))
    pickup_lat: Mapped[float] = mapped_column(Float)
    pickup_lon: Mapped[float] = mapped_column(Float)
    pickup_from: Mapped[datetime] = mapped_column(UTCDateTime)
    pickup_until: Mapped[datetime] = mapped_column(UTCDateTime)
    dropoff_place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    dropoff_address: Mapped[str] = mapped_column(String(ADDRESS_MOST))
    dropoff_lat: Mapped[float] = mapped_column(Float)
    dropoff_lon: Mapped[float] = mapped_column(Float)
    dropoff_from: Mapped[datetime] = mapped_column(UTCDateTime)
    dropoff_until: Mapped[datetime] = mapped_column(UTCDateTime)
    price_list_code: Mapped[str] = mapped_column(String(40))
    price_ore: Mapped[int] = mapped_column(Integer)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GoodsPriceListRow(Base):
    """A principal's goods price list (varuprislista), valid from a day (to a day)."""

    __tablename__ = "goods_price_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    prices: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class GoodsIdempotencyKey(Base):
    """The first answer to a `POST /api/v1/goods` with an Idempotency-Key, so a retry
    creates nothing. Per user and key, with a digest of the body (a reused key with
    another body is refused). A table of its own: the bookings' `idempotency_key` points
    at a booking and cannot point at a consignment."""

    __tablename__ = "goods_idempotency_key"
    __table_args__ = (UniqueConstraint("username", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128))
    username: Mapped[str] = mapped_column(String(80))
    request_hash: Mapped[str] = mapped_column(String(64))
    consignment_id: Mapped[int] = mapped_column(
        ForeignKey("consignment.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
