"""API types of login, user administration and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from samfard.access.permissions import Role
from samfard.schemas_common import MAX_ID


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds until the token expires; then log in again")


class SessionPublic(BaseModel):
    """The answer to a page login: the session itself travels in an HTTP-only cookie."""

    csrf_token: str
    expires_at: datetime
    username: str
    role: Role


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(min_length=1, max_length=200)
    role: Role
    display_name: str | None = Field(default=None, max_length=120)
    principal_codes: list[Annotated[str, Field(min_length=1, max_length=16)]] = Field(
        default_factory=list, max_length=40
    )
    carrier_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    care_unit: str | None = Field(default=None, max_length=120)
    vehicle_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="a driver's vehicle")
    traveller_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    may_see_protected: bool = False


class UserChange(BaseModel):
    """A new role and scope for an existing account (the password and name stay)."""

    model_config = ConfigDict(extra="forbid")

    role: Role
    principal_codes: list[Annotated[str, Field(min_length=1, max_length=16)]] = Field(
        default_factory=list, max_length=40
    )
    carrier_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    care_unit: str | None = Field(default=None, max_length=120)
    vehicle_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="a driver's vehicle")
    traveller_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    may_see_protected: bool = False


class PasswordReset(BaseModel):
    """A new start password an administrator gives an account."""

    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=200)


class PasswordChange(BaseModel):
    """A user's new password, given the one they have."""

    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: Role
    principal_codes: list[str]
    carrier_id: int | None
    care_unit: str | None
    vehicle_id: int | None
    traveller_id: int | None
    may_see_protected: bool
    active: bool
    locked_until: datetime | None
    created_at: datetime


class AuditEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    user_id: int | None
    username: str
    traveller_id: int | None
    record_type: str
    record_id: str | None
    action: str
    purpose: str
    request_id: str | None
