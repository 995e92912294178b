"""`samfard contracts load`, `samfard settle` and `samfard report`: cost follow-up.

`contracts load` stores the contract files of a folder (the demo contracts by default);
`settle --date D` prices the newest stored plan of a day and replaces its settled rows;
`report --month 2026-10 --principal 23 -o DIR` writes the monthly report as HTML, PDF and
CSV, the three renderings of the same figures; `kpi target`, `kpi comment` and `kpi list`
set and show the targets and comments the report prints beside the key figures.
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

    kpi = subparsers.add_parser("kpi", help="set the key figures' targets and comments")
    kpi_actions = kpi.add_subparsers(dest="kpi_command", required=True, metavar="ACTION")
    target = kpi_actions.add_parser("target", help="set a principal's target for a year")
    target.add_argument("--principal", required=True, help="principal code, e.g. 23")
    target.add_argument("--year", type=int, required=True)
    target.add_argument("--kpi", required=True, help="key figure, e.g. cost_per_trip")
    target.add_argument("--value", required=True, help="in the report's unit (kr, %%, st)")
    target.add_argument("--service", default=None, help="only this service's table")
    direction = target.add_mutually_exclusive_group()
    direction.add_argument("--higher-is-better", dest="higher", action="store_true", default=None)
    direction.add_argument("--lower-is-better", dest="higher", action="store_false")
    target.add_argument("--comment", default="", help="shown with the target")
    target.set_defaults(handler=_kpi_target)
    comment = kpi_actions.add_parser("comment", help="comment a key figure for a month")
    comment.add_argument("--principal", required=True)
    comment.add_argument("--month", required=True, help="YYYY-MM")
    comment.add_argument("--kpi", required=True)
    comment.add_argument("--text", required=True, help="empty text removes the comment")
    comment.set_defaults(handler=_kpi_comment)
    listing = kpi_actions.add_parser("list", help="show a principal's targets of a year")
    listing.add_argument("--principal", required=True)
    listing.add_argument("--year", type=int, required=True)
    listing.set_defaults(handler=_kpi_list)


def _session() -> Any:
    from samfard.config import get_settings
    from samfard.db import check_migrated, make_engine, make_sessionmaker

    settings = get_settings()
    engine = make_engine(settings.database_url)
    check_migrated(engine)
    return settings, make_sessionmaker(engine)()


def _load(args: argparse.Namespace) -> int:
    """Store a folder's contracts and say what changed (see `_say_loaded`)."""
    from samfard.costs.service import DEMO_CONTRACTS, store_contract_files

    _, session = _session()
    with session:
        done = store_contract_files(session, args.directory or DEMO_CONTRACTS)
    _say_loaded(done)
    return 0


def _say_loaded(done: Any) -> None:
    """Contracts added and repaired; a warning for each stored contract that still cannot
    be read, since it prices nothing until its file is corrected and loaded again."""
    import sys

    if done.added:
        print(f"contracts added: {', '.join(done.added)}")
    if done.repaired:
        print(f"contracts repaired: {', '.join(done.repaired)}")
    if not done.added and not done.repaired:
        print("all contracts stored already")
    for bad in done.unreadable:
        print(
            f"samfard: warning: stored contract {bad.code} cannot be read and prices nothing: "
            f"{bad.problem.message}",
            file=sys.stderr,
        )


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
    from samfard.clock import SystemClock
    from samfard.reports.exports import report_csv
    from samfard.reports.month import Month
    from samfard.reports.render_html import render_page
    from samfard.reports.render_pdf import render_pdf
    from samfard.reports.service import monthly_report
    from samfard.spreadsheet import excel_csv_bytes
    from samfard.timeutil import STOCKHOLM

    period = Month.parse(args.month)
    _, session = _session()
    with session:
        report = monthly_report(
            session=session,
            actor=SYSTEM,
            principal=args.principal,
            year=period.year,
            month=period.number,
            today=SystemClock().now().astimezone(STOCKHOLM).date(),
        )
    args.output.mkdir(parents=True, exist_ok=True)
    stem = args.output / f"manadsrapport-{args.principal}-{period}"
    page = render_page(report)
    paths = (stem.with_suffix(".html"), stem.with_suffix(".pdf"), stem.with_suffix(".csv"))
    paths[0].write_text(page, encoding="utf-8")
    paths[1].write_bytes(render_pdf(report))
    paths[2].write_bytes(excel_csv_bytes(report_csv(report)))  # as the download
    for path in paths:
        print(path)
    if report.empty:
        print(report.summary[0])
    return 0


def _kpi_target(args: argparse.Namespace) -> int:
    from datetime import datetime

    from samfard.access.actor import SYSTEM
    from samfard.reports.targets import set_target
    from samfard.timeutil import STOCKHOLM

    _, session = _session()
    with session:
        view = set_target(
            session=session,
            actor=SYSTEM,
            principal=args.principal,
            year=args.year,
            kpi=args.kpi,
            value=args.value,
            now=datetime.now(STOCKHOLM),
            service=args.service,
            higher_is_better=args.higher,
            comment=args.comment,
        )
    print(_target_line(view))
    return 0


def _target_line(view: Any) -> str:
    where = f" ({view.service})" if view.service else ""
    sense = "higher is better" if view.higher_is_better else "lower is better"
    note = f": {view.comment}" if view.comment else ""
    return (
        f"{view.principal} {view.year} {view.kpi}{where}: target {view.value} {view.unit}, "
        f"{sense}{note}"
    )


def _kpi_comment(args: argparse.Namespace) -> int:
    from datetime import datetime

    from samfard.access.actor import SYSTEM
    from samfard.reports.month import Month
    from samfard.reports.targets import set_comment
    from samfard.timeutil import STOCKHOLM

    period = Month.parse(args.month)
    _, session = _session()
    with session:
        text = set_comment(
            session=session,
            actor=SYSTEM,
            principal=args.principal,
            year=period.year,
            month=period.number,
            kpi=args.kpi,
            comment=args.text,
            now=datetime.now(STOCKHOLM),
        )
    print(f"comment on {args.kpi} for {args.principal} {args.month}: " + (text or "removed"))
    return 0


def _kpi_list(args: argparse.Namespace) -> int:
    from samfard.reports.targets import target_views

    _, session = _session()
    with session:
        views = target_views(session, principal=args.principal, year=args.year)
    for view in views:
        print(_target_line(view))
    if not views:
        print(f"no targets set for {args.principal} in {args.year}")
    return 0


def load_demo_history(*, day: date, seed: int) -> None:
    """For `samfard demo`: the demo contracts, 25 months of settled history up to the demo
    day and the demo KPI targets (skipped when history is stored), with the time it took."""
    import time
    from datetime import datetime

    from samfard.costs.service import load_contract_files
    from samfard.demo.deviations import load_demo_deviations
    from samfard.demo.history import load_history
    from samfard.demo.targets import set_demo_targets
    from samfard.timeutil import STOCKHOLM

    started = time.perf_counter()
    _, session = _session()
    with session:
        load_contract_files(session)
        done = load_history(session, end_day=day, seed=seed, now=datetime.now(STOCKHOLM))
        if done is not None:
            set_demo_targets(session, day=day, now=datetime.now(STOCKHOLM))
            deviations = load_demo_deviations(session, end_day=day, seed=seed)
    if done is None:
        print("settled history is stored already; none added")
        return
    print(
        f"settled history {done.first} to {done.last}: {done.runs} runs, {done.trips} trips, "
        f"{deviations} deviations in its last year ({time.perf_counter() - started:.1f} s)"
    )
