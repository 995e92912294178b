"""API types shared by several features: pages of results, coordinates, the digest of a
request body kept with an Idempotency-Key."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Path, Query
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic_core import core_schema

from samfard.timeutil import FIRST_YEAR, LAST_YEAR, in_trip_years

T = TypeVar("T")

# Bounds that keep every id and offset inside the databases' integer range (PostgreSQL
# refuses a bigint overflow with an error, not an empty result).
MAX_ID = 2**31 - 1
MAX_OFFSET = 1_000_000
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def _not_a_truth_value(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number such as 7, not true or false")
    return value


# A number in a JSON body: `true` is refused, not read as 1.
NOT_A_TRUTH_VALUE = BeforeValidator(_not_a_truth_value)

# An id in a JSON body.
BodyId = Annotated[int, Field(ge=1, le=MAX_ID), NOT_A_TRUTH_VALUE]

# Samfard serves Sweden and the Norwegian hospitals across the border; a point outside this
# box is almost always latitude and longitude swapped.
LAT = Field(ge=54.0, le=72.0, description="WGS84 latitude, Nordic range")
LON = Field(ge=4.0, le=32.0, description="WGS84 longitude, Nordic range")


def _day_in_trip_years(value: date) -> date:
    if not in_trip_years(value):
        raise ValueError(f"the year must be {FIRST_YEAR}-{LAST_YEAR}, got {value.year}")
    return value


def _in_trip_years(value: datetime) -> datetime:
    _day_in_trip_years(value.date())
    return value


# A moment a client sends: with its UTC offset, and in the years trips fall in, because a
# time at either end of what a datetime holds (year 1 or 9999) overflows when it is turned
# to Stockholm time or UTC, and no trip, consignment or report needs one.
Moment = Annotated[
    AwareDatetime,
    AfterValidator(_in_trip_years),
    Field(json_schema_extra={"pattern": r"^(19|20|21)[0-9]{2}-"}),
]


# A day a client sends (a permit's, a certificate's, a series'): in the years trips fall
# in, as `Moment`; a permit valid from year 1 to 9999 was taken and read as forever.
Day = Annotated[
    date,
    AfterValidator(_day_in_trip_years),
    Field(json_schema_extra={"pattern": r"^(19|20|21)[0-9]{2}-"}),
]


def _each_once(values: list[Any] | None) -> list[Any] | None:
    seen: list[Any] = []
    for value in values or ():  # None: a NotNull outside it says what is wrong
        if value in seen:
            shown = getattr(value, "value", value)
            raise ValueError(f"give each item once: {shown!s} is given twice")
        seen.append(value)
    return values


class EachOnce:
    """Marks a list whose items are a set (needs, weekdays, areas): an item given twice is
    refused with 422 rather than stored twice, since it is almost always a client's slip;
    the OpenAPI document says `uniqueItems`."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_each_once, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {**handler(schema), "uniqueItems": True}


def file_responses(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a route that answers a file (a report as CSV, XLSX, PDF or HTML):
    FastAPI documents every 200 as JSON, and the document should say what comes back."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": "the file", "content": dict.fromkeys(media_types, binary)}}


def not_null(prop: dict[str, Any]) -> dict[str, Any]:
    """An optional field's schema made required-shaped: its null branch and default gone,
    for a `oneOf` shape in which the validator demands it (`json_schema_extra`)."""
    branches = [b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"]
    rest = {k: v for k, v in prop.items() if k not in ("anyOf", "default")}
    return {**branches[0], **rest}


def request_hash(data: BaseModel) -> str:
    """A digest of a request body, kept with an Idempotency-Key: a retry with the same
    key must send the same body (field order and whitespace do not matter)."""
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise ValueError("must not be null: leave the field out to keep the stored value")
    return value


class NotNull:
    """Marks a field of a partial update (PATCH) that may be left out but not set to null.

    `Annotated[str | None, NotNull()] = None` keeps None as the "not sent" default (defaults
    are not validated) while an explicit null is refused with 422, so a column that may not be
    empty is never cleared; the OpenAPI document then shows the field without null.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_refuse_null, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        json_schema: dict[str, Any] = dict(handler(schema))
        if json_schema.get("default", ...) is None:
            del json_schema["default"]
        branches = [b for b in json_schema.pop("anyOf", []) if b != {"type": "null"}]
        if len(branches) == 1:
            return {**branches[0], **json_schema}
        if branches:
            json_schema["anyOf"] = branches
        return json_schema


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
