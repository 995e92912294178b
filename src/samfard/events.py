"""The message bus: a step publishes what happened, later steps handle it.

Arrows point down the spine (booking → planning → dispatch → settlement), but a later
step must often react to an earlier one: a booking approved after its day was planned is
inserted into the plan, a cancelled one leaves it, and so do goods. Instead of booking or
goods importing dispatch (an import circle), they publish a domain event and dispatch
subscribes, in the style of "Architecture Patterns with Python" (Percival and Gregory,
ch. 8-9).

Handlers run synchronously, in order of subscription, inside the publisher's transaction
and with its session: what an event changes is committed or rolled back together with the
change that caused it, so nothing is half-written. Handler modules are named in
`HANDLER_MODULES` and imported on the first publish, so every entry point (server, CLI,
demo, a test calling a service directly) sees the same subscribers without wiring its own.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from samfard.access.actor import Actor


@dataclass(frozen=True)
class DomainEvent:
    """Base of every event: who caused it and when (time-zone aware)."""

    actor: Actor
    at: datetime


@dataclass(frozen=True)
class BookingCreated(DomainEvent):
    """A booking was stored (requested) in the creation transaction; the assessment
    subscribes and decides it there, so no booking is ever stored without its decision."""

    booking_id: int


@dataclass(frozen=True)
class BookingStatusChanged(DomainEvent):
    """A booking moved in its lifecycle (booking.transitions.apply_transition)."""

    booking_id: int
    previous: str
    current: str


@dataclass(frozen=True)
class BookingChanged(DomainEvent):
    """What the rules weigh (needs, companions, purpose, a leg's time, named as
    `legs[i].pickup_at` or `legs[i].appointment_at`) was changed on a booking not yet
    travelled (booking.service.update_booking): the assessment decides it again, and a
    planned day places it again with its new loads and times."""

    booking_id: int
    fields: tuple[str, ...]
    status: str  # the booking's status when it was changed, before it is decided again


@dataclass(frozen=True)
class ConsignmentBooked(DomainEvent):
    """Goods were booked (goods.service.create_consignment); a day already planned takes
    them into its newest plan in the same transaction (dispatch subscribes)."""

    consignment_id: int


@dataclass(frozen=True)
class ConsignmentCancelled(DomainEvent):
    """Goods not yet picked up were cancelled; their stops leave the day's newest plan."""

    consignment_id: int


@dataclass(frozen=True)
class StopReported(DomainEvent):
    """A driver reported a stop of a run (dispatch's driver events, replayed ones only once).

    `status` is one of "arrived", "picked_up", "no_show", "dropped_off"; `at` is when it
    happened at the vehicle (which may be long before it reached the server).
    """

    run_id: int
    stop_id: int
    booking_id: int | None
    status: str
    # The stop as it was reported, for a handler that runs after the stop is gone (a
    # no-show takes its booking out of the plan in the same transaction).
    leg_seq: int | None = None
    stop_kind: str | None = None
    stop_seq: int | None = None


@dataclass(frozen=True)
class PositionReported(DomainEvent):
    """A vehicle's position, from the driver's page or a carrier's system."""

    vehicle_id: int
    lat: float
    lon: float


@dataclass(frozen=True)
class TravellerNotice(DomainEvent):
    """Something a traveller should be told (the vehicle is on its way, a new time).

    Published by whoever knows it; the notification outbox subscribes and sends it by the
    traveller's channel. `text` is Swedish and must not name a protected person.
    """

    traveller_id: int
    booking_id: int | None
    kind: str
    text: str


@dataclass(frozen=True)
class TravellerPseudonymised(DomainEvent):
    """Retention replaced a traveller's identity and coarsened where they travelled from
    (access.retention); every step that keeps its own copy of where they were does the same
    to its rows: goods (aids to their home), dispatch (what drivers reported at their
    stops)."""

    traveller_id: int
    booking_ids: tuple[int, ...]


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Session, Any], None]

# Modules whose import subscribes their handlers; imported once, on the first publish.
HANDLER_MODULES: tuple[str, ...] = (
    "samfard.assessment.handlers",
    "samfard.dispatch.handlers",
    "samfard.goods.handlers",
    "samfard.notify.handlers",
)

_handlers: dict[type[DomainEvent], list[Handler]] = defaultdict(list)
_wired = False


def subscribe(event_type: type[E], handler: Callable[[Session, E], None]) -> None:
    """Call `handler(session, event)` for every published event of `event_type`."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(session: Session, event: DomainEvent) -> None:
    """Run every handler of the event's type (and its base types) in the caller's transaction."""
    _wire()
    for event_type in type(event).__mro__:
        for handler in list(_handlers.get(event_type, ())):
            handler(session, event)


def _wire() -> None:
    global _wired
    if not _wired:
        for name in HANDLER_MODULES:
            importlib.import_module(name)
        _wired = True
