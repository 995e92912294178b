"""Setting the board's KPI targets and the month's comments, and reading them for reports.

A principal's administrator (principal_admin, scoped to the principal) sets a target per
figure and year, optionally for one service, and a comment per figure and month; the
monthly report shows them as Mål / Uppfyllt / Kommentar. Values are given in the unit the
report prints (kr, %, st) and stored as the report computes (money in öre). Setting again
replaces (one target per principal, year, figure and service; one comment per month and
figure); an empty comment removes the comment. Each change is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Permission
from samfard.db import transaction
from samfard.errors import InputError
from samfard.principals.models import Principal
from samfard.reports.kpi import KPI_LABELS, Kpi, KpiTarget
from samfard.reports.models import KpiCommentRow, KpiTargetRow
from samfard.reports.month import FIRST_YEAR, LAST_YEAR, Month
from samfard.reports.wording import SERVICE_LABELS

# The direction a target is met in when the caller does not say (a cost is a ceiling,
# a rate or a share of punctual trips a floor; a count is a budget, so a ceiling).
HIGHER_IS_BETTER = frozenset({Kpi.COORDINATION_RATE, Kpi.SAVINGS_PCT, Kpi.PUNCTUALITY})
MAX_COMMENT = 500
TARGET_LIMIT = Decimal(10) ** 12  # in the report's unit; kronor are stored as öre, ×100


def parse_kpi(name: str) -> Kpi:
    try:
        return Kpi(name)
    except ValueError as error:
        known = ", ".join(k.value for k in Kpi)
        raise InputError(
            f"unknown key figure {name!r}; use one of: {known}", field="kpi"
        ) from error


def _check(session: Session, actor: Actor, principal: str, year: int) -> None:
    actor.require(Permission.TARGETS_WRITE)
    actor.require_principal(principal)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(f"year must be {FIRST_YEAR} to {LAST_YEAR}, got {year}", field="year")
    if session.scalar(select(Principal.id).where(Principal.code == principal)) is None:
        raise InputError(f"unknown principal {principal}", field="principal")


def _comment(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_COMMENT:
        raise InputError(
            f"a comment may be at most {MAX_COMMENT} characters, got {len(text)}", field="comment"
        )
    return text


def target_amount(kpi: Kpi, value: Decimal | str) -> Decimal:
    """The target as a number the table keeps exactly (NUMERIC(18, 4) in the stored unit):
    at least 0 and below 10^12, kronor to the öre, other units to four decimals. A kronor
    target of 10^12 overflowed the column on PostgreSQL (500) and a finer one was rounded
    without a word, so both are refused naming the field."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise InputError(f"target value must be a number, got {value!r}", field="value") from error
    if not amount.is_finite() or amount < 0 or amount >= TARGET_LIMIT:
        raise InputError(
            f"target value must be at least 0 and below 1000000000000, got {value}",
            field="value",
        )
    unit = KPI_LABELS[kpi][1]
    places = 2 if unit == "kr" else 4
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise InputError(
            f"a target in {unit} has at most {places} decimals, got {value}", field="value"
        )
    return amount


def stored_value(kpi: Kpi, value: Decimal) -> Decimal:
    """A value in the report's unit as the report computes it (kr → öre)."""
    return value * 100 if KPI_LABELS[kpi][1] == "kr" else value


def shown_value(kpi: Kpi, value: Decimal) -> Decimal:
    """A stored value back in the report's unit (öre → kr), written plainly."""
    return plain(value / 100 if KPI_LABELS[kpi][1] == "kr" else value)


def plain(value: Decimal) -> Decimal:
    """The value without trailing zeros and never in exponent notation: 650 stays 650.

    `Decimal.normalize` alone turns 650 into 6.5E+2, which the API sent as "6.5E+2" and the
    command printed as "target 6.5E+2 kr"; whole numbers are therefore kept at exponent 0.
    The stored scale (four decimals) keeps fractions short enough to print plainly.
    """
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return normal.quantize(Decimal(1))
    return normal


@dataclass(frozen=True)
class TargetView:
    """A stored target as the API and the command line show it (value in its unit)."""

    principal: str
    year: int
    kpi: str
    unit: str
    service: str | None
    value: Decimal
    higher_is_better: bool
    comment: str


