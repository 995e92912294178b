"""Why a move was refused, in Swedish, naming the trips, times and runs (pure).

The move form said only "Kontrollen av den ändrade planen hittade fel, så ingenting
sparades." although docs/workspace.md promised the details: the controller could not tell
whether another run would do, or whether the runs were already late. Each finding of the
independent verifier is now said with the trip's booking number, what broke (a promised
time, a window, a ride time, the vehicle's places or shift) with the times, and the run;
and whether the move made a finding there before it worse (a run already running late) or
came with it. A finding there before the move and left as it was refuses nothing. Never a
traveller's name or address: the same words go in the log and may be read back on the
phone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from samfard.dispatch.words_sv import VIOLATIONS_SV
from samfard.planning.model import Problem, Solution, StopKind
from samfard.planning.verifier import Violation, ViolationKind
from samfard.timeutil import STOCKHOLM

SHOWN = 3  # findings named; the rest are counted


@dataclass(frozen=True, slots=True)
class Names:
    """How the refusal names things: trips by request id ("SF-ABC resa 1"), runs by the
    planner's vehicle id ("Sundsvall taxi 3"), and seconds of the day as times."""

    trips: Mapping[str, str]
    vehicles: Mapping[str, str]
    at: Callable[[float], datetime]

    def clock(self, seconds: float) -> str:
        return f"{self.at(seconds).astimezone(STOCKHOLM):%H:%M}"


def finding_sv(violation: Violation, problem: Problem, solution: Solution, names: Names) -> str:
    """One finding: "SF-ABC resa 1 hämtas 11:40 men är utlovad 10:50–11:05 (Sundsvall
    taxi 3)"."""
    requests = {r.id: r for r in problem.requests}
    request = requests.get(violation.subject)
    vehicle_of = {rid: r.vehicle_id for r in solution.routes for rid in r.request_ids()}
    if request is None:  # a vehicle's finding: its places, its shift, its drive
        run = names.vehicles.get(violation.subject, violation.subject)
        return f"{run}: {VIOLATIONS_SV.get(violation.kind, violation.kind)}"
    trip = names.trips.get(request.id, "en resa")
    run = names.vehicles.get(vehicle_of.get(request.id, ""), "")
    where = f" ({run})" if run else ""
    times = {
        (s.request_id, s.kind): s.time for r in solution.routes for s in r.stops if s.request_id
    }
    pickup = times.get((request.id, StopKind.PICKUP))
    dropoff = times.get((request.id, StopKind.DROPOFF))
    kind = violation.kind
    if kind is ViolationKind.PROMISE and pickup is not None and request.promised_pickup:
        promised = request.promised_pickup
        return (
            f"{trip} hämtas {names.clock(pickup)} men är utlovad "
            f"{names.clock(promised.earliest)}–{names.clock(promised.latest)}{where}"
        )
    if kind is ViolationKind.TIME_WINDOW and "drop-off" in violation.detail and dropoff:
        window = request.dropoff_window
        return (
            f"{trip} kommer fram {names.clock(dropoff)}, ska vara framme "
            f"{names.clock(window.earliest)}–{names.clock(window.latest)}{where}"
        )
    if kind is ViolationKind.TIME_WINDOW and pickup is not None:
        window = request.pickup_window
        return (
            f"{trip} hämtas {names.clock(pickup)}, utanför hämtfönstret "
            f"{names.clock(window.earliest)}–{names.clock(window.latest)}{where}"
        )
    if kind is ViolationKind.MAX_RIDE and pickup is not None and dropoff is not None:
        ride = (dropoff - pickup - request.pickup_service) / 60.0
        limit = (request.max_ride or 0.0) / 60.0
        return f"{trip} åker {ride:.0f} min, längst {limit:.0f} min{where}"
    return f"{trip}: {VIOLATIONS_SV.get(kind, kind)}{where}"


def findings_sv(
    violations: Iterable[Violation],
    before: set[tuple[str, str]],
    problem: Problem,
    solution: Solution,
    names: Names,
) -> tuple[str, bool]:
    """The findings said in one line, and whether any came with the move: those that did
    when there are any, else those there before it (`before`: kind and subject of the
    plan's own findings). The move form says them beside the run they were found for."""
    new: list[str] = []
    old: list[str] = []
    found = list(violations)
    promised = {v.subject for v in found if v.kind is ViolationKind.PROMISE}
    for violation in found:
        if (
            violation.kind is ViolationKind.TIME_WINDOW
            and violation.subject in promised
            and "pickup" in violation.detail
        ):
            continue  # the broken promise says it better than the window around it
        said = finding_sv(violation, problem, solution, names)
        (old if (violation.kind.value, violation.subject) in before else new).append(said)
    listed = list(dict.fromkeys(new or old))  # one sentence once
    text = "; ".join(listed[:SHOWN])
    if len(listed) > SHOWN:
        text += f" och {len(listed) - SHOWN} fel till"
    return text, bool(new)


def refusal_sv(
    violations: Iterable[Violation],
    before: set[tuple[str, str]],
    problem: Problem,
    solution: Solution,
    names: Names,
) -> str:
    """The whole refusal: what the move breaks, or, when every finding it made was there
    before it in another form (`before`: kind and subject of the plan's own findings; the
    move is refused only for what it adds or changes, `move_fit.added_findings`), that it
    makes runs already late worse."""
    text, new = findings_sv(violations, before, problem, solution, names)
    if new:
        return (
            "Flytten sparades inte. Kontrollen av planen med resan i den körningen fann: "
            f"{text}. Välj en annan körning."
        )
    return (
        "Flytten sparades inte. Körningarna är redan försenade, och flytten gör det värre: "
        f"{text}. Välj en annan körning."
    )
