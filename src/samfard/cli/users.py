"""Subcommands for user accounts. The first administrator is made here, never by a
default password."""

from __future__ import annotations

import argparse
import getpass
import sys


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = subparsers.add_parser("user", help="user accounts")
    actions = users.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    admin = actions.add_parser("create-admin", help="create a system administrator")
    admin.add_argument("--username", required=True)
    admin.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of a prompt",
    )
    admin.set_defaults(handler=_create_admin)


def _create_admin(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from samfard.access.permissions import Role
    from samfard.access.service import create_user
    from samfard.config import get_settings
    from samfard.db import make_engine, make_sessionmaker

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("New password: ")
        if getpass.getpass("Repeat password: ") != password:
            print("samfard: the passwords differ; nothing created", file=sys.stderr)
            return 2
    settings = get_settings()
    with make_sessionmaker(make_engine(settings.database_url))() as session:
        create_user(
            session=session,
            username=args.username,
            password=password,
            role=Role.SYSTEM_ADMIN,
            now=datetime.now(UTC),
            display_name="System administrator",
            principal_codes=["*"],
        )
    print(f"administrator {args.username} created")
    return 0
