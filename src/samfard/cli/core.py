"""Subcommands of the core: migrations, the server, demo data and the demo itself."""

from __future__ import annotations

import argparse
import dataclasses
import json
import secrets
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from samfard.config import Settings
from samfard.timeutil import STOCKHOLM

# How the demo plans its day: "native-fixed" (the native search stopped by a fixed number
# of iterations, never by the clock) gives the same plan for a seed on every run and
# machine (docs/demo.md). Any engine of samfard.planning.solve.ENGINES that stops on a
# count rather than a clock keeps that promise ("insertion" too, with dearer plans).
DEMO_PLAN_ENGINE = "native-fixed"
# The demo's example API call: one booking, indented, instead of a page of JSON.
DEMO_CURL_LIMIT = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    version = subparsers.add_parser("version", help="print the Samfard version")
    version.set_defaults(handler=_version)

    db = subparsers.add_parser("db", help="database administration")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser(
        "upgrade", help="migrate the database to the newest schema and load reference data"
    )
    upgrade.set_defaults(handler=_db_upgrade)

    serve = subparsers.add_parser("serve", help="run the web server")
    _server_options(serve)
    serve.set_defaults(handler=_serve)

    data = subparsers.add_parser("demo-data", help="generate a synthetic service day")
    _demo_options(data)
    data.add_argument(
        "--json",
        type=Path,
        metavar="FILE",
        help="write the day to a JSON file instead of the database",
    )
    data.set_defaults(handler=_demo_data)

    demo = subparsers.add_parser(
        "demo", help="set up the embedded database with a demo day and start the server"
    )
    _demo_options(demo)
    _server_options(demo)
    demo.add_argument(
        "--plan-engine",
        default=DEMO_PLAN_ENGINE,
        help=f"planning engine for the demo day (default {DEMO_PLAN_ENGINE}: no clock, so a "
        "seed gives the same plan on every run; native, ortools: search until --plan-seconds)",
    )
    demo.add_argument(
        "--plan-seconds",
        type=float,
        default=10.0,
        help="time limit of a clock-bound engine (ortools); 0: load no fleet and do not plan",
    )
    demo.set_defaults(handler=_demo)


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (default SAMFARD_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default SAMFARD_PORT or 8000)")
    parser.add_argument(
        "--no-day-clock",
        action="store_true",
        help="do not check offer deadlines and late vehicles every minute (for every server "
        "process but one, when several share a database)",
    )


def _tomorrow() -> date:
    return datetime.now(STOCKHOLM).date() + timedelta(days=1)


def _demo_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        help="service day, YYYY-MM-DD (default: tomorrow)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--trips",
        type=int,
        default=600,
        help="single trips for both regions (default 600; 3000 is a busy day)",
    )


def _version(args: argparse.Namespace) -> int:
    from samfard import __version__

    print(__version__)
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from samfard.config import get_settings
    from samfard.db import make_engine, make_sessionmaker, upgrade
    from samfard.reference import load_reference_data

    settings = get_settings()
    upgrade(settings.database_url)
    with make_sessionmaker(make_engine(settings.database_url))() as session:
        principals, places = load_reference_data(session=session)
    print(f"database migrated; {principals} principals, {places} new places loaded")
    return 0


def _serve(args: argparse.Namespace, *, default_day: date | None = None) -> int:
    import uvicorn

    from samfard.app import create_app
    from samfard.config import get_settings

    settings = get_settings()
    if default_day is not None:
        settings = dataclasses.replace(settings, default_day=default_day)
    app = create_app(settings)
    if not args.no_day_clock:
        from samfard.dispatch import day_clock

        day_clock.start(app.state.sessionmaker, app.state.clock)
    host, port = args.host or settings.host, args.port or settings.port
    print(f"Samfard listening on http://{host}:{port}/ (API docs at /api/v1/docs)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info", **uvicorn_proxy_options(settings))
    return 0


def uvicorn_proxy_options(settings: Settings) -> dict[str, Any]:
    """Whom uvicorn believes about the client's address: only SAMFARD_TRUSTED_PROXIES.

    uvicorn's own default trusts X-Forwarded-For from 127.0.0.1, so anything on the same
    machine could name any client address and step around the per-address login limit.
    """
    if not settings.trusted_proxies:
        return {"proxy_headers": False, "forwarded_allow_ips": ""}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(settings.trusted_proxies)}


