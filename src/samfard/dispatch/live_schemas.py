"""API types of the live day: alerts, run offers and live re-plans."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from samfard.schemas_common import MAX_ID


class AlertPublic(BaseModel):
    """A controller alert; names bookings by id, never a traveller."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    kind_sv: str
    service_date: date
    run_id: int | None
    booking_id: int | None
    message: str
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None


class OfferPublic(BaseModel):
    """A vehicle's run of a day offered to its carrier, and the answer."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    service_date: date
    vehicle_code: str
    carrier_id: int | None
    contract_code: str | None
    run_id: int | None
    stops: int
    first_stop_at: datetime | None
    last_stop_at: datetime | None
    state: str
    state_sv: str
    answer_by: datetime
    answered_by: str | None
    reason: str | None


class DeclineBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=300, description="why the carrier declines")


class ReplanPublic(BaseModel):
    """What a live re-plan did."""

    saved: bool
    moved: int
    kept: int
    fixed_stops: int
    broken: list[str]
    unserved: list[str]


class AnswerPublic(BaseModel):
    offer: OfferPublic
    replan: ReplanPublic | None


class DeadlineCheck(BaseModel):
    alerted: int


class SimulationIn(BaseModel):
    """A simulated day to run as a job (dispatch.sim_jobs)."""

    day: date = Field(description="the service day to simulate")
    seed: int = Field(default=1, ge=0, le=MAX_ID, description="same seed, same day")
    trips: int = Field(default=600, ge=1, le=5000, description="trips of the demo day")


class SimulationJobOut(BaseModel):
    """A simulation job's progress; `figures` once it is done (counts and times only)."""

    id: str
    state: str
    progress: float
    message: str
    error: str | None
    day: date
    seed: int
    trips: int
    figures: dict[str, Any] | None
