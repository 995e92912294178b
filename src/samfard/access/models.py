"""Tables of users, their tokens and the append-only audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samfard.db import Base, UTCDateTime


class User(Base):
    """A person or system with a role, scoped to principals, a carrier or a care unit."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    principal_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    carrier_id: Mapped[int | None] = mapped_column(Integer)
    care_unit: Mapped[str | None] = mapped_column(String(120))
    vehicle_id: Mapped[int | None] = mapped_column(Integer)  # the vehicle a driver drives
    traveller_id: Mapped[int | None] = mapped_column(Integer)
    may_see_protected: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A bearer token (systems) or page session (people); only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # "bearer" | "session"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Room for what an administrator granted an account (access.service.granted).
PURPOSE_MOST = 500


class AuditEntry(Base):
    """One read or write of a traveller's personal data. Append-only: no route edits it."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str] = mapped_column(String(80))
    traveller_id: Mapped[int | None] = mapped_column(Integer, index=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(PURPOSE_MOST))
    request_id: Mapped[str | None] = mapped_column(String(64))


class LoginCode(Base):
    """A one-time login code (engångskod) for a traveller's account, sent by SMS.

    Only its SHA-256 is kept; it lives ten minutes, allows a few tries and is used once
    (`access.login_codes`)."""

    __tablename__ = "login_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[bool] = mapped_column(Boolean, default=False)
