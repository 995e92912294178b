"""Tables of the principals who share the centre."""

from __future__ import annotations

import enum

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from samfard.db import Base


class PrincipalKind(enum.StrEnum):
    REGION = "region"
    MUNICIPALITY = "municipality"
    TRANSPORT_AUTHORITY = "transport_authority"


class Service(enum.StrEnum):
    """The kinds of community-paid travel a principal can pay for."""

    SJUKRESA = "sjukresa"  # patient travel, paid by the region
    FARDTJANST = "fardtjanst"  # paratransit, paid by the municipality
    RIKSFARDTJANST = "riksfardtjanst"  # national paratransit, paid by the municipality
    ANROPSSTYRD_LINJETRAFIK = "anropsstyrd_linjetrafik"  # demand-responsive line (RKM)
    NARTRAFIK = "nartrafik"  # feeder traffic to the lines (RKM)


class Principal(Base):
    """Principal: huvudman. Pays for one or more services; identified by its official code."""

    __tablename__ = "principal"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))
    county_code: Mapped[str] = mapped_column(String(2))
    services: Mapped[list[str]] = mapped_column(JSON)
    handled_by_code: Mapped[str | None] = mapped_column(String(16))

    def pays_for(self, service: str) -> bool:
        return service in self.services
