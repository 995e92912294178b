"""The message bus: handlers of an event's type and of its base types run, in order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from samfard import events
from samfard.access.actor import Actor
from samfard.access.permissions import Role


@dataclass(frozen=True)
class _Happened(events.DomainEvent):
    what: str


@pytest.fixture(autouse=True)
def _own_subscribers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Subscriptions made here must not outlive the test (the bus is process-wide)."""
    events._wire()  # the real subscribers first, into the real registry
    copy = defaultdict(list, {kind: list(hs) for kind, hs in events._handlers.items()})
    monkeypatch.setattr(events, "_handlers", copy)


def _actor() -> Actor:
    return Actor(user_id=None, username="bus-test", role=Role.OPERATOR)


def test_publish_runs_handlers_of_the_type_and_its_bases_with_the_session() -> None:
    seen: list[tuple[str, Any, str]] = []
    session: Any = object()
    events.subscribe(_Happened, lambda s, e: seen.append(("own", s, e.what)))
    events.subscribe(events.DomainEvent, lambda s, e: seen.append(("base", s, type(e).__name__)))

    events.publish(session, _Happened(actor=_actor(), at=datetime.now(UTC), what="x"))

    assert ("own", session, "x") in seen
    assert ("base", session, "_Happened") in seen
    kinds = [kind for kind, _, _ in seen]
    assert kinds.index("own") < kinds.index("base")


def test_subscribing_the_same_handler_twice_runs_it_once() -> None:
    calls: list[str] = []

    def handler(session: Any, event: _Happened) -> None:
        calls.append(event.what)

    events.subscribe(_Happened, handler)
    events.subscribe(_Happened, handler)
    events.publish(object(), _Happened(actor=_actor(), at=datetime.now(UTC), what="once"))

    assert calls == ["once"]


def test_dispatch_subscribes_to_booking_moves_on_first_publish() -> None:
    events.publish(object(), _Happened(actor=_actor(), at=datetime.now(UTC), what="wire"))
    from samfard.dispatch import handlers

    assert handlers.booking_status_changed in events._handlers[events.BookingStatusChanged]
