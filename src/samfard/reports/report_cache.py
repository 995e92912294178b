"""The monthly report kept in memory until the settled data behind it changes.

A report reads every settled trip of a principal for two years; the follow-up page is
opened again and again for the same month. The figures change only when a day is settled
(new rows in `settled_trip`), a deviation is reported or moves on, a penalty is charged,
or the principal's targets or comments are set, so a report
is kept under its principal, month, the settled table's row count and highest id and the
count and latest change of the principal's targets and comments, and built again when
any of those move. A report holds no
person (trips are named by booking and leg), so one kept report serves every reader; the
reader's permission and principal scope are checked on every call, hit or miss.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Permission
from samfard.costs.models import CarrierPenalty, SettledTrip
from samfard.quality.models import Deviation
from samfard.reports import service
from samfard.reports.models import KpiCommentRow, KpiTargetRow
from samfard.reports.monthly import MonthlyReportData

KEPT = 64  # reports kept (principal x month); older ones are dropped first

_lock = threading.Lock()
_kept: OrderedDict[tuple[object, ...], MonthlyReportData] = OrderedDict()


def monthly_report(
    *, session: Session, actor: Actor, principal: str, year: int, month: int
) -> MonthlyReportData:
    """`service.monthly_report`, answered from memory while its data is unchanged."""
    actor.require(Permission.REPORTS_READ)
    actor.require_principal(principal)
    settled = session.execute(select(func.count(SettledTrip.id), func.max(SettledTrip.id))).one()
    targets = session.execute(
        select(func.count(KpiTargetRow.id), func.max(KpiTargetRow.set_at)).where(
            KpiTargetRow.principal_code == principal
        )
    ).one()
    comments = session.execute(
        select(func.count(KpiCommentRow.id), func.max(KpiCommentRow.set_at)).where(
            KpiCommentRow.principal_code == principal
        )
    ).one()
    deviations = session.execute(
        select(func.count(Deviation.id), func.max(Deviation.id), func.sum(Deviation.version))
    ).one()
    penalties = session.execute(
        select(func.count(CarrierPenalty.id), func.max(CarrierPenalty.id))
    ).one()
    key = (
        str(session.get_bind().engine.url),
        principal,
        year,
        month,
        tuple(settled),
        tuple(targets),
        tuple(comments),
        tuple(deviations),
        tuple(penalties),
    )
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    report = service.monthly_report(
        session=session, actor=actor, principal=principal, year=year, month=month
    )
    with _lock:
        _kept[key] = report
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return report
