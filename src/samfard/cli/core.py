"""Subcommands of the core: database migrations, the server, the demo."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    version = subparsers.add_parser("version", help="print the Samfard version")
    version.set_defaults(handler=_version)


def _version(args: argparse.Namespace) -> int:
    from samfard import __version__

    print(__version__)
    return 0
