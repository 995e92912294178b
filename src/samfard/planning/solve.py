"""The one door to planning: solve, verify, and publish only what passes.

Callers (booking, dispatch, the CLI, benchmarks) call `plan`; it runs an engine and the
independent verifier and raises instead of returning a plan that breaks a constraint, so a
solver bug can never reach a driver's manifest.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from samfard.errors import DomainError, InputError
from samfard.planning.engine import Solver
from samfard.planning.model import Problem, Solution
from samfard.planning.verifier import Report, verify


class PlanRejected(DomainError):
    """The engine returned a plan the verifier refuses; nothing was published."""

    status = 500
    title = "Plan rejected by the verifier"

    def __init__(self, report: Report) -> None:
        lines = "; ".join(str(v) for v in report.violations[:10])
        more = len(report.violations) - 10
        tail = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"the solver's plan breaks constraints: {lines}{tail}")
        self.report = report


@dataclass(frozen=True, slots=True)
class VerifiedSolution:
    """A solution together with the verifier's clean report on it."""

    solution: Solution
    report: Report


# Engines by the name the command line and the demo use. "native" (Samfard's own, the
# default) and "ortools" search until their time limit unless given an iteration limit;
# "insertion" and "native-fixed" (the native search stopped by FIXED_ITERATIONS alone)
# never look at the clock, so a seed gives the same plan on every run.
ENGINES = ("native", "ortools", "insertion", "native-fixed")
# Iterations of "native-fixed": the demo day (about 260 legs a region) in a few seconds
# of CPU per region (docs/demo.md, "The same seed, the same demo").
FIXED_ITERATIONS = 2000


def default_solver() -> Solver:
    return solver_named("native")


def solver_named(name: str) -> Solver:
    """The engine called `name` (one of ENGINES)."""
    return make_solver(name)


def make_solver(name: str, *, iterations: int | None = None, threads: int = 1) -> Solver:
    """The engine called `name`; `iterations` bounds the native search (reproducible runs)
    and the OR-Tools solution count (the insertion engine needs no bound); `threads` runs
    that many native searches at once (one thread for the others)."""
    if threads < 1:
        raise InputError(f"threads must be at least 1, got {threads}", field="threads")
    if name == "native":
        from samfard.planning.native_engine import NativeEngine, NativeSettings

        return NativeEngine(NativeSettings(iterations=iterations, threads=threads))
    if name == "native-fixed":
        from samfard.planning.native_engine import NativeEngine, NativeSettings

        count = FIXED_ITERATIONS if iterations is None else iterations
        return NativeEngine(NativeSettings(iterations=count, clock="none"))
    if name == "ortools":
        from samfard.planning.ortools_engine import OrToolsEngine, OrToolsSettings

        return OrToolsEngine(OrToolsSettings(solution_limit=iterations))
    if name == "insertion":
        from samfard.planning.insertion_engine import InsertionEngine

        return InsertionEngine()
    raise InputError(
        f"unknown planning engine {name!r}; choose one of {', '.join(ENGINES)}", field="engine"
    )


def plan(
    problem: Problem,
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    initial: Solution | None = None,
    solver: Solver | None = None,
) -> VerifiedSolution:
    """Solve `problem` and return the plan only if the verifier finds no violation."""
    if not time_limit_s > 0:
        raise InputError(f"time_limit must be positive, got {time_limit_s}", field="time_limit")
    engine = solver or default_solver()
    solution = engine.solve(problem, time_limit_s=time_limit_s, seed=seed, initial=initial)
    report = verify(problem, solution)
    if not report.ok:
        raise PlanRejected(report)
    return VerifiedSolution(solution, report)


# On a problem where the fleet proof applies (`fleet_bound.applies`), the time kept for
# proving that requests the search left out are more than their vehicles can take: a
# tenth, at least PROOF_FLOOR_S (a small group takes CP-SAT about 0.05 s, more on a busy
# machine) and at most `fleet_bound.PROOF_LIMIT_S`, never more than half of what is left.
PROOF_SHARE = 0.1
PROOF_FLOOR_S = 0.5
# `samfard solve` runs the proof only with a time limit of at least this: loading CP-SAT
# alone takes about a second (1.1-1.4 s on a busy 2-core machine), and the search needs
# time too. Decided on the limit given, not on the time left after reading, so the same
# file and limit always get the same judgement.
PROOF_MIN_LIMIT_S = 3.0
# The least a search is given when loading CP-SAT took what was left.
_LEAST_SEARCH_S = 0.05


@dataclass(frozen=True, slots=True)
class ExplainedPlan:
    """A verified plan whose left-out requests `fleet_bound` has judged, unless
    `proof_skipped` says why it did not."""

    solution: Solution
    proof_skipped: str | None = None


def plan_with_proof(
    problem: Problem,
    *,
    time_limit_s: float,
    seed: int = 0,
    solver: Solver | None = None,
    prove: bool = True,
) -> ExplainedPlan:
    """`plan`, then `fleet_bound.explain_left_out`, both within `time_limit_s` in all: what
    `samfard solve` runs after reading its file. Where the proof applies, CP-SAT is loaded
    before the search and time is kept for the proof, so the proof runs neither past the
    limit nor without time (loaded after the search, as until 2026-12-06, it overran a
    limit of 2 s by 1-1.5 s, and whether it finished, and with it the exit code, changed
    from run to run). `prove=False` skips the proof; `proof_skipped` then says so where it
    would have run."""
    from samfard.planning import fleet_bound

    if not (math.isfinite(time_limit_s) and time_limit_s > 0):
        raise InputError(
            f"time_limit must be a finite number of seconds above 0, got {time_limit_s}",
            field="time_limit",
        )
    deadline = time.monotonic() + time_limit_s
    carriers = fleet_bound.Carriers(problem, fleet_bound.Drives(problem))
    applies = fleet_bound.applies(problem, carriers)
    reserve = 0.0
    if applies and prove:
        fleet_bound.load_solver()
        left = deadline - time.monotonic()
        reserve = min(fleet_bound.PROOF_LIMIT_S, max(PROOF_FLOOR_S, PROOF_SHARE * left), left / 2)
    budget = max(_LEAST_SEARCH_S, deadline - time.monotonic() - reserve)
    engine = solver or default_solver()
    result = plan(problem, time_limit_s=budget, seed=seed, solver=engine)
    if not prove:
        skipped = "the fleet proof did not run" if applies else None
        return ExplainedPlan(result.solution, skipped)
    solution = fleet_bound.explain_left_out(
        problem,
        result.solution,
        time_limit_s=deadline - time.monotonic(),
        solver=engine,
        seed=seed,
        carriers=carriers,
    )
    return ExplainedPlan(solution)
