"""Day-ahead re-optimisation (omplanering dagen före) that keeps every promise.

During the day each booking is inserted live and its traveller gets a promised pickup
window. The evening before, the whole day is planned again from scratch-quality search, but
the promises are hard: each request's `promised_pickup` narrows its pickup window, the
current plan is the starting solution, and the result is only taken when it carries every
promised traveller the current plan carries and is no worse. Otherwise the current plan
stands, so re-optimising can never make the day worse than it already is.
"""

from __future__ import annotations

from samfard.errors import Conflict
from samfard.planning.engine import Solver
from samfard.planning.model import Problem, Solution
from samfard.planning.solve import VerifiedSolution, plan
from samfard.planning.verifier import verify


def promises_lost(problem: Problem, current: Solution, candidate: Solution) -> set[str]:
    """The travellers with a promised pickup that `current` carries and `candidate` does
    not: a plan that replaces another must keep them."""
    promised = {r.id for r in problem.requests if r.promised_pickup is not None}
    return (current.served_ids() & promised) - candidate.served_ids()


def reoptimise(
    problem: Problem,
    current: Solution,
    *,
    time_limit_s: float,
    seed: int = 0,
    solver: Solver | None = None,
) -> VerifiedSolution:
    """Re-plan `problem` starting from `current`; never returns a plan breaking a promise."""
    before = verify(problem, current)
    candidate = plan(problem, time_limit_s=time_limit_s, seed=seed, initial=current, solver=solver)
    lost = promises_lost(problem, current, candidate.solution)
    if before.ok:
        if lost or _score(candidate.solution, candidate.report.cost) < _score(current, before.cost):
            return VerifiedSolution(current, before)
        return candidate
    if lost:
        raise Conflict(
            "re-optimisation would drop promised requests "
            f"{', '.join(sorted(lost))} and the current plan is itself invalid: "
            f"{before.violations[0]}",
            field="promised_pickup",
        )
    return candidate


def _score(solution: Solution, cost: float) -> tuple[int, float]:
    """More requests carried first, then lower cost."""
    return len(solution.served_ids()), -cost
