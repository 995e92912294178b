"""Booking does not import assessment: a stored booking reaches it on the message bus."""

from __future__ import annotations

from samfard import events


def test_assessment_subscribes_to_new_bookings_on_first_publish() -> None:
    events._wire()
    from samfard.assessment import handlers

    assert handlers.booking_created in events._handlers[events.BookingCreated]


def test_booking_modules_do_not_import_the_assessment_service() -> None:
    """The lazy import that closed the circle booking.service <-> assessment is gone."""
    from pathlib import Path

    import samfard.booking

    folder = Path(samfard.booking.__file__).parent
    for module in ("service.py", "series.py", "transitions.py"):
        assert "samfard.assessment" not in (folder / module).read_text(), module
