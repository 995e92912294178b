"""The kept monthly report: the same answer while the settled trips are unchanged, a new
one when a trip is added, and the reader's scope checked on every call."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW
from samfard.access.actor import SYSTEM, Actor
from samfard.access.permissions import Role
from samfard.costs.models import SettledTrip
from samfard.costs.service import load_contract_files
from samfard.demo.history import HistorySettings, load_history
from samfard.errors import Forbidden
from samfard.reports import report_cache
from samfard.reports.targets import set_target

ANALYST = Actor(user_id=None, username="a", role=Role.ANALYST, principal_codes=frozenset({"*"}))
OTHER = Actor(user_id=None, username="b", role=Role.ANALYST, principal_codes=frozenset({"22"}))


def test_a_kept_report_is_reused_until_the_settled_trips_change(session: Session) -> None:
    load_contract_files(session)
    load_history(session, end_day=date(2026, 11, 1), seed=4, now=NOW, settings=HistorySettings(2))
    first = report_cache.monthly_report(
        session=session, actor=ANALYST, principal="23", year=2026, month=10
    )
    again = report_cache.monthly_report(
        session=session, actor=ANALYST, principal="23", year=2026, month=10
    )
    assert again is first
    with pytest.raises(Forbidden):
        report_cache.monthly_report(
            session=session, actor=OTHER, principal="23", year=2026, month=10
        )
    trip = session.scalars(select(SettledTrip).where(SettledTrip.principal_code == "23")).first()
    assert trip is not None
    session.delete(trip)
    session.flush()
    changed = report_cache.monthly_report(
        session=session, actor=ANALYST, principal="23", year=2026, month=10
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
        session=session, actor=ANALYST, principal="23", year=2026, month=10
    )
    assert targeted is not changed
    assert any(line.target is not None for line in targeted.kpis)
