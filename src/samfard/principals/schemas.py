"""API types of principals."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class PrincipalPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: str
    county_code: str
    services: list[str]
    handled_by_code: str | None
