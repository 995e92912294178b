"""Which report may follow which at one stop (pure: plain data in, an error or nothing out).

A stop is identified across plan versions by its leg and its kind (pickup or dropoff). At a
pickup the driver reports Framme (arrived), then Hämtad (picked up) or Uteblev (no-show); at
a drop-off Framme, then Lämnad (dropped off). A no-show ends the booking and may cost the
traveller a fee, so it is reported only at the door (after Framme) and not before the
promised window opens: one early tap hours ahead cancelled a trip. A stop is finished
once; nothing happens at a drop-off before the traveller was picked up; and a report may not
be dated before the one it follows, so a replayed queue that arrives out of order is
refused with what to do. A first report far earlier than the stop's time is taken as a
mis-tap until the driver confirms it (`asks_first`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from samfard.errors import Conflict, InputError
from samfard.timeutil import STOCKHOLM

STOP_KINDS = ("arrived", "picked_up", "no_show", "dropped_off")
POSITION = "position"
ALLOWED_AT: dict[str, frozenset[str]] = {
    "pickup": frozenset({"arrived", "picked_up", "no_show"}),
    "dropoff": frozenset({"arrived", "dropped_off"}),
}
FINISHING = frozenset({"picked_up", "no_show", "dropped_off"})
SV = {
    "arrived": "Framme",
    "picked_up": "Hämtad",
    "no_show": "Uteblev",
    "dropped_off": "Lämnad",
    "position": "Position",
}


# A first report at a pickup this long before the stop's time is asked about before it is
# sent (the page asks; the API takes what the vehicle says happened). A pickup window opens
# 15 minutes before the asked time (planning_inputs.PlanningDefaults.pickup_before_min) and a
# car ahead of its run waits there, so twice that is more than a car is early at a door in
# practice; and far less than the taps seen hours ahead (Framme at 03:15 for a pickup
# promised 10:20-10:35), each of which started the traveller's trip in the records.
EARLY_REPORT = timedelta(minutes=30)


def stop_time(planned_at: datetime, promised_from: datetime | None) -> datetime:
    """When the driver is expected at a stop: its planned time, or the promised window's
    start when that is earlier (a car on time for the window is never early)."""
    return planned_at if promised_from is None else min(planned_at, promised_from)


def asks_first(
    *,
    stop_kind: str,
    planned_at: datetime,
    promised_from: datetime | None,
    reported: bool,
    at: datetime,
) -> bool:
    """Whether a report at `at` is asked about before it is sent: the first report at a
    pickup more than EARLY_REPORT before the stop's time. A drop-off is never asked
    about: it follows a pickup already reported (dropping off early follows picking up
    early), and a stop once reported was confirmed then."""
    if stop_kind != "pickup" or reported:
        return False
    return at < stop_time(planned_at, promised_from) - EARLY_REPORT


@dataclass(frozen=True)
class Reported:
    """A report already stored for a stop (or for the pickup of the same leg)."""

    kind: str
    at: datetime


def _clock(at: datetime) -> str:
    return at.astimezone(STOCKHOLM).strftime("%H:%M:%S")


def check_report(
    *,
    stop_kind: str,
    kind: str,
    at: datetime,
    here: Sequence[Reported],
    pickup: Sequence[Reported],
    no_show_from: datetime | None = None,
) -> None:
    """Refuse a report that cannot follow what was reported at this stop (`here`) and, at a
    drop-off, at the same leg's pickup (`pickup`): 422 for a report the stop never takes,
    409 for one that clashes with the stored reports."""
    if kind not in ALLOWED_AT[stop_kind]:
        takes = " or ".join(sorted(ALLOWED_AT[stop_kind]))
        raise InputError(f"a {stop_kind} stop takes {takes}, not {kind}", field="kind")
    for done in here:
        if done.kind in FINISHING:
            raise Conflict(
                f"this {stop_kind} was already reported {done.kind} at {_clock(done.at)}; "
                "a stop is finished once",
                field="kind",
            )
        if done.kind == kind:
            raise Conflict(
                f"this {stop_kind} was already reported {kind} at {_clock(done.at)}", field="kind"
            )
        if at < done.at:
            raise Conflict(
                f"out of order: {kind} at {_clock(at)} is before {done.kind} at "
                f"{_clock(done.at)}, already reported for this stop",
                field="at",
            )
    if kind == "no_show":
        _check_no_show(at, here, no_show_from)
    if stop_kind == "dropoff":
        _check_on_board(kind, at, pickup)


def _check_no_show(at: datetime, here: Sequence[Reported], opens: datetime | None) -> None:
    if not any(done.kind == "arrived" for done in here):
        raise Conflict(
            "report Framme (arrived) first: a no-show is reported at the pickup, after "
            "arriving and waiting",
            field="kind",
        )
    if opens is not None and at < opens:
        raise Conflict(
            f"the traveller has until the promised window opens at {_clock(opens)}; report "
            "the no-show after that",
            field="at",
        )


def _check_on_board(kind: str, at: datetime, pickup: Sequence[Reported]) -> None:
    picked = next((p for p in pickup if p.kind == "picked_up"), None)
    if any(p.kind == "no_show" for p in pickup):
        raise Conflict(
            "the traveller did not show up at the pickup of this trip; there is nobody to drop off",
            field="kind",
        )
    if picked is None:
        raise Conflict(
            f"{kind} at a drop-off before the traveller was picked up: report picked_up at "
            "the pickup first",
            field="kind",
        )
    if at < picked.at:
        raise Conflict(
            f"out of order: {kind} at {_clock(at)} is before the pickup at {_clock(picked.at)}",
            field="at",
        )


# The refusals of a report as the driver's page says them, by what the message says.
REFUSALS_SV = (
    ("finished once", "Stoppet är redan rapporterat klart."),
    ("already reported", "Det är redan rapporterat för stoppet."),
    ("out of order", "Rapporten är tidigare än en som redan finns för stoppet; den sparades "
     "inte."),
    ("report Framme", "Rapportera Framme först: Uteblev rapporteras vid dörren."),
    ("promised window opens", "Resenären har tid på sig tills det utlovade tidsfönstret "
     "börjar; rapportera Uteblev efter det."),
    ("did not show up", "Resenären uteblev vid hämtningen; det finns ingen att lämna."),
    ("before the traveller was picked up", "Resenären är inte rapporterad hämtad än."),
    ("in the future", "Telefonens klocka går före; ställ in rätt tid och rapportera igen."),
    ("takes", "Den rapporten passar inte det här stoppet."),
    ("no run with id", "Körningen finns inte bland dina körningar."),
    ("was already used for another report", "Rapporten skickades två gånger med olika "
     "innehåll; ladda om sidan."),
)  # fmt: skip


def refusal_sv(message: str) -> str:
    """A refused report in Swedish, for the driver's page."""
    return next(
        (sv for english, sv in REFUSALS_SV if english in message),
        "Rapporten kunde inte sparas; ladda om sidan och försök igen.",
    )
