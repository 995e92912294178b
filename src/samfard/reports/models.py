"""Tables of the board's KPI targets (målvärden) and the month's comments on the figures.

Seed 002's format per key figure is target / outcome / comment: a principal sets its
targets per year (optionally per service) and writes a comment per figure and month; the
monthly report shows both beside the outcome. Money targets are stored in öre like every
amount, shares in percent, counts as counts (the unit of `reports.kpi.KPI_LABELS`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samfard.db import Base, UTCDateTime


class KpiTargetRow(Base):
    """KPI target: a principal's målvärde for a figure in a year; `service` "" = all."""

    __tablename__ = "kpi_target"
    __table_args__ = (UniqueConstraint("principal_code", "year", "kpi", "service"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kpi: Mapped[str] = mapped_column(String(40))
    service: Mapped[str] = mapped_column(String(32), default="")
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    higher_is_better: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    set_by: Mapped[str] = mapped_column(String(80))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class KpiCommentRow(Base):
    """KPI comment: a principal's comment (kommentar) on a figure's outcome in a month."""

    __tablename__ = "kpi_comment"
    __table_args__ = (UniqueConstraint("principal_code", "year", "month", "kpi"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    kpi: Mapped[str] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(80))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