def _view(row: KpiTargetRow) -> TargetView:
    kpi = Kpi(row.kpi)
    return TargetView(
        principal=row.principal_code,
        year=row.year,
        kpi=row.kpi,
        unit=KPI_LABELS[kpi][1],
        service=row.service or None,
        value=shown_value(kpi, Decimal(row.value)),
        higher_is_better=row.higher_is_better,
        comment=row.comment,
    )


def set_target(
    *,
    session: Session,
    actor: Actor,
    principal: str,
    year: int,
    kpi: str,
    value: Decimal | str,
    now: datetime,
    service: str | None = None,
    higher_is_better: bool | None = None,
    comment: str = "",
) -> TargetView:
    """Set (or replace) a principal's target for a figure in a year."""
    figure = parse_kpi(kpi)
    _check(session, actor, principal, year)
    amount = target_amount(figure, value)
    if service is not None and service not in SERVICE_LABELS:
        known = ", ".join(SERVICE_LABELS)
        raise InputError(f"unknown service {service!r}; use one of: {known}", field="service")
    direction = figure in HIGHER_IS_BETTER if higher_is_better is None else higher_is_better
    note = _comment(comment)
    with transaction(session):
        row = session.scalar(
            select(KpiTargetRow).where(
                KpiTargetRow.principal_code == principal,
                KpiTargetRow.year == year,
                KpiTargetRow.kpi == figure.value,
                KpiTargetRow.service == (service or ""),
            )
        )
        if row is None:
            row = KpiTargetRow(
                principal_code=principal, year=year, kpi=figure.value, service=service or ""
            )
            session.add(row)
        row.value = stored_value(figure, amount)
        row.higher_is_better = direction
        row.comment = note
        row.set_by = actor.username
        row.set_at = now
        session.flush()
        return _view(row)


def set_comment(
    *,
    session: Session,
    actor: Actor,
    principal: str,
    year: int,
    month: int,
    kpi: str,
    comment: str,
    now: datetime,
) -> str:
    """Set (or replace) the month's comment on a figure; an empty comment removes it."""
    figure = parse_kpi(kpi)
    _check(session, actor, principal, year)
    Month(year, month)
    text = _comment(comment)
    key = (
        KpiCommentRow.principal_code == principal,
        KpiCommentRow.year == year,
        KpiCommentRow.month == month,
        KpiCommentRow.kpi == figure.value,
    )
    with transaction(session):
        if not text:
            session.execute(delete(KpiCommentRow).where(*key))
            return ""
        row = session.scalar(select(KpiCommentRow).where(*key))
        if row is None:
            row = KpiCommentRow(principal_code=principal, year=year, month=month, kpi=figure.value)
            session.add(row)
        row.comment = text
        row.set_by = actor.username
        row.set_at = now
    return text


def target_views(session: Session, *, principal: str, year: int) -> list[TargetView]:
    rows = session.scalars(
        select(KpiTargetRow)
        .where(KpiTargetRow.principal_code == principal, KpiTargetRow.year == year)
        .order_by(KpiTargetRow.kpi, KpiTargetRow.service)
    )
    return [_view(row) for row in rows]


def targets_for(session: Session, *, principal: str, year: int) -> list[KpiTarget]:
    """The principal's targets of a year as the report judges outcomes by them."""
    rows = session.scalars(
        select(KpiTargetRow).where(
            KpiTargetRow.principal_code == principal, KpiTargetRow.year == year
        )
    )
    return [
        KpiTarget(
            kpi=Kpi(row.kpi),
            value=Decimal(row.value),
            higher_is_better=row.higher_is_better,
            comment=row.comment,
            service=row.service or None,
        )
        for row in rows
    ]


def comments_for(session: Session, *, principal: str, year: int, month: int) -> dict[str, str]:
    """The month's comments of a principal, by figure name."""
    rows = session.execute(
        select(KpiCommentRow.kpi, KpiCommentRow.comment).where(
            KpiCommentRow.principal_code == principal,
            KpiCommentRow.year == year,
            KpiCommentRow.month == month,
        )
    )
    return {row.kpi: row.comment for row in rows}
