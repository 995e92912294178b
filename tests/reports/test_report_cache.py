"""The kept monthly report: the same answer while the settled trips are unchanged, a new
one when a trip is added or a day settled again, and the reader's scope checked on every
call."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from settled_rows import SETTLED_AT, Trip, settle, settle_again
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.actor import SYSTEM, Actor
from samfard.access.permissions import Role
from samfard.costs.models import SettledTrip
from samfard.costs.service import load_contract_files
from samfard.demo.history import HistorySettings, load_history
from samfard.errors import Forbidden
from samfard.reports import report_cache
from samfard.reports.monthly import MonthlyReportData
from samfard.reports.targets import set_target

ANALYST = Actor(user_id=None, username="a", role=Role.ANALYST, principal_codes=frozenset({"*"}))
OTHER = Actor(user_id=None, username="b", role=Role.ANALYST, principal_codes=frozenset({"22"}))


def test_a_kept_report_is_reused_until_the_settled_trips_change(session: Session) -> None:
    load_contract_files(session)
    load_history(session, end_day=date(2026, 11, 1), seed=4, now=NOW, settings=HistorySettings(2))
    first = report_cache.monthly_report(
        session=session, actor=ANALYST, principal="23", year=2026, month=10, today=date(2027, 1, 1)
    )
    again = report_cache.monthly_report(
        session=session, actor=ANALYST, principal="23", year=2026, month=10, today=date(2027, 1, 1)
    )
    assert again is first
    with pytest.raises(Forbidden):
        report_cache.monthly_report(
            session=session,
            actor=OTHER,
            principal="23",
            year=2026,
            month=10,
            today=date(2027, 1, 1),
        )
    trip = session.scalars(select(SettledTrip).where(SettledTrip.principal_code == "23")).first()
    assert trip is not None
    session.delete(trip)
    session.flush()
    changed = report_cache.monthly_report(
        session=session, actor=ANALYST, principal="23", year=2026, month=10, today=date(2027, 1, 1)
    )
    assert changed is not first
    set_target(
        session=session,
        actor=SYSTEM,
        principal="23",
        year=2026,
        kpi="punctuality",
        value="94",
        now=NOW,
    )
    targeted = report_cache.monthly_report(
        session=session, actor=ANALYST, principal="23", year=2026, month=10, today=date(2027, 1, 1)
    )
    assert targeted is not changed
    assert any(line.target is not None for line in targeted.kpis)


def _total(report: MonthlyReportData) -> int:
    return next(line.current for line in report.month_lines if line.label == "Total kostnad")


def test_a_day_settled_again_is_a_new_report_although_ids_and_count_are_the_same(
    app_client: TestClient, session: Session
) -> None:
    """Settling a day again deletes its rows and inserts as many new ones; SQLite gives them
    the deleted rows' ids, so a key of row count and highest id kept the old report."""
    day = date(2026, 10, 5)
    settle(session, [Trip("a", "23", day, 30000), Trip("b", "23", day, 20000)])
    reader = auth(token_for(session, Role.ANALYST, now=NOW, principals=["*"]))
    query = {"manad": "2026-10", "huvudman": "23"}

    def page_total() -> str:
        text = app_client.get("/uppfoljning/manadsrapport.csv", params=query, headers=reader).text
        return next(line for line in text.splitlines() if ";Månaden;Total kostnad;" in line)

    kept = report_cache.monthly_report(
        session=session, actor=ANALYST, principal="23", year=2026, month=10, today=date(2027, 1, 1)
    )
    assert _total(kept) == 50000 and "500,00" in page_total()
    ids = sorted(session.scalars(select(SettledTrip.id)))
    settle_again(session, day, [Trip("a", "23", day, 35000), Trip("b", "23", day, 20000)])
    if session.get_bind().dialect.name == "sqlite":
        assert sorted(session.scalars(select(SettledTrip.id))) == ids  # the ids came back
    again = report_cache.monthly_report(
        session=session, actor=ANALYST, principal="23", year=2026, month=10, today=date(2027, 1, 1)
    )
    assert _total(again) == 55000
    assert "550,00" in page_total()
    # The same sums settled again later (another service day's rows moved) are new too.
    settle_again(
        session,
        day,
        [Trip("a", "23", day, 20000), Trip("b", "23", day, 35000)],
        settled_at=SETTLED_AT + timedelta(days=1),
    )
    later = report_cache.monthly_report(
        session=session, actor=ANALYST, principal="23", year=2026, month=10, today=date(2027, 1, 1)
    )
    assert later is not again
