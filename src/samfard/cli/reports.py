"""`samfard contracts load`, `samfard settle` and `samfard report`: cost follow-up.

`contracts load` stores the contract files of a folder (the demo contracts by default);
`settle --date D` prices the newest stored plan of a day and replaces its settled rows;
`report --month 2026-10 --principal 23 -o DIR` writes the monthly report as HTML, PDF and
CSV, the three renderings of the same figures.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    contracts = subparsers.add_parser("contracts", help="store carriers' contracts")
    actions = contracts.add_subparsers(dest="contracts_command", required=True, metavar="ACTION")
    load = actions.add_parser("load", help="store the contracts of a folder of TOML files")
    load.add_argument(
        "directory", type=Path, nargs="?", default=None, help="default: the demo contracts"
    )
    load.set_defaults(handler=_load)

    settle = subparsers.add_parser("settle", help="price and allocate a planned day")
    settle.add_argument("--date", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    settle.set_defaults(handler=_settle)

    report = subparsers.add_parser("report", help="write a monthly report (HTML, PDF, CSV)")
    report.add_argument("--month", required=True, help="YYYY-MM")
    report.add_argument("--principal", required=True, help="principal code, e.g. 23")
    report.add_argument("-o", "--output", type=Path, default=Path("."), help="folder (default .)")
    report.set_defaults(handler=_report)


def _session() -> Any:
    from samfard.config import get_settings
    from samfard.db import check_migrated, make_engine, make_sessionmaker

    settings = get_settings()
    engine = make_engine(settings.database_url)
    check_migrated(engine)
    return settings, make_sessionmaker(engine)()


def _load(args: argparse.Namespace) -> int:
    from samfard.costs.service import DEMO_CONTRACTS, load_contract_files

    _, session = _session()
    with session:
        added = load_contract_files(session, args.directory or DEMO_CONTRACTS)
    print(f"contracts added: {', '.join(added)}" if added else "all contracts stored already")
    return 0


def _settle(args: argparse.Namespace) -> int:
    from datetime import datetime

    from samfard.access.actor import SYSTEM
    from samfard.costs.service import settle_day
    from samfard.money import format_kr
    from samfard.timeutil import STOCKHOLM

    settings, session = _session()
    with session:
        done = settle_day(
            session=session,
            day=args.date,
            actor=SYSTEM,
            now=datetime.now(STOCKHOLM),
            osrm_url=settings.osrm_url,
        )
    print(
        f"settled {done.day} (plan version {done.plan_version}): {done.runs} runs, "
        f"{done.trips} trips, cost {format_kr(done.cost)}, "
        f"standalone {format_kr(done.standalone)}, saving {format_kr(done.standalone - done.cost)}"
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    from samfard.access.actor import SYSTEM
    from samfard.reports.exports import report_csv
    from samfard.reports.render_html import render_page
    from samfard.reports.render_pdf import render_pdf
    from samfard.reports.service import monthly_report, parse_month

    year, month = parse_month(args.month)
    _, session = _session()
    with session:
        report = monthly_report(
            session=session, actor=SYSTEM, principal=args.principal, year=year, month=month
        )
    args.output.mkdir(parents=True, exist_ok=True)
    stem = args.output / f"manadsrapport-{args.principal}-{year}-{month:02d}"
    page = render_page(report)
    paths = (stem.with_suffix(".html"), stem.with_suffix(".pdf"), stem.with_suffix(".csv"))
    paths[0].write_text(page, encoding="utf-8")
    paths[1].write_bytes(render_pdf(report))
    paths[2].write_text(report_csv(report), encoding="utf-8")
    for path in paths:
        print(path)
    if report.empty:
        print(report.summary[0])
    return 0


def load_demo_history(*, day: date, seed: int) -> None:
    """For `samfard demo`: the demo contracts and 13 months of settled history before the
    demo day (skipped when history is stored), with the time it took."""
    import time
    from datetime import datetime

    from samfard.costs.service import load_contract_files
    from samfard.demo.history import load_history
    from samfard.timeutil import STOCKHOLM

    started = time.perf_counter()
    _, session = _session()
    with session:
        load_contract_files(session)
        done = load_history(session, end_day=day, seed=seed, now=datetime.now(STOCKHOLM))
    if done is None:
        print("settled history is stored already; none added")
        return
    print(
        f"settled history {done.first} to {done.last}: {done.runs} runs, {done.trips} trips "
        f"({time.perf_counter() - started:.1f} s)"
    )
