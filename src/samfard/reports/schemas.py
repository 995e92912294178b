"""Request and response bodies of the KPI target and comment routes."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from samfard.reports.month import FIRST_YEAR, LAST_YEAR, PATTERN


class TargetIn(BaseModel):
    """A principal's target for a key figure in a year, in the unit the report prints
    (kr, %, st); `service` limits it to one service's table, `higher_is_better` overrides
    the figure's usual direction."""

    model_config = ConfigDict(extra="forbid")

    principal: str = Field(min_length=1, max_length=16, examples=["23"])
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, examples=[2026])
    kpi: str = Field(min_length=1, max_length=40, examples=["cost_per_trip"])
    # Documented as the number it is (a Decimal is published as "number or any string").
    value: Annotated[Decimal, WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1e12})] = (
        Field(ge=0, le=Decimal("1e12"), examples=[350])
    )
    service: str | None = Field(default=None, max_length=32, examples=["sjukresa"])
    higher_is_better: bool | None = None
    comment: str = Field(default="", max_length=500)


class TargetOut(BaseModel):
    principal: str
    year: int
    kpi: str
    unit: str
    service: str | None
    value: Decimal
    higher_is_better: bool
    comment: str


class CommentIn(BaseModel):
    """The month's comment on a key figure; an empty comment removes it."""

    model_config = ConfigDict(extra="forbid")

    principal: str = Field(min_length=1, max_length=16, examples=["23"])
    month: str = Field(pattern=PATTERN, examples=["2026-11"])
    kpi: str = Field(min_length=1, max_length=40, examples=["punctuality"])
    comment: str = Field(max_length=500)


class CommentOut(BaseModel):
    principal: str
    month: str
    kpi: str
    comment: str


class ReportJobIn(BaseModel):
    """Which monthly report to build in the background."""

    model_config = ConfigDict(extra="forbid")

    principal: str = Field(min_length=1, max_length=16, examples=["23"])
    month: str = Field(pattern=PATTERN, examples=["2026-10"])


class ReportJobOut(BaseModel):
    """A report job's progress; `files` links each format once it is done."""

    id: str
    state: str
    progress: float
    message: str
    error: str | None
    principal: str
    month: str
    files: dict[str, str]
