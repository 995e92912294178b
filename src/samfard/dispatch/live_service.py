"""The controller's live re-plan as a use case: permission, transaction, outcome.

Kept apart from `replan_live` (which runs inside any caller's transaction, the hand-off's
included) so the page and the API route call one function that owns its transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.db import transaction
from samfard.dispatch import store
from samfard.dispatch.replan_live import replan_rest
from samfard.dispatch.replan_save import ReplanOutcome
from samfard.errors import Forbidden, NotFound


def require_controller(actor: Actor) -> None:
    """The live day moves every principal's trips: only an all-principal account acts."""
    actor.require(P.PLANS_WRITE)
    if not actor.owns_everything:
        raise Forbidden(
            "the live day carries every principal's trips; only an account scoped to all "
            "principals (*) acts on it",
            field="principal",
        )


def replan_now(*, session: Session, day: date, actor: Actor, now: datetime) -> ReplanOutcome:
    """Re-plan the rest of `day` from now, keeping what happened and every promise."""
    require_controller(actor)
    with transaction(session):
        plan_run = store.latest_plan(session, day)
        if plan_run is None:
            raise NotFound(f"no plan for {day} yet: plan the day first", field="date")
        return replan_rest(session, plan_run, now=now, actor=actor)
