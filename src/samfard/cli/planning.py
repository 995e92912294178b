"""`samfard solve` and `samfard verify`: the planner on files.

Both read either the general planning JSON (docs/planning-format.md) or a Cordeau instance,
so the same commands serve operators' what-if files and the research benchmark. A bad file
exits 2 with the field at fault (the CLI's DomainError handler); an invalid plan exits 1;
`solve` exits 3 when requests some vehicle could carry were left unplanned because the time
ran out, so a script never takes a partial plan for a finished one. `--time-limit` bounds
the whole command: reading the file and building the model count against it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

from samfard.errors import InputError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    solve = subparsers.add_parser("solve", help="plan a dial-a-ride problem file")
    solve.add_argument("problem", type=Path, help="problem file")
    solve.add_argument("-o", "--output", type=Path, required=True, help="solution file")
    solve.add_argument(
        "--time-limit",
        type=float,
        default=10.0,
        help="seconds for the whole run, reading included (default 10)",
    )
    solve.add_argument("--seed", type=int, default=0)
    solve.add_argument(
        "--engine",
        choices=("native", "ortools", "insertion"),
        default="native",
        help="planning engine (default native: Samfard's own; ortools for cross-checks; "
        "insertion: cheapest insertion only, no clock)",
    )
    solve.add_argument(
        "--iterations",
        "--solution-limit",
        dest="iterations",
        type=int,
        default=None,
        help="stop after this many search iterations (OR-Tools: solutions): reproducible runs",
    )
    solve.add_argument(
        "--threads",
        type=int,
        default=1,
        help="native engine: independent searches at once, the best plan kept (default 1)",
    )
    solve.add_argument("--format", choices=("json", "cordeau"), default="json")
    solve.set_defaults(handler=_solve)

    verify = subparsers.add_parser("verify", help="check a solution file against its problem")
    verify.add_argument("problem", type=Path)
    verify.add_argument("solution", type=Path)
    verify.add_argument("--format", choices=("json", "cordeau"), default="json")
    verify.set_defaults(handler=_verify)


def _load_json(path: Path) -> Any:
    from samfard.planning import jsonio

    try:
        text = path.read_bytes()  # bytes: json reads a UTF-8 byte order mark, as for problems
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}", field=str(path)) from error
    return jsonio.loads(text, path)


def _read_problem(path: Path, fmt: str) -> Any:
    from samfard.planning import cordeau, jsonio

    read = cordeau.read if fmt == "cordeau" else jsonio.read_problem
    try:
        return read(path)
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}", field=str(path)) from error


# Share of the time left after reading kept back for verifying and writing the plan.
_FINISH_SHARE = 0.05
_FINISH_MAX_S = 2.0
EXIT_OUT_OF_TIME = 3


def _solve(args: argparse.Namespace) -> int:
    started = time.monotonic()
    from samfard.planning import cordeau, fleet_bound, jsonio
    from samfard.planning.engine import NOT_INSERTED
    from samfard.planning.solve import PROOF_MIN_LIMIT_S, make_solver, plan_with_proof

    if not (math.isfinite(args.time_limit) and args.time_limit > 0):
        raise InputError(
            f"time_limit must be a finite number of seconds above 0, got {args.time_limit}",
            field="time_limit",
        )
    problem = _read_problem(args.problem, args.format)
    left = args.time_limit - (time.monotonic() - started)
    budget = left - min(_FINISH_MAX_S, _FINISH_SHARE * left)
    if budget <= 0:
        raise InputError(
            f"reading the problem took the whole time limit of {args.time_limit:g} s; "
            "give a longer --time-limit",
            field="time_limit",
        )
    engine = make_solver(args.engine, iterations=args.iterations, threads=args.threads)
    prove = args.time_limit >= PROOF_MIN_LIMIT_S
    explained = plan_with_proof(
        problem, time_limit_s=budget, seed=args.seed, solver=engine, prove=prove
    )
    solution = explained.solution
    data = (
        cordeau.solution_to_json(solution)
        if args.format == "cordeau"
        else jsonio.solution_to_json(solution)
    )
    args.output.write_text(json.dumps(data, indent=1) + "\n")
    served = sum(len(r.request_ids()) for r in solution.routes)
    late = [u for u in solution.unserved if u.reason == NOT_INSERTED]
    short = [u for u in solution.unserved if u.reason.startswith(fleet_bound.FLEET_SHORT)]
    print(
        f"served {served} of {len(problem.requests)} requests on {len(solution.routes)} routes, "
        f"unserved {len(solution.unserved)} ({len(late)} for lack of time, "
        f"{len(short)} beyond what the fleet can carry); "
        f"cost {solution.cost:.2f}; verified in {time.monotonic() - started:.1f} s"
    )
    for missing in solution.unserved:
        print(f"unserved {missing.request_id}: {missing.reason}")
    if late:
        print(
            f"{len(late)} requests some vehicle could carry alone were not planned within "
            "the time limit: give a longer --time-limit, or more vehicles of the type they "
            "need at that hour if a longer search leaves them out too",
            file=sys.stderr,
        )
        if explained.proof_skipped:
            print(
                f"{explained.proof_skipped}: it needs a --time-limit of at least "
                f"{PROOF_MIN_LIMIT_S:g} s (loading its solver takes about a second), so "
                "requests the fleet could not carry in any plan count as left out for lack "
                "of time",
                file=sys.stderr,
            )
        return EXIT_OUT_OF_TIME
    return 0


def _verify(args: argparse.Namespace) -> int:
    from samfard.planning import cordeau, jsonio
    from samfard.planning.verifier import verify

    problem = _read_problem(args.problem, args.format)
    data = _load_json(args.solution)
    if args.format == "cordeau":
        if not isinstance(data, dict):
            raise InputError("solution JSON must be an object", field="routes")
        solution = cordeau.solution_from_json(problem, data)
    else:
        solution = jsonio.solution_from_json(data, problem)
    report = verify(problem, solution)
    if report.ok:
        print(f"valid: cost {report.cost:.2f}")
        return 0
    for violation in report.violations:
        print(violation, file=sys.stderr)
    print(f"invalid: {len(report.violations)} violations", file=sys.stderr)
    return 1
