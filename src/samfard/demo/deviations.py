"""A year of deviations for the demo, reported and handled through the quality use cases.

The settled history has trips but no bookings, so each demo deviation names its settled
trip (`trip_key`), as a deviation reported from the invoice basis does. About
RATE_PER_1000 trips in a thousand get one, with a plausible mix: late pickups the most,
then conduct, wrong vehicles, vehicles that never came, booking errors, information, a few
injuries; most are minor, some put a patient at risk, a few harmed one (those alert the
principal). Reported by the centre (calls from travellers and care), the carrier's
dispatcher or the driver; the centre investigates, the carrier answers, the centre
decides (upheld mostly when the carrier is at fault, which charges the contract's
penalty) and closes. Steps later than the demo day are left undone, so the last weeks
still have open cases. Same seed, same deviations and steps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.costs.models import Carrier, SettledTrip
from samfard.quality.schemas import Action, DeviationCreate, DeviationStep, Outcome
from samfard.quality.service import report_deviation, take_step
from samfard.timeutil import local

RATE_PER_1000 = 3.5
DAYS = 365
KINDS = (("late", 38), ("early", 5), ("vehicle_no_show", 9), ("wrong_vehicle", 10),
         ("conduct", 12), ("injury", 5), ("booking_error", 12), ("information", 9))  # fmt: skip
CENTRE_FAULT = frozenset({"booking_error", "information"})
TEXTS = {
    "late": "Bilen kom {m} minuter efter utlovad tid.",
    "early": "Bilen kom {m} minuter före tidsfönstret och körde vidare.",
    "vehicle_no_show": "Ingen bil kom; resenären ringde centralen efter {m} minuter.",
    "wrong_vehicle": "Personbil kom fast resenären behöver rullstolsplats.",
    "conduct": "Resenären upplevde föraren som otrevlig och körningen som ryckig.",
    "injury": "Resenären snubblade vid avstigning; föraren hjälpte inte till.",
    "booking_error": "Fel hämtadress registrerades vid bokningen.",
    "information": "Resenären fick inget besked om ändrad hämtningstid.",
}
CENTRE = Actor(
    user_id=None, username="demo-bestallningscentral", role=Role.OPERATOR,
    principal_codes=frozenset({"*"}),
)  # fmt: skip


@dataclass(frozen=True)
class DemoDeviation:
    """One planned deviation and its handling (days after the trip; None: not done)."""

    trip_key: str
    carrier: str
    pickup_at: datetime
    kind: str
    severity: str
    reporter: str  # centre | carrier | driver
    minutes: int
    report_after: timedelta
    answer_after: timedelta | None
    decide_after: timedelta | None
    close_after: timedelta | None
    outcome: str


def _severity(kind: str, rng: random.Random) -> str:
    roll = rng.random()
    if kind == "injury":
        return "critical" if roll < 0.1 else "serious" if roll < 0.55 else "moderate"
    if kind in ("late", "vehicle_no_show", "wrong_vehicle", "conduct"):
        return "moderate" if roll < 0.2 else "minor"
    return "moderate" if roll < 0.05 else "minor"


def plan_deviations(trips: list[tuple[str, str, datetime]], *, seed: int) -> list[DemoDeviation]:
    """Pure: which of the (trip key, carrier, pickup) trips get a deviation, and how it goes.
    The trips must come in a fixed order (the caller sorts by key)."""
    rng = random.Random(seed * 7919 + 17)
    kinds, weights = zip(*KINDS, strict=True)
    planned = []
    for key, carrier, pickup in trips:
        if rng.random() >= RATE_PER_1000 / 1000:
            continue
        kind = rng.choices(kinds, weights)[0]
        report = timedelta(hours=rng.randint(1, 48))
        answer = report + timedelta(days=rng.randint(1, 9)) if rng.random() < 0.85 else None
        decide = (answer or report) + timedelta(days=rng.randint(1, 10))
        upheld = kind not in CENTRE_FAULT and rng.random() < 0.65
        planned.append(
            DemoDeviation(
                trip_key=key,
                carrier=carrier,
                pickup_at=pickup,
                kind=kind,
                severity=_severity(kind, rng),
                reporter=rng.choices(("centre", "carrier", "driver"), (70, 15, 15))[0],
                minutes=rng.randint(20, 75),
                report_after=report,
                answer_after=answer,
                decide_after=decide,
                close_after=decide + timedelta(days=rng.randint(0, 5)),
                outcome=Outcome.UPHELD.value if upheld else Outcome.NOT_UPHELD.value,
            )
        )
    return planned


def _actor(reporter: str, carrier_id: int | None) -> Actor:
    if reporter == "centre" or carrier_id is None:
        return CENTRE
    role = Role.CARRIER_DISPATCHER if reporter == "carrier" else Role.DRIVER
    return Actor(user_id=None, username=f"demo-{reporter}-{carrier_id}", role=role,
                 carrier_id=carrier_id)  # fmt: skip


def load_demo_deviations(session: Session, *, end_day: date, seed: int) -> int:
    """Report and handle the demo's deviations on the year of history before `end_day`
    (each through the quality use cases, one transaction each); returns how many."""
    first = end_day - timedelta(days=DAYS)
    rows = session.execute(
        select(SettledTrip.trip_key, SettledTrip.carrier, SettledTrip.pickup_at)
        .where(
            SettledTrip.day >= first,
            SettledTrip.day < end_day,
            SettledTrip.booking_id.is_(None),
        )
        .order_by(SettledTrip.trip_key)
    ).all()
    carriers = dict(session.execute(select(Carrier.name, Carrier.id)).all())
    end = local(end_day, time(0))
    count = 0
    trips = [(r.trip_key, r.carrier, r.pickup_at) for r in rows]
    for plan in plan_deviations(trips, seed=seed):
        carrier_id = carriers.get(plan.carrier)
        at = plan.pickup_at + plan.report_after
        if at >= end:
            continue
        deviation = report_deviation(
            session=session,
            data=DeviationCreate.model_validate(
                {
                    "trip_key": plan.trip_key,
                    "kind": plan.kind,
                    "severity": plan.severity,
                    "description": TEXTS[plan.kind].format(m=plan.minutes),
                    "occurred_at": plan.pickup_at,
                }
            ),
            actor=_actor(plan.reporter, carrier_id),
            now=at,
        )
        count += 1
        first_step = (Action.INVESTIGATE, CENTRE, plan.report_after + timedelta(hours=2), None)
        steps: list[tuple[Action, Actor, timedelta, str | None]] = [first_step]
        if plan.answer_after is not None and carrier_id is not None:
            steps.append((Action.ANSWER, _actor("carrier", carrier_id), plan.answer_after,
                          "Vi har talat med föraren och åtgärdar."))  # fmt: skip
        if plan.decide_after is not None:
            steps.append((Action.DECIDE, CENTRE, plan.decide_after, "Bedömt efter utredning."))
        if plan.close_after is not None:
            steps.append((Action.CLOSE, CENTRE, plan.close_after, None))
        for action, actor, after, note in steps:
            when = plan.pickup_at + after
            if when >= end:
                break
            take_step(
                session=session,
                deviation_id=deviation.id,
                data=DeviationStep(
                    action=action,
                    note=note,
                    outcome=Outcome(plan.outcome) if action is Action.DECIDE else None,
                ),
                actor=actor,
                now=when,
            )
    return count
