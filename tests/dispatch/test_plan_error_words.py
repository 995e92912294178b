"""A fault the verifier finds in a running day or a re-plan reaches the controller's alert
in Swedish, counted by kind (`dispatch.words_sv.findings_sv`); the English details go to
the log (the alerts carried them)."""

from __future__ import annotations

from dispatch_fixtures import plan_demo_day
from live_fixtures import busiest_run, minutes, report
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.db import transaction
from samfard.dispatch.live_models import ControllerAlert
from samfard.dispatch.words_sv import VIOLATIONS_SV, findings_sv
from samfard.planning.verifier import Violation, ViolationKind


def test_every_kind_of_finding_has_swedish_words() -> None:
    assert set(VIOLATIONS_SV) == set(ViolationKind)
    found = [
        Violation(ViolationKind.PROMISE, "b1.0", "late"),
        Violation(ViolationKind.CAPACITY, "3", "seats"),
        Violation(ViolationKind.PROMISE, "b2.0", "late"),
    ]
    assert findings_sv(found) == "2 utlovad tid som bryts, 1 fler resenärer än platser"


def test_a_fault_in_a_running_plan_is_alerted_in_swedish(session: Session) -> None:
    """A stored run that drops a traveller off before the pickup (as a faulty write would
    leave it) is found when a late report makes the run be forecast and verified again."""
    plan_demo_day(session)
    run = busiest_run(session)
    stops = list(run.stops)
    last = stops[-1]
    pickup = next(s for s in stops if s.kind == "pickup" and s.leg_id == last.leg_id)
    with transaction(session):
        pickup.seq, last.seq = last.seq, pickup.seq
    session.expire_all()
    first = busiest_run(session).stops[0]
    report(session, first, "arrived", first.planned_at + minutes(20))
    alerted = session.scalars(
        select(ControllerAlert).where(ControllerAlert.kind == "plan_rejected")
    ).all()
    assert alerted, "the fault is alerted"
    message = alerted[0].message
    assert message.startswith("Kontrollen hittade fel i "), message
    assert any(words in message for words in VIOLATIONS_SV.values()), message
    assert not any(kind.value in message for kind in ViolationKind), message
