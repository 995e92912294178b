"""The monthly report kept in memory until the data behind it changes.

A report reads every settled trip of a principal for two years; the follow-up page is
opened again and again for the same month. The figures change only when a day is settled
(its settled rows replaced), a deviation is reported or moves on, a penalty is charged,
or the principal's targets or comments are set, so a report is kept under a fingerprint
of those rows and built again when the fingerprint moves.

The fingerprint sums what the report reads rather than counting rows: settling a day
again deletes its rows and inserts new ones, and SQLite gives the new rows the ids the
deleted ones had, so the row count and the highest id stayed the same while the costs
changed and the page kept the old total. The principal's settled trips in the report's
two years are summed per service (cost, standalone cost, fees, passengers, km, reported
pickups, deviations), its goods likewise, and the settlement time of the newest run is
in the key too, so a day settled again later is a new report even where the sums come
out equal. A report holds no person (trips are named by booking and leg), so one kept
report serves every reader; the reader's permission and principal scope are checked on
every call, hit or miss.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Permission
from samfard.costs.models import CarrierPenalty, SettledGoods, SettledRun, SettledTrip
from samfard.quality.models import Deviation
from samfard.reports import service
from samfard.reports.models import KpiCommentRow, KpiTargetRow
from samfard.reports.month import Month
from samfard.reports.monthly import MonthlyReportData
from samfard.reports.partial import counted_through

KEPT = 64  # reports kept (principal x month); older ones are dropped first

_lock = threading.Lock()
_kept: OrderedDict[tuple[object, ...], MonthlyReportData] = OrderedDict()


def monthly_report(
    *, session: Session, actor: Actor, principal: str, year: int, month: int, today: date
) -> MonthlyReportData:
    """`service.monthly_report`, answered from memory while its data is unchanged (and,
    for a month not over, while the last day it counts is the same)."""
    actor.require(Permission.REPORTS_READ)
    actor.require_principal(principal)
    period = Month(year, month)
    key = (
        str(session.get_bind().engine.url),
        principal,
        period,
        counted_through(period, today),
        *_settled_fingerprint(session, principal, period),
        *_register_fingerprint(session),
        *_targets_fingerprint(session, principal),
    )
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    report = service.monthly_report(
        session=session, actor=actor, principal=principal, year=year, month=month, today=today
    )
    with _lock:
        _kept[key] = report
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return report


def _settled_fingerprint(session: Session, principal: str, period: Month) -> tuple[object, ...]:
    """Sums of the settled rows the report reads (the principal's trips per service and
    goods from January of the year before to the month's end), the newest settlement and
    the first recorded day (the report's comparisons stop there)."""
    first, last = period.start_of_year_before, period.last_day
    trips = session.execute(
        select(
            SettledTrip.service,
            func.count(SettledTrip.id),
            func.sum(SettledTrip.allocated_ore),
            func.sum(SettledTrip.standalone_ore),
            func.sum(SettledTrip.fee_ore),
            func.sum(SettledTrip.passengers),
            func.sum(SettledTrip.run_passengers),
            func.sum(SettledTrip.direct_m),
            func.count(SettledTrip.actual_pickup),
            func.sum(SettledTrip.deviations),
            func.count(SettledTrip.cost_object),
        )
        .where(
            SettledTrip.principal_code == principal,
            SettledTrip.day >= first,
            SettledTrip.day <= last,
        )
        .group_by(SettledTrip.service)
        .order_by(SettledTrip.service)
    ).all()
    goods = session.execute(
        select(
            func.count(SettledGoods.id),
            func.sum(SettledGoods.allocated_ore),
            func.sum(SettledGoods.standalone_ore),
        ).where(
            SettledGoods.principal_code == principal,
            SettledGoods.day >= first,
            SettledGoods.day <= last,
        )
    ).one()
    runs = session.execute(select(func.count(SettledRun.id), func.max(SettledRun.settled_at))).one()
    per_service = tuple(tuple(row) for row in trips)
    return (per_service, tuple(goods), tuple(runs), service.records_start(session))


def _register_fingerprint(session: Session) -> tuple[object, ...]:
    """The deviation register and the penalties: a new deviation, any step (each raises the
    deviation's version) or a penalty charged moves it."""
    deviations = session.execute(
        select(func.count(Deviation.id), func.max(Deviation.id), func.sum(Deviation.version))
    ).one()
    penalties = session.execute(
        select(
            func.count(CarrierPenalty.id),
            func.max(CarrierPenalty.id),
            func.sum(CarrierPenalty.amount_ore),
        )
    ).one()
    return (tuple(deviations), tuple(penalties))


def _targets_fingerprint(session: Session, principal: str) -> tuple[object, ...]:
    """The principal's targets and comments: set, replaced or removed."""
    targets = session.execute(
        select(
            func.count(KpiTargetRow.id), func.max(KpiTargetRow.set_at), func.sum(KpiTargetRow.value)
        ).where(KpiTargetRow.principal_code == principal)
    ).one()
    comments = session.execute(
        select(
            func.count(KpiCommentRow.id),
            func.max(KpiCommentRow.set_at),
            func.sum(func.length(KpiCommentRow.comment)),
        ).where(KpiCommentRow.principal_code == principal)
    ).one()
    return (tuple(targets), tuple(comments))
