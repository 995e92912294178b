"""The decision that stands on a case, as the assessor's page says it: what was decided,
by whom (the rules or which assessor) and when.

A decided case shows this instead of the decision form, and a decision form posted for
a case decided meanwhile is answered with it. A walk-through as the assessor found a
decided case offering the form again, its save answering "Ladda om sidan", and the
reload showing the same form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from samfard.assessment.service import AWAITING_APPROVAL, WAITING
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.dates_sv import date_sv
from samfard.timeutil import STOCKHOLM


@dataclass(frozen=True)
class Standing:
    """A decided case: `verdict_sv` ("beviljad", "avslagen", "avbokad"), the assessor's
    login and reason when a person decided, and whether an assessor may still approve it
    on reconsideration (omprövning: `assessment.service.decide` approves a denied trip)."""

    verdict_sv: str
    assessor: str | None
    at: datetime | None
    reason: str | None
    reconsider: bool

    @property
    def by_sv(self) -> str:
        return "reglerna" if self.assessor is None else f"handläggaren {self.assessor}"

    def sentence_sv(self) -> str:
        """'Resan är beviljad av handläggaren anna 7 december 2026 kl. 10:12.'"""
        when = ""
        if self.at is not None:
            local = self.at.astimezone(STOCKHOLM)
            when = f" {date_sv(local, 'long')} kl. {local:%H:%M}"
        if self.verdict_sv == "avbokad":
            return "Resan är avbokad." + (f" Den beslutades av {self.by_sv}{when}." if when else "")
        return f"Resan är {self.verdict_sv} av {self.by_sv}{when}."


def _at(stored: dict[str, Any]) -> datetime | None:
    said = stored.get("decided_at") or (stored.get("assessor") or {}).get("at")
    try:
        return datetime.fromisoformat(str(said)) if said else None
    except ValueError:
        return None


def standing(booking: Booking) -> Standing | None:
    """What stands on `booking`, or None while it still waits to be decided (requested)."""
    if booking.status == BookingStatus.REQUESTED.value:
        return None
    stored = booking.decision or {}
    person = stored.get("assessor") if stored.get("decided_by") == "assessor" else None
    if booking.status == BookingStatus.DENIED.value:
        verdict = "avslagen"
    elif booking.status == BookingStatus.CANCELLED.value:
        verdict = "avbokad"
        if stored.get("outcome") in (None, WAITING):  # cancelled before anyone decided
            return Standing(verdict, assessor=None, at=None, reason=None, reconsider=False)
    else:
        verdict = "beviljad"
    return Standing(
        verdict_sv=verdict,
        assessor=None if person is None else str(person.get("username", "")),
        at=_at(stored),
        reason=None if person is None else str(person.get("reason", "")),
        reconsider=booking.status in AWAITING_APPROVAL,
    )
