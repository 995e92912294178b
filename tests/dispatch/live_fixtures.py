"""Helpers of the live-day tests: a planned demo day under way, driver reports."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard import events
from samfard.access.actor import SYSTEM, Actor
from samfard.access.permissions import Role
from samfard.db import transaction
from samfard.dispatch.models import PlanRun, Run, Stop

DRIVER = Actor(user_id=None, username="test-driver", role=Role.DRIVER)
CONTROLLER = Actor(
    user_id=None, username="test-controller", role=Role.OPERATOR, principal_codes=frozenset("*")
)


def plan(session: Session) -> PlanRun:
    return session.scalars(select(PlanRun).order_by(PlanRun.version.desc())).first()  # type: ignore[return-value]


def busiest_run(session: Session) -> Run:
    """The run with the most stops (at least two pickups on it)."""
    return max(plan(session).runs, key=lambda r: (len(r.stops), -r.id))


def report(session: Session, stop: Stop, status: str, at: datetime) -> None:
    """What the driver's page does: publish the stop report in one transaction."""
    with transaction(session):
        events.publish(
            session,
            events.StopReported(
                actor=DRIVER,
                at=at,
                run_id=stop.run_id,
                stop_id=stop.id,
                booking_id=stop.booking_id,
                status=status,
            ),
        )


def drive_on_time(session: Session, run: Run, stops: int) -> list[tuple[int, int, str]]:
    """Report the first `stops` stops of `run` as done at their planned times; returns
    their keys (booking, leg, kind) in order."""
    done = []
    for stop in list(run.stops)[:stops]:
        status = "picked_up" if stop.kind == "pickup" else "dropped_off"
        report(session, stop, status, stop.planned_at)
        done.append((stop.booking_id, stop.leg_seq, stop.kind))
    return done


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


__all__ = ["CONTROLLER", "DRIVER", "SYSTEM"]
