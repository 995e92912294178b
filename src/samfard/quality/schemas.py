"""API types of deviations: the classification, a report, a handling step, the answer."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from samfard.schemas_common import BodyId, Moment


class DeviationKind(enum.StrEnum):
    """What kind of thing went wrong (avvikelsetyp)."""

    LATE = "late"  # försenad hämtning eller ankomst
    EARLY = "early"  # för tidig hämtning
    VEHICLE_NO_SHOW = "vehicle_no_show"  # fordonet kom inte
    WRONG_VEHICLE = "wrong_vehicle"  # fel fordon eller hjälpmedel
    CONDUCT = "conduct"  # bemötande, körsätt
    INJURY = "injury"  # skada eller risk för skada
    BOOKING_ERROR = "booking_error"  # fel i bokningen
    INFORMATION = "information"  # brister i information


class Severity(enum.StrEnum):
    """Patient-safety severity (allvarlighetsgrad); serious and critical reach the principal
    the same day."""

    MINOR = "minor"  # ingen skada, olägenhet
    MODERATE = "moderate"  # risk för skada
    SERIOUS = "serious"  # skada
    CRITICAL = "critical"  # allvarlig skada, anmälningspliktig (lex Maria)


SERIOUS = frozenset({Severity.SERIOUS, Severity.CRITICAL})


class DeviationStatus(enum.StrEnum):
    RECEIVED = "received"  # mottagen
    INVESTIGATING = "investigating"  # utreds; utföraren svarar inom tidsfristen
    DECIDED = "decided"  # beslutad
    CLOSED = "closed"  # avslutad


class Action(enum.StrEnum):
    INVESTIGATE = "investigate"
    ANSWER = "answer"  # the carrier's answer
    DECIDE = "decide"
    CLOSE = "close"
    COMMENT = "comment"


class Outcome(enum.StrEnum):
    UPHELD = "upheld"  # the carrier is at fault: the contract's penalty applies
    NOT_UPHELD = "not_upheld"  # not the carrier's fault, or did not happen as reported


def _one_trip_schema(schema: dict[str, Any]) -> None:
    """The document says what the validator checks: the trip is a booking id or a settled
    trip key, exactly one, never null."""
    properties = schema["properties"]
    for name in ("booking_id", "trip_key"):
        prop = properties[name]
        branches = [b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"]
        properties[name] = {**branches[0], **{k: v for k, v in prop.items()
                                               if k not in ("anyOf", "default")}}  # fmt: skip
    schema["oneOf"] = [
        {"required": ["booking_id"], "not": {"required": ["trip_key"]}},
        {"required": ["trip_key"], "not": {"required": ["booking_id"]}},
    ]


class DeviationCreate(BaseModel):
    """A report: which trip, what happened, when; severity if the reporter can say.

    The trip is a booking (`booking_id`) or a settled trip as the invoice basis names it
    (`trip_key`), exactly one of them."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_one_trip_schema)

    booking_id: BodyId | None = None
    trip_key: str | None = Field(default=None, min_length=2, max_length=64)
    kind: DeviationKind
    severity: Severity = Severity.MINOR
    # Stripped first: three spaces are no description.
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=3, max_length=4000)
    ]
    occurred_at: Moment | None = None

    @model_validator(mode="after")
    def _one_trip(self) -> DeviationCreate:
        if (self.booking_id is None) == (self.trip_key is None):
            raise ValueError("name the trip by exactly one of booking_id and trip_key")
        return self


class DeviationStep(BaseModel):
    """One step of the handling; `version` is the deviation's version read."""

    model_config = ConfigDict(extra="forbid")

    action: Action
    note: str | None = Field(default=None, max_length=4000)
    outcome: Outcome | None = None
    kind: DeviationKind | None = None
    severity: Severity | None = None
    version: int | None = Field(default=None, ge=1, le=2**31 - 1)


class DeviationEventPublic(BaseModel):
    at: datetime
    actor: str
    actor_role: str
    action: str
    from_status: str | None
    to_status: str
    note: str | None


class DeviationPublic(BaseModel):
    id: int
    reference: str
    booking_id: int | None
    trip_key: str | None
    booking_reference: str | None
    traveller_name: str | None  # only for roles that read the register; masked if protected
    principal: str
    service: str
    carrier: str | None
    day: date
    occurred_at: datetime
    kind: DeviationKind
    severity: Severity
    description: str
    reported_by: str
    reporter_role: str
    reported_at: datetime
    status: DeviationStatus
    carrier_due_at: datetime | None
    carrier_answer_overdue: bool  # the carrier missed its answer deadline (svar försenat)
    carrier_answer: str | None
    outcome: Outcome | None
    penalty_ore: int
    principal_alerted_at: datetime | None
    closed_at: datetime | None
    version: int
    events: list[DeviationEventPublic]
