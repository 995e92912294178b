"""The `samfard` command.

A package rather than one `cli.py`: each step of the spine owns the subcommands it serves
(`db`, `demo`, `plan`, `solve`, `report`...), so a module stays small and its owner can
change it without touching the others. `main` only assembles them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from samfard.cli import (
    access,
    core,
    costs,
    dispatch,
    export,
    goods,
    gtfs,
    jobs,
    notify,
    planning,
    reports,
    rules,
    scenario,
    simulate,
    users,
)
from samfard.errors import DomainError

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

REGISTRARS: list[Registrar] = [
    core.register,
    users.register,
    planning.register,
    dispatch.register,
    rules.register,
    access.register,
    costs.register,
    goods.register,
    reports.register,
    scenario.register,
    export.register,
    gtfs.register,
    jobs.register,
    notify.register,
    simulate.register,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="samfard",
        description="Samfard booking and coordination centre for community-paid travel.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in REGISTRARS:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except DomainError as error:
        where = f" ({error.field})" if error.field else ""
        print(f"samfard: {error.message}{where}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
