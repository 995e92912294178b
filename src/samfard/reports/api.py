"""Routes of the reports under /api/v1/reports: monthly report, invoice basis, cost
statement, and the KPI targets and comments the monthly report shows.

Each report answers in the format asked for (html, pdf, csv, xlsx) with a file name, so a
browser saves it and a finance system can fetch it; all need REPORTS_READ and the
principal in the account's scope. Setting a target or a comment needs TARGETS_WRITE
(principal_admin) and the principal in scope.
"""

from __future__ import annotations

import enum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.orm import Session, sessionmaker

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.attachment import CSV, attachment
from samfard.deps import NowDep, SessionDep
from samfard.jobs import Job
from samfard.reports import jobs as report_jobs
from samfard.reports import service, targets
from samfard.reports.month import FIRST_YEAR, LAST_YEAR, PATTERN, Month
from samfard.reports.schemas import (
    CommentIn,
    CommentOut,
    ReportJobIn,
    ReportJobOut,
    TargetIn,
    TargetOut,
)
from samfard.reports.sheet import Sheet, to_csv, to_xlsx
from samfard.schemas_common import file_responses
from samfard.timeutil import STOCKHOLM

router = APIRouter(prefix="/reports", tags=["reports"])

MONTH = Query(
    pattern=PATTERN,
    description=f"YYYY-MM, {FIRST_YEAR}-01 to {LAST_YEAR}-12",
    examples=["2026-10"],
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_FILE = file_responses("text/html; charset=utf-8", "application/pdf", CSV)
SHEET_FILE = file_responses(CSV, XLSX)


class ReportFormat(enum.StrEnum):
    HTML = "html"
    PDF = "pdf"
    CSV = "csv"


class SheetFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@router.get("/monthly", response_class=Response, responses=REPORT_FILE)
def monthly_report(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    month: Annotated[str, MONTH],
    principal: Annotated[str, Query(min_length=1, max_length=16)],
    format: ReportFormat = ReportFormat.HTML,
) -> Response:
    """The monthly report (månadsrapport) of a principal against the same month last year;
    a month not yet over is counted to today against the same days last year."""
    from samfard.reports.exports import report_csv
    from samfard.reports.render_html import render_page
    from samfard.reports.render_pdf import render_pdf

    period = Month.parse(month)
    report = service.monthly_report(
        session=session,
        actor=actor,
        principal=principal,
        year=period.year,
        month=period.number,
        today=now.astimezone(STOCKHOLM).date(),
    )
    name = f"manadsrapport-{principal}-{month}.{format.value}"
    if format is ReportFormat.PDF:
        return attachment(render_pdf(report), media_type="application/pdf", name=name)
    if format is ReportFormat.CSV:
        return attachment(report_csv(report), media_type=CSV, name=name)
    page = render_page(report)
    return Response(content=page, media_type="text/html; charset=utf-8")


def _job_out(job: Job) -> ReportJobOut:
    files = {}
    if job.state == "done":
        base = f"/api/v1/reports/monthly/jobs/{job.id}/file?format="
        files = {f: base + f for f in report_jobs.FORMATS}
    return ReportJobOut(
        id=job.id,
        state=job.state,
        progress=job.progress,
        message=job.message,
        error=job.error,
        principal=str(job.args["principal"]),
        month=str(job.args["month"]),
        files=files,
    )


@router.post("/monthly/jobs", status_code=202)
def start_monthly_job(
    body: ReportJobIn,
    request: Request,
    session: SessionDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    now: NowDep,
) -> ReportJobOut:
    """Build the monthly report in the background (or answer the job already building it);
    follow it at /monthly/jobs/{id} and fetch its files when it is done."""
    sessions: sessionmaker[Session] = request.app.state.sessionmaker
    job = report_jobs.start_report_job(
        session=session,
        sessions=sessions,
        actor=actor,
        principal=body.principal,
        month=body.month,
        now=now,
    )
    return _job_out(job)


@router.get("/monthly/jobs/{job_id}")
def monthly_job(
    session: SessionDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    job_id: Annotated[str, Path(max_length=64)],
) -> ReportJobOut:
    """A report job's state and progress (readers of its principal only)."""
    return _job_out(report_jobs.report_job(session=session, actor=actor, job_id=job_id))


@router.get("/monthly/jobs/{job_id}/file", response_class=Response, responses=REPORT_FILE)
def monthly_job_file(
    session: SessionDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    job_id: Annotated[str, Path(max_length=64)],
    format: ReportFormat = ReportFormat.HTML,
) -> Response:
    """A finished report job's file (html, pdf, csv), as built by the job."""
    job = report_jobs.report_job(session=session, actor=actor, job_id=job_id)
    body, media_type, name = report_jobs.report_file(job, format.value)
    return attachment(body, media_type=media_type, name=name)


@router.get("/invoice-basis", response_class=Response, responses=SHEET_FILE)
def invoice_basis(
    session: SessionDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    carrier: Annotated[str, Query(min_length=1, max_length=120)],
    month: Annotated[str, MONTH],
    format: SheetFormat = SheetFormat.CSV,
) -> Response:
    """A carrier's invoice basis (fakturaunderlag) for a month: one line per settled run."""
    period = Month.parse(month)
    sheet = service.invoice_basis_sheet(
        session=session, actor=actor, carrier=carrier, year=period.year, month=period.number
    )
    return _sheet_file(sheet, format, f"fakturaunderlag-{month}.{format.value}")


@router.get("/cost-statement", response_class=Response, responses=SHEET_FILE)
def cost_statement(
    session: SessionDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    principal: Annotated[str, Query(min_length=1, max_length=16)],
    month: Annotated[str, MONTH],
    format: SheetFormat = SheetFormat.CSV,
) -> Response:
    """A principal's cost statement (kostnadsredovisning) for a month, one line per trip."""
    period = Month.parse(month)
    sheet = service.cost_statement_sheet(
        session=session, actor=actor, principal=principal, year=period.year, month=period.number
    )
    return _sheet_file(sheet, format, f"kostnadsredovisning-{principal}-{month}.{format.value}")


@router.put("/targets")
def set_target(
    body: TargetIn,
    session: SessionDep,
    actor: Annotated[Actor, require(P.TARGETS_WRITE)],
    now: NowDep,
) -> TargetOut:
    """Set or replace a principal's target (målvärde) for a key figure in a year."""
    view = targets.set_target(
        session=session,
        actor=actor,
        principal=body.principal,
        year=body.year,
        kpi=body.kpi,
        value=body.value,
        now=now,
        service=body.service,
        higher_is_better=body.higher_is_better,
        comment=body.comment,
    )
    return TargetOut(**vars(view))


@router.get("/targets")
def list_targets(
    session: SessionDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    principal: Annotated[str, Query(min_length=1, max_length=16)],
    year: Annotated[int, Query(ge=FIRST_YEAR, le=LAST_YEAR)],
) -> list[TargetOut]:
    """A principal's targets of a year."""
    actor.require_principal(principal)
    if principal not in service.principal_names(session):
        raise service.unknown_principal(principal)
    return [
        TargetOut(**vars(v)) for v in targets.target_views(session, principal=principal, year=year)
    ]


@router.put("/comments")
def set_comment(
    body: CommentIn,
    session: SessionDep,
    actor: Annotated[Actor, require(P.TARGETS_WRITE)],
    now: NowDep,
) -> CommentOut:
    """Set, replace or (with an empty text) remove the month's comment on a key figure."""
    period = Month.parse(body.month)
    text = targets.set_comment(
        session=session,
        actor=actor,
        principal=body.principal,
        year=period.year,
        month=period.number,
        kpi=body.kpi,
        comment=body.comment,
        now=now,
    )
    return CommentOut(principal=body.principal, month=body.month, kpi=body.kpi, comment=text)


def _sheet_file(sheet: Sheet, format: SheetFormat, name: str) -> Response:
    if format is SheetFormat.XLSX:
        return attachment(to_xlsx([sheet]), media_type=XLSX, name=name)
    return attachment(to_csv(sheet), media_type=CSV, name=name)
