"""Controller alerts: one open line per problem, listed for the controller only,
acknowledged once with who and when."""

from __future__ import annotations

from datetime import date

import pytest
from live_fixtures import CONTROLLER
from sqlalchemy.orm import Session

from helpers import NOW
from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.db import transaction
from samfard.dispatch import alerts
from samfard.errors import Conflict, Forbidden

DAY = date(2026, 11, 23)


def _raise(session: Session, subject: str, message: str) -> None:
    with transaction(session):
        alerts.raise_alert(
            session, kind="promise_at_risk", day=DAY, subject=subject, message=message, at=NOW
        )


def test_the_same_open_problem_is_one_alert_with_the_newest_text(session: Session) -> None:
    _raise(session, "b1.0", "första")
    _raise(session, "b1.0", "andra")
    _raise(session, "b2.0", "annan")
    rows = alerts.list_alerts(session=session, day=DAY, actor=CONTROLLER)
    assert sorted(r.message for r in rows) == ["andra", "annan"]
    assert {r.kind_sv for r in rows} == {"Utlovad tid i fara"}


def test_acknowledged_alerts_leave_the_open_list_and_record_who(session: Session) -> None:
    _raise(session, "b1.0", "först")
    (row,) = alerts.list_alerts(session=session, day=DAY, actor=CONTROLLER)
    done = alerts.acknowledge(session=session, alert_id=row.id, actor=CONTROLLER, now=NOW)
    assert done.acknowledged_by == "test-controller" and done.acknowledged_at == NOW
    assert alerts.list_alerts(session=session, day=DAY, actor=CONTROLLER) == []
    everything = alerts.list_alerts(
        session=session, day=DAY, actor=CONTROLLER, include_acknowledged=True
    )
    assert [r.id for r in everything] == [row.id]
    with pytest.raises(Conflict):
        alerts.acknowledge(session=session, alert_id=row.id, actor=CONTROLLER, now=NOW)
    # Once acknowledged, the same problem raises a new alert.
    _raise(session, "b1.0", "igen")
    assert len(alerts.list_alerts(session=session, day=DAY, actor=CONTROLLER)) == 1


def test_only_an_all_principal_account_reads_or_acknowledges(session: Session) -> None:
    _raise(session, "b1.0", "x")
    local_desk = Actor(
        user_id=None, username="desk-22", role=Role.OPERATOR, principal_codes=frozenset({"22"})
    )
    with pytest.raises(Forbidden):
        alerts.list_alerts(session=session, day=DAY, actor=local_desk)
    (row,) = alerts.list_alerts(session=session, day=DAY, actor=CONTROLLER)
    with pytest.raises(Forbidden):
        alerts.acknowledge(session=session, alert_id=row.id, actor=local_desk, now=NOW)
