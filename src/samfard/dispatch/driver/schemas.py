"""Bodies of the driver's routes: a report from the vehicle, and today's run with what was
reported at each stop."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from samfard.dispatch.schemas import ManifestStop
from samfard.schemas_common import BodyId, Moment, not_null

ReportKind = Literal["arrived", "picked_up", "no_show", "dropped_off", "position"]
AT_A_STOP = ["arrived", "picked_up", "no_show", "dropped_off"]
ANY_REPORT = ["client_event_id", "run_id", "kind", "at"]


def _position_or_stop(schema: dict[str, Any]) -> None:
    """The document says what the validator checks: a position has lat and lon and no
    stop; every other report names its stop."""
    props = schema.pop("properties")
    schema.pop("required", None)
    position = props | {
        "kind": {"const": "position", "type": "string"},
        "stop_id": {"type": "null"},
        "lat": not_null(props["lat"]),
        "lon": not_null(props["lon"]),
    }
    at_stop = props | {"kind": {"enum": AT_A_STOP, "type": "string"}}
    at_stop["stop_id"] = not_null(props["stop_id"])
    schema["oneOf"] = [
        {"type": "object", "properties": position, "required": [*ANY_REPORT, "lat", "lon"]},
        {"type": "object", "properties": at_stop, "required": [*ANY_REPORT, "stop_id"]},
    ]


class StopEventCreate(BaseModel):
    """One report as the driver's page queued it; `client_event_id` makes a replay safe."""

    model_config = ConfigDict(json_schema_extra=_position_or_stop)

    client_event_id: str = Field(
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="made by the client (a UUID); the same id posted again is stored once",
    )
    run_id: BodyId
    stop_id: BodyId | None = Field(default=None, description="required for every kind but position")
    kind: ReportKind
    at: Moment = Field(description="when it happened at the vehicle, with its offset")
    lat: float | None = Field(default=None, ge=-90, le=90, description="position only")
    lon: float | None = Field(default=None, ge=-180, le=180, description="position only")

    @model_validator(mode="after")
    def _fields_of_kind(self) -> StopEventCreate:
        if self.kind == "position":
            if self.lat is None or self.lon is None:
                raise ValueError("a position report needs lat and lon")
            if self.stop_id is not None:
                raise ValueError("a position report names no stop_id")
        elif self.stop_id is None:
            raise ValueError(f"a {self.kind} report needs the stop_id")
        return self


class StopEventPublic(BaseModel):
    id: int
    client_event_id: str
    kind: str
    run_id: int
    stop_id: int | None
    booking_id: int | None
    at: datetime = Field(description="when it happened at the vehicle")
    received_at: datetime
    reported_by: str
    lat: float | None
    lon: float | None


class DriverStop(ManifestStop):
    """A manifest stop with its id (to report on) and what was reported there."""

    stop_id: int
    reports: list[StopEventPublic]
    mobility_aids: list[str] = Field(description="the traveller's aids (rullator, rullstol ...)")
    door_notes: str | None = Field(description="the traveller's notes to drivers (port, trappa)")


class DriverRun(BaseModel):
    """A driver's run of today: the manifest, with each stop's reports."""

    run_id: int
    service_date: date
    vehicle_code: str
    start_at: datetime
    end_at: datetime
    stops: list[DriverStop]
