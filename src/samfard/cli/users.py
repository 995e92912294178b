"""Subcommands for user accounts. The first administrator is made here, never by a
default password."""

from __future__ import annotations

import argparse
import getpass
import sys

from samfard.access.permissions import Role


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
    create = actions.add_parser("create", help="create an account with any role and scope")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=[role.value for role in Role])
    create.add_argument(
        "--principal", action="append", default=[], help="principal code; repeat for several"
    )
    create.add_argument("--carrier-id", type=int, default=None)
    create.add_argument("--care-unit", default=None)
    create.add_argument("--vehicle-id", type=int, default=None, help="a driver's vehicle")
    create.add_argument("--traveller-id", type=int, default=None)
    create.add_argument("--display-name", default=None)
    create.add_argument(
        "--may-see-protected",
        action="store_true",
        help="let the account see protected identities (skyddade personuppgifter); on the web "
        "only an administrator who has this right may grant it",
    )
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of a prompt",
    )
    create.set_defaults(handler=_create)


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("New password: ")
    if getpass.getpass("Repeat password: ") != password:
        print("samfard: the passwords differ; nothing created", file=sys.stderr)
        return None
    return password


def _create(args: argparse.Namespace) -> int:
    """Any account, checked like the users API does for a system administrator."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from pydantic import ValidationError

    from samfard.access import users
    from samfard.access.actor import SYSTEM
    from samfard.access.schemas import UserCreate
    from samfard.config import get_settings
    from samfard.db import make_engine, make_sessionmaker

    password = _read_password(args)
    if password is None:
        return 2
    try:
        data = UserCreate(
            username=args.username,
            password=password,
            role=Role(args.role),
            display_name=args.display_name,
            principal_codes=args.principal,
            carrier_id=args.carrier_id,
            care_unit=args.care_unit,
            vehicle_id=args.vehicle_id,
            traveller_id=args.traveller_id,
            may_see_protected=args.may_see_protected,
        )
    except ValidationError as error:
        first = error.errors()[0]
        print(f"samfard: {'.'.join(map(str, first['loc']))}: {first['msg']}", file=sys.stderr)
        return 2
    # Whoever runs the command holds the database itself, so it may also create the account
    # of a traveller with a protected identity and grant the right to see protected
    # identities, which an administrator on the web may only if they hold that right: the
    # command is how the first such account is made.
    actor = replace(SYSTEM, may_see_protected=True)
    with make_sessionmaker(make_engine(get_settings().database_url))() as session:
        user = users.create(session=session, actor=actor, data=data, now=datetime.now(UTC))
    print(f"user {user.username} ({user.role}) created with id {user.id}")
    return 0


def _create_admin(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from samfard.access.service import create_user
    from samfard.config import get_settings
    from samfard.db import make_engine, make_sessionmaker

    password = _read_password(args)
    if password is None:
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
