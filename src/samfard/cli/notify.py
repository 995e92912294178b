"""`samfard notify deliver`: send what is due in the outbox (from cron, or in a loop).

The sender is the one the environment names (SAMFARD_SMS_URL and its token for the SMS
gateway; otherwise the log sender, which records that a message went without its text).
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    notify = subparsers.add_parser("notify", help="deliver the notification outbox")
    commands = notify.add_subparsers(dest="notify_command", required=True, metavar="ACTION")
    deliver = commands.add_parser("deliver", help="send the due messages, retrying failures")
    deliver.add_argument(
        "--every",
        type=float,
        default=0,
        help="seconds between rounds; 0 (default) delivers once and exits",
    )
    deliver.set_defaults(handler=_deliver)


def _deliver(args: argparse.Namespace) -> int:
    from samfard.config import get_settings
    from samfard.db import check_migrated, make_engine, make_sessionmaker
    from samfard.notify.senders import sender_from_env
    from samfard.notify.service import deliver
    from samfard.timeutil import STOCKHOLM

    engine = make_engine(get_settings().database_url)
    check_migrated(engine)
    sender = sender_from_env()
    while True:
        with make_sessionmaker(engine)() as session:
            done = deliver(session, sender=sender, now=datetime.now(STOCKHOLM))
        print(f"sent {done.sent}, to retry {done.retried}, failed {done.failed}", flush=True)
        if args.every <= 0:
            return 0
        time.sleep(args.every)
