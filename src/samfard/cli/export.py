"""`samfard export flex -o DIR`: the demand-responsive services as a GTFS-Flex feed.

The feed (docs/demand-responsive.md) is checked by our validator before a file is
written, so a journey planner is never handed a broken feed.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = subparsers.add_parser("export", help="export data for other systems")
    commands = export.add_subparsers(dest="export_command", required=True, metavar="WHAT")
    flex = commands.add_parser(
        "flex", help="GTFS-Flex feed of the booked lines and närtrafik, for journey planners"
    )
    flex.add_argument("-o", "--output", type=Path, required=True, help="directory to write")
    flex.add_argument(
        "--from", dest="start", type=date.fromisoformat, help="first day (default today)"
    )
    flex.add_argument("--days", type=int, default=365, help="days the feed is valid (1-731)")
    flex.set_defaults(handler=_flex)


def _flex(args: argparse.Namespace) -> int:
    from samfard.config import get_settings
    from samfard.db import check_migrated, make_engine, make_sessionmaker
    from samfard.lines.export import export_flex
    from samfard.timeutil import STOCKHOLM

    settings = get_settings()
    engine = make_engine(settings.database_url)
    check_migrated(engine)
    start = args.start or datetime.now(STOCKHOLM).date()
    with make_sessionmaker(engine)() as session:
        files = export_flex(session=session, start=start, days=args.days)
    args.output.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(files.items()):
        (args.output / name).write_text(text, encoding="utf-8")
    print(f"GTFS-Flex feed valid from {start}, {len(files)} files written to {args.output}")
    return 0
