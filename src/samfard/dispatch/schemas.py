"""Response bodies of the plan and manifest routes (read models, no input bodies)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class VehiclePublic(BaseModel):
    id: int
    code: str
    vehicle_type: str
    carrier_name: str
    depot_name: str


class StopPublic(BaseModel):
    seq: int
    kind: str = Field(description="pickup | dropoff")
    planned_at: datetime
    promised_from: datetime | None
    promised_until: datetime | None
    booking_id: int | None = Field(description="null on another principal's stop and on goods")
    booking_reference: str | None = Field(description="null on another principal's stop")
    leg_seq: int | None = Field(description="null on a goods stop")
    consignment_id: int | None = Field(
        default=None, description="the goods loaded or unloaded here; null on a passenger's stop"
    )
    goods: str | None = Field(default=None, description="what the goods are, e.g. 2 kolli")
    address: str = Field(
        description="masked for a protected identity (skyddad identitet) and on another "
        "principal's stop"
    )
    lat: float | None
    lon: float | None


class RunPublic(BaseModel):
    id: int
    vehicle: VehiclePublic
    start_at: datetime
    end_at: datetime
    distance_km: float
    stops: list[StopPublic]


class UnservedPublic(BaseModel):
    request_id: str
    booking_id: int | None = None
    leg_seq: int | None = None
    consignment_id: int | None = Field(default=None, description="set when goods were left out")
    reason: str


class PlanPublic(BaseModel):
    id: int
    service_date: date
    version: int
    kind: str = Field(description="day_ahead | reoptimised")
    created_at: datetime
    created_by: str
    changed_at: datetime | None = Field(
        None, description="when this version was last changed in place (none: as stored)"
    )
    changed_by: str | None = None
    change: str | None = Field(None, description="move | booking | goods | rest_of_day")
    verified: bool
    objective: float = Field(description="planning score in öre (distance, time, vehicles)")
    settings: dict[str, Any]
    runs: list[RunPublic]
    unserved: list[UnservedPublic]


class PlanSummary(BaseModel):
    """The answer to planning a day: the stored version and what it achieved."""

    plan_id: int
    version: int
    requests: int
    served: int
    vehicles_used: int
    distance_km: float
    passengers_per_vehicle_trip: float
    unserved: list[UnservedPublic]


class ManifestStop(BaseModel):
    """One stop as a driver needs it: no personal number, no last name."""

    seq: int
    kind: str
    planned_at: datetime
    promised_from: datetime | None
    promised_until: datetime | None
    first_name: str | None = Field(description="null on a goods stop")
    goods: str | None = Field(default=None, description="the goods to load or unload here")
    address: str = Field(
        description="a protected identity's own address only for the driver of the run"
    )
    lat: float | None
    lon: float | None
    needs: list[str]
    companions: int
    message_to_driver: str | None


class ManifestPublic(BaseModel):
    run_id: int
    service_date: date
    vehicle_code: str
    start_at: datetime
    end_at: datetime
    stops: list[ManifestStop]
