"""Subcommands of privacy: `samfard retention apply [--dry-run] [--policy FILE]`."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    retention = subparsers.add_parser("retention", help="retention of personal data")
    actions = retention.add_subparsers(dest="retention_command", required=True, metavar="ACTION")
    apply = actions.add_parser(
        "apply",
        help="pseudonymise travellers whose finished bookings are past the retention limit",
    )
    apply.add_argument(
        "--dry-run", action="store_true", help="only list who is due; change nothing"
    )
    apply.add_argument(
        "--policy",
        type=Path,
        default=None,
        help="retention TOML file (default: the shipped samfard/data/retention.toml)",
    )
    apply.set_defaults(handler=_apply)


def _apply(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from samfard.access import retention
    from samfard.config import get_settings
    from samfard.db import check_migrated, make_engine, make_sessionmaker

    policy = retention.RetentionPolicy.load(args.policy)
    engine = make_engine(get_settings().database_url)
    check_migrated(engine)
    with make_sessionmaker(engine)() as session:
        report = retention.apply(
            session=session, policy=policy, now=datetime.now(UTC), dry_run=args.dry_run
        )
    verb = "would pseudonymise" if report.dry_run else "pseudonymised"
    print(
        f"retention on {report.today}: {verb} {len(report.traveller_ids)} travellers "
        f"({report.bookings} bookings)"
    )
    for traveller_id in report.traveller_ids:
        print(f"  traveller {traveller_id}")
    return 0
