"""A planning engine that never looks at the clock: cheapest insertion of every request.

The demo plans with it so that a seed gives the same plan on every run and every machine
(OR-Tools stops on a wall-clock limit, so how far it gets depends on the machine's load).
Requests are inserted one at a time, in the problem's order (shuffled by `seed` when it is
not 0), each at its cheapest feasible place by live insertion (`insertion.insert`: exact
schedules, windows, ride times, loads); a request no place fits stays unserved with the
reasons. The work is bounded by the problem's size, not by time: `time_limit_s` is part of
the `Solver` interface and not used.
"""

from __future__ import annotations

import random

from samfard.planning.engine import unservable_reason
from samfard.planning.insertion import Insertion, insert
from samfard.planning.insertion_screen import ScreeningCache
from samfard.planning.model import Problem, Solution, Unserved
from samfard.planning.verifier import route_cost


class InsertionEngine:
    """`Solver` by cheapest insertion; deterministic for a problem, seed and initial plan."""

    def solve(
        self,
        problem: Problem,
        *,
        time_limit_s: float,
        seed: int,
        initial: Solution | None = None,
    ) -> Solution:
        reasons = {r.id: unservable_reason(problem, r) for r in problem.requests}
        unserved = [Unserved(rid, why) for rid, why in reasons.items() if why is not None]
        routed = initial.served_ids() if initial else set()
        order = [r for r in problem.requests if reasons[r.id] is None and r.id not in routed]
        if seed:
            random.Random(seed).shuffle(order)
        solution = Solution(initial.routes if initial else (), ())
        cache = ScreeningCache()
        for request in order:
            answer = insert(problem, solution, request, cache=cache)
            if isinstance(answer, Insertion):
                solution = answer.solution
            else:
                unserved.append(Unserved(request.id, answer.message))
        vehicles = {v.id: v for v in problem.vehicles}
        cost = sum(route_cost(problem, vehicles[r.vehicle_id], r) for r in solution.routes)
        return Solution(solution.routes, tuple(unserved), cost)