def _demo_data(args: argparse.Namespace) -> int:
    from samfard.demo.generator import generate_day

    day = args.date or _tomorrow()
    demo = generate_day(day, seed=args.seed, trips=args.trips)
    if args.json is not None:
        args.json.write_text(
            json.dumps(
                dataclasses.asdict(demo), default=_json_default, ensure_ascii=False, indent=1
            ),
            encoding="utf-8",
        )
        print(
            f"{demo.trip_count} trips, {len(demo.bookings)} bookings for {day} "
            f"written to {args.json}"
        )
        return 0
    return _load_into_database(day=day, seed=args.seed, trips=args.trips)


def _json_default(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _load_into_database(*, day: date, seed: int, trips: int) -> int:
    from samfard.config import get_settings
    from samfard.db import check_migrated, make_engine, make_sessionmaker
    from samfard.demo.generator import generate_day
    from samfard.demo.goods import load_demo_goods
    from samfard.demo.loader import day_is_loaded, load_day

    settings = get_settings()
    engine = make_engine(settings.database_url)
    check_migrated(engine)
    with make_sessionmaker(engine)() as session:
        if day_is_loaded(session, day):
            print(f"demo data for {day} is already in the database; nothing added")
            return 0
        result = load_day(session=session, demo=generate_day(day, seed=seed, trips=trips))
        goods = load_demo_goods(session=session, day=day, seed=seed, trips=trips)
    print(
        f"loaded {day}: {result.travellers} travellers, {result.bookings} bookings on the day "
        f"({result.series} of them from dialysis series, which book "
        f"{result.later_series_bookings} more trips on later days), {goods} consignments "
        "of goods (parcels and aids)"
    )
    return 0


def _load_care_year(*, day: date, seed: int) -> None:
    """The care units' year: staff taking the course, certificates issued and revoked."""
    from samfard.config import get_settings
    from samfard.db import make_engine, make_sessionmaker
    from samfard.demo.care import load_care_year

    with make_sessionmaker(make_engine(get_settings().database_url))() as session:
        done = load_care_year(session=session, day=day, seed=seed)
    if done is None:
        print("care unit demo is stored already; none added")
        return
    print(
        f"care units: {done.units} units, {done.nurses} nurses ({done.certified} certified, "
        f"{done.attempts} course attempts), {done.certificates} certificates "
        f"({done.revoked} revoked) in the year before {day}; {done.booked} trips booked by "
        f"the units and settled ({done.settled_trips} legs)"
    )
    for username, password in done.logins.items():
        print(f"Care staff to try /kurs and /intyg: {username} / {password}")


def _demo(args: argparse.Namespace) -> int:
    from samfard.access.permissions import Role
    from samfard.access.service import create_user, issue_token
    from samfard.config import get_settings
    from samfard.db import make_engine, make_sessionmaker

    settings = get_settings()
    if not settings.database_url.startswith("sqlite"):
        print(
            "samfard demo runs on the embedded SQLite database; unset SAMFARD_DATABASE_URL "
            "or use `samfard demo-data` and `samfard serve` for another database",
            file=sys.stderr,
        )
        return 2
    _db_upgrade(args)
    day = args.date or _tomorrow()
    _load_into_database(day=day, seed=args.seed, trips=args.trips)
    from samfard.cli.reports import load_demo_history

    load_demo_history(day=day, seed=args.seed)
    _load_care_year(day=day, seed=args.seed)
    if args.plan_seconds > 0:
        from samfard.cli import dispatch

        dispatch.run_fleet(scale=min(10.0, max(0.2, args.trips / 600)))
        from samfard.demo.model import booked_at

        dispatch.run_plan(
            day=day,
            time_limit=args.plan_seconds,
            seed=args.seed,
            engine=args.plan_engine,
            now=booked_at(day),  # planned as it is booked, the day before: on any date
        )
    password = secrets.token_urlsafe(12) + "-1"
    now = datetime.now(STOCKHOLM)
    with make_sessionmaker(make_engine(settings.database_url))() as session:
        username = f"demo-{secrets.token_hex(3)}"
        user = create_user(
            session=session,
            username=username,
            password=password,
            role=Role.OPERATOR,
            now=now,
            display_name="Demo operator",
            principal_codes=["*"],
        )
        token = issue_token(
            session=session,
            user=user,
            kind="bearer",
            now=now,
            lifetime=settings.bearer_token_lifetime,
        )
    host, port = args.host or settings.host, args.port or settings.port
    print(
        f"\nDemo operator: {username} / {password} (log in at http://{host}:{port}/login; "
        f"the day page opens on {day})\n"
        f"Try: curl -s -H 'Authorization: Bearer {token}' "
        f"'http://{host}:{port}/api/v1/bookings?date={day}&limit={DEMO_CURL_LIMIT}' "
        "| python3 -m json.tool\n",
        flush=True,
    )
    return _serve(args, default_day=day)
