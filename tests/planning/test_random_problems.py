"""Whole random problems through `plan` on every engine: a verified plan or a clear error.

Each seed draws a small problem with every feature the model has (several vehicles of
mixed types, capacities in one to three dimensions, shifts, durations and every tariff
term; windows of one instant, windows before time 0, wide ones and ones that never close;
promises, ride limits, ride alone, front seats, goods, allowed types, a vehicle limit K,
also far beyond the fleet). Whatever the engine, `plan` returns a plan the verifier
accepts (every request carried or left out with a reason), or the problem is refused as
it is built with an InputError naming what to fix. It never fails otherwise. This is how
OR-Tools' failed model on a window narrower than its clock's step was found
(2026-12-05).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from planning_random import random_problem

from samfard.errors import InputError
from samfard.planning.engine import Solver
from samfard.planning.insertion_engine import InsertionEngine
from samfard.planning.native_engine import NativeEngine, NativeSettings
from samfard.planning.ortools_engine import OrToolsEngine, OrToolsSettings
from samfard.planning.solve import plan

ENGINES: dict[str, Solver] = {
    "native": NativeEngine(NativeSettings(iterations=200, clock="none")),
    "ortools": OrToolsEngine(OrToolsSettings(solution_limit=50)),
    "insertion": InsertionEngine(),
}


@pytest.mark.parametrize("name", sorted(ENGINES))
@settings(max_examples=200, deadline=None, derandomize=True)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_every_engine_returns_a_verified_plan_or_refuses_the_input(name: str, seed: int) -> None:
    rng = random.Random(seed)
    try:
        problem = random_problem(rng)
    except InputError:
        return  # refused as it is built, with the field to fix: nothing to plan
    result = plan(problem, time_limit_s=1.0, seed=seed % 7, solver=ENGINES[name])
    carried = result.solution.served_ids()
    left = {u.request_id for u in result.solution.unserved}
    assert carried | left == {r.id for r in problem.requests}
    assert not carried & left
