"""`samfard solve` and `samfard verify`: the planner on files.

Both read either the general planning JSON (docs/planning-format.md) or a Cordeau instance,
so the same commands serve operators' what-if files and the research benchmark. A bad file
exits 2 with the field at fault (the CLI's DomainError handler); an invalid plan exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from samfard.errors import InputError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    solve = subparsers.add_parser("solve", help="plan a dial-a-ride problem file")
    solve.add_argument("problem", type=Path, help="problem file")
    solve.add_argument("-o", "--output", type=Path, required=True, help="solution file")
    solve.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    solve.add_argument("--seed", type=int, default=0)
    solve.add_argument(
        "--solution-limit",
        type=int,
        default=None,
        help="stop after this many solutions: makes runs reproducible",
    )
    solve.add_argument("--format", choices=("json", "cordeau"), default="json")
    solve.set_defaults(handler=_solve)

    verify = subparsers.add_parser("verify", help="check a solution file against its problem")
    verify.add_argument("problem", type=Path)
    verify.add_argument("solution", type=Path)
    verify.add_argument("--format", choices=("json", "cordeau"), default="json")
    verify.set_defaults(handler=_verify)


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}", field=str(path)) from error
    except json.JSONDecodeError as error:
        raise InputError(f"{path} is not valid JSON: {error}", field=str(path)) from error


def _read_problem(path: Path, fmt: str) -> Any:
    if fmt == "cordeau":
        from samfard.planning import cordeau

        try:
            return cordeau.read(path)
        except OSError as error:
            raise InputError(f"cannot read {path}: {error.strerror}", field=str(path)) from error
    from samfard.planning import jsonio

    return jsonio.problem_from_json(_load_json(path))


def _solve(args: argparse.Namespace) -> int:
    from samfard.planning import cordeau, jsonio
    from samfard.planning.ortools_engine import OrToolsEngine, OrToolsSettings
    from samfard.planning.solve import plan

    problem = _read_problem(args.problem, args.format)
    engine = OrToolsEngine(OrToolsSettings(solution_limit=args.solution_limit))
    result = plan(problem, time_limit_s=args.time_limit, seed=args.seed, solver=engine)
    solution = result.solution
    data = (
        cordeau.solution_to_json(solution)
        if args.format == "cordeau"
        else jsonio.solution_to_json(solution)
    )
    args.output.write_text(json.dumps(data, indent=1) + "\n")
    served = sum(len(r.request_ids()) for r in solution.routes)
    print(
        f"cost {solution.cost:.2f}, {served} requests on {len(solution.routes)} routes, "
        f"{len(solution.unserved)} unserved; verified"
    )
    for missing in solution.unserved:
        print(f"unserved {missing.request_id}: {missing.reason}")
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
        solution = jsonio.solution_from_json(data)
    report = verify(problem, solution)
    if report.ok:
        print(f"valid: cost {report.cost:.2f}")
        return 0
    for violation in report.violations:
        print(violation, file=sys.stderr)
    print(f"invalid: {len(report.violations)} violations", file=sys.stderr)
    return 1
