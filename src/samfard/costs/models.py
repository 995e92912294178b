"""Tables of cost follow-up: carriers, their contracts, and settled runs and trips.

A contract row keeps the tariffs as the same plain mapping `costs.contracts.parse_contract`
reads, and every insert and every load goes through that parser, so a row the pure code
would refuse can neither be stored nor priced with.

Settled rows are the shape of `reports.kpi.TripRecord` (per trip) and of the invoice
basis (per run), so reports read them without joining the live booking tables; history
generated for the demo has no bookings behind it and lives in the same tables. Distances
are stored as whole metres and minutes as hundredths of a minute (integers), so sums are
exact on SQLite and PostgreSQL alike and `Decimal(metres) / 1000` gives the km priced.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samfard.db import Base, UTCDateTime


class Carrier(Base):
    """Carrier: transportör, a taxi company or the region's own fleet (egen regi)."""

    __tablename__ = "carrier"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    org_number: Mapped[str] = mapped_column(String(20))
    own_fleet: Mapped[bool] = mapped_column(Boolean, default=False)


class ContractRow(Base):
    """Contract: avtal of a carrier; `tariffs` is the list of tariff mappings as parsed."""

    __tablename__ = "carrier_contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carrier.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    area: Mapped[list[str]] = mapped_column(JSON, default=list)
    own_fleet: Mapped[bool] = mapped_column(Boolean, default=False)
    tariffs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Penalty terms (viten) as `contracts.parse_contract` reads them (migration 0014).
    penalties: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


class SettledRun(Base):
    """Settled run: one priced körning with the invoice components, in öre."""

    __tablename__ = "settled_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_ref: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(12))  # plan | history
    day: Mapped[date] = mapped_column(Date, index=True)
    carrier: Mapped[str] = mapped_column(String(120), index=True)
    contract_code: Mapped[str] = mapped_column(String(40))
    vehicle_type: Mapped[str] = mapped_column(String(20))
    basis: Mapped[str] = mapped_column(String(12))  # planned | actual
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    driven_m: Mapped[int] = mapped_column(Integer)
    driving_cmin: Mapped[int] = mapped_column(Integer)
    waiting_cmin: Mapped[int] = mapped_column(Integer)
    start_fee_ore: Mapped[int] = mapped_column(Integer)
    distance_ore: Mapped[int] = mapped_column(Integer)
    driving_time_ore: Mapped[int] = mapped_column(Integer)
    waiting_time_ore: Mapped[int] = mapped_column(Integer)
    surcharge_ore: Mapped[int] = mapped_column(Integer)
    supplements_ore: Mapped[int] = mapped_column(Integer)
    fixed_ore: Mapped[int] = mapped_column(Integer)
    driver_ore: Mapped[int] = mapped_column(Integer)
    total_ore: Mapped[int] = mapped_column(Integer)
    settled_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SettledTrip(Base):
    """Settled trip: one leg's share of its run, the row a TripRecord is read from.

    `trip_key` is "b<booking>.<leg seq>" for live trips and "h..." for generated history.
    """

    __tablename__ = "settled_trip"
    __table_args__ = (Index("ix_settled_trip_principal_day", "principal_code", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trip_key: Mapped[str] = mapped_column(String(64), unique=True)
    run_ref: Mapped[str] = mapped_column(
        ForeignKey("settled_run.run_ref", ondelete="CASCADE"), index=True
    )
    booking_id: Mapped[int | None] = mapped_column(Integer)
    leg_seq: Mapped[int | None] = mapped_column(Integer)
    principal_code: Mapped[str] = mapped_column(String(16))
    service: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date, index=True)
    pickup_at: Mapped[datetime] = mapped_column(UTCDateTime)
    passengers: Mapped[int] = mapped_column(Integer)
    run_passengers: Mapped[int] = mapped_column(Integer)
    direct_m: Mapped[int] = mapped_column(Integer)
    standalone_ore: Mapped[int] = mapped_column(Integer)
    allocated_ore: Mapped[int] = mapped_column(Integer)
    fee_ore: Mapped[int] = mapped_column(Integer)
    stretcher: Mapped[bool] = mapped_column(Boolean)
    dialysis: Mapped[bool] = mapped_column(Boolean)
    wheelchair: Mapped[bool] = mapped_column(Boolean)
    promised_pickup: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actual_pickup: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deviations: Mapped[int] = mapped_column(Integer, default=0)
    carrier: Mapped[str] = mapped_column(String(120))
    contract_code: Mapped[str] = mapped_column(String(40))
    # Cost centre and object (kostnadsställe, objekt) the decision books the trip to, when
    # the rulebook names one (Norway referrals: 1600 / 3523 Røros, 3524 Tynset).
    cost_centre: Mapped[str | None] = mapped_column(String(16))
    cost_object: Mapped[str | None] = mapped_column(String(16))


class SettledGoods(Base):
    """Settled goods: one consignment's share of its run, booked to its ordering principal
    on a cost object of its own (goods.prices.GOODS_COST_CENTRE, object by kind), so the
    monthly report shows goods apart from the passengers' services.

    A run's cost is split between its trips and its goods together: the settled_trip and
    settled_goods shares of a run add up to its total.
    """

    __tablename__ = "settled_goods"

    id: Mapped[int] = mapped_column(primary_key=True)
    goods_key: Mapped[str] = mapped_column(String(64), unique=True)  # "g<consignment id>"
    run_ref: Mapped[str] = mapped_column(
        ForeignKey("settled_run.run_ref", ondelete="CASCADE"), index=True
    )
    consignment_id: Mapped[int] = mapped_column(Integer)
    principal_code: Mapped[str] = mapped_column(String(16), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # parcel | aid
    units: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date, index=True)
    standalone_ore: Mapped[int] = mapped_column(Integer)  # the contract price
    allocated_ore: Mapped[int] = mapped_column(Integer)
    cost_centre: Mapped[str] = mapped_column(String(16))
    cost_object: Mapped[str] = mapped_column(String(16))
    carrier: Mapped[str] = mapped_column(String(120))
    contract_code: Mapped[str] = mapped_column(String(40))


class CarrierPenalty(Base):
    """Penalty (vite) charged to a carrier for an upheld deviation, per its contract's terms.

    Settlement deducts it on the carrier's invoice basis for the month of the deviation;
    the monthly report shows it beside the cost. One row per deviation at most.
    """

    __tablename__ = "carrier_penalty"

    id: Mapped[int] = mapped_column(primary_key=True)
    deviation_id: Mapped[int] = mapped_column(Integer, unique=True)
    deviation_ref: Mapped[str] = mapped_column(String(16))
    carrier: Mapped[str] = mapped_column(String(120), index=True)
    contract_code: Mapped[str] = mapped_column(String(40))
    principal_code: Mapped[str] = mapped_column(String(16), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(24))
    severity: Mapped[str] = mapped_column(String(12))
    amount_ore: Mapped[int] = mapped_column(Integer)
    term: Mapped[str] = mapped_column(String(200))
    charged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    charged_by: Mapped[str] = mapped_column(String(80))
