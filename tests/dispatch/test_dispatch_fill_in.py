"""Legs the solver left out for lack of time are offered to insertion; the rest keep reasons."""

from __future__ import annotations

from datetime import time

from test_problem_builder import DAY, leg, vehicle

from samfard.dispatch.problem_builder import build_problem
from samfard.dispatch.service import _fill_in
from samfard.geo.traveltime import GeodesicProvider
from samfard.planning.engine import NOT_INSERTED
from samfard.planning.fleet_bound import FLEET_SHORT
from samfard.planning.model import Solution, Unserved
from samfard.planning.solve import VerifiedSolution
from samfard.planning.verifier import verify
from samfard.timeutil import local


def test_left_out_legs_are_inserted_and_other_reasons_stand() -> None:
    legs = [
        leg(leg_seq=0),
        leg(leg_seq=1, requested_pickup_at=local(DAY, time(13, 0))),
        leg(leg_seq=2, requested_pickup_at=local(DAY, time(23, 50))),  # after every shift
    ]
    day = build_problem(DAY, legs, [vehicle()], GeodesicProvider())
    reasons = {"b1.0": NOT_INSERTED, "b1.1": NOT_INSERTED, "b1.2": "window unreachable"}
    empty = Solution((), tuple(Unserved(rid, why) for rid, why in reasons.items()), 0.0)
    start = VerifiedSolution(empty, verify(day.problem, empty))
    assert start.report.ok
    filled = _fill_in(day, start)
    served = filled.solution.served_ids()
    assert served == {"b1.0", "b1.1"}
    assert [(u.request_id, u.reason) for u in filled.solution.unserved] == [
        ("b1.2", "window unreachable")
    ]
    assert filled.report.ok and filled.report.cost > 0


def test_left_out_legs_beyond_the_stretcher_vehicles_get_the_fleet_reason() -> None:
    """Two travellers' stretcher legs at 09:00 and one stretcher vehicle: inserting the
    left-out one fails, and the reason says the fleet, not the time limit, is short."""
    legs = [leg(booking_id=k, needs=("stretcher",)) for k in (1, 2)]
    day = build_problem(DAY, legs, [vehicle(stretcher=1), vehicle(2)], GeodesicProvider())
    reasons = {"b1.0": NOT_INSERTED, "b2.0": NOT_INSERTED}
    empty = Solution((), tuple(Unserved(rid, why) for rid, why in reasons.items()), 0.0)
    filled = _fill_in(day, VerifiedSolution(empty, verify(day.problem, empty)))
    served = filled.solution.served_ids()
    (left_out,) = filled.solution.unserved
    assert served == {"b1.0"} and left_out.request_id == "b2.0"
    assert left_out.reason.startswith(FLEET_SHORT)
    assert filled.report.ok


def test_left_out_legs_beyond_the_wheelchair_places_get_the_fleet_reason() -> None:
    """Three travellers in wheelchairs at 09:00 and one vehicle with two wheelchair places:
    two ride together, and the third is left out because the fleet, not the time, is short
    (the proof follows each pickup and drop-off when a vehicle takes more than one)."""
    legs = [leg(booking_id=k, needs=("wheelchair",)) for k in (1, 2, 3)]
    day = build_problem(DAY, legs, [vehicle(wheelchair=2), vehicle(2)], GeodesicProvider())
    reasons = {f"b{k}.0": NOT_INSERTED for k in (1, 2, 3)}
    empty = Solution((), tuple(Unserved(rid, why) for rid, why in reasons.items()), 0.0)
    filled = _fill_in(day, VerifiedSolution(empty, verify(day.problem, empty)))
    served = filled.solution.served_ids()
    (left_out,) = filled.solution.unserved
    assert len(served) == 2 and left_out.request_id not in served
    assert left_out.reason.startswith(FLEET_SHORT)
    assert "at most 2 of the 3 trips" in left_out.reason
    assert filled.report.ok
