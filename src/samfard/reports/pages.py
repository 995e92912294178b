"""The follow-up page /uppfoljning: a principal's monthly report in the page, with its
charts, KPI targets and comments, and the same report to download as CSV, XLSX or PDF.

The page and the files come from `reports.service.monthly_report` and the report's own
renderers, so what the board files is what the page shows. A report that takes long can
be built in the background instead (a "report" job, reports/jobs.py): the page starts it
and polls its progress with htmx, as /trafik's re-plan button does, and links its files
when it is done. The page answers every
signed-in user who may read principals with its heading; only report readers
(REPORTS_READ) see figures, and only of the principals in their scope.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from fastapi import Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from samfard import jobs
from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.attachment import CSV, attachment
from samfard.dates_sv import MONTHS_SV
from samfard.db import transaction
from samfard.deps import NowDep, SessionDep
from samfard.errors import InputError
from samfard.principals.service import list_principals
from samfard.reports import jobs as report_jobs
from samfard.reports import report_cache
from samfard.reports.exports import report_csv, report_sheets
from samfard.reports.month import PATTERN, Month
from samfard.reports.monthly import MonthlyReportData
from samfard.reports.quality_export import quality_sheets
from samfard.reports.render_html import report_context
from samfard.reports.render_pdf import render_pdf
from samfard.reports.sheet import to_xlsx
from samfard.timeutil import STOCKHOLM
from samfard.web.shell import FormErrors, is_htmx, page_router
from samfard.web.templating import render
from samfard.web.typed import FieldError

router = page_router()

MONTH = Query(pattern=PATTERN, description="YYYY-MM")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx", "pdf")


# The Månad field: what it takes (maxlength) and how a month may be typed besides
# "2026-11": "11/2026", "11-2026", "nov 2026", "november 2026". Read by the page itself,
# so "nov 2026" is a month and anything else is said in Swedish at the field, never the
# browser's "Please match the requested format." nor a bare 422 page.
MONTH_MAXLENGTH = 20
_ISO_MONTH = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{4})")
_NAMED_MONTH = re.compile(r"([a-zåäö]+)\.?\s*(\d{4})")
MONTH_NAMES = {name: n for n, full in enumerate(MONTHS_SV, 1) for name in (full, full[:3])}
MONTH_HOW = "Skriv månaden som ÅÅÅÅ-MM, till exempel 2026-10 (eller 10/2026, okt 2026)."


def read_month(text: str) -> str:
    """A month typed in the Månad field as "ÅÅÅÅ-MM"; FieldError says how to write one
    the page cannot read or one outside the years a report covers."""
    typed = text.strip().lower()
    if len(typed) > MONTH_MAXLENGTH:
        raise FieldError(f"Månaden får vara högst {MONTH_MAXLENGTH} tecken. {MONTH_HOW}")
    year = number = None
    if found := _ISO_MONTH.fullmatch(typed):
        year, number = int(found[1]), int(found[2])
    elif found := _MONTH_YEAR.fullmatch(typed):
        number, year = int(found[1]), int(found[2])
    elif (found := _NAMED_MONTH.fullmatch(typed)) and found[1] in MONTH_NAMES:
        number, year = MONTH_NAMES[found[1]], int(found[2])
    if year is None or number is None:
        raise FieldError(MONTH_HOW)
    try:
        return str(Month(year, number))
    except InputError as error:
        raise FieldError(error.detail_sv or MONTH_HOW) from None


def last_full_month(now: datetime) -> str:
    """The month before today's (Swedish time): the newest month that is complete."""
    today = now.astimezone(STOCKHOLM).date()
    first = today.replace(day=1)
    previous = date.fromordinal(first.toordinal() - 1)
    return f"{previous.year}-{previous.month:02d}"


def _principals(session: Session, actor: Actor) -> list[tuple[str, str]]:
    return [
        (p.code, f"{p.name} ({p.code})")
        for p in list_principals(session=session)
        if actor.covers_principal(p.code)
    ]


def _report(
    session: Session, actor: Actor, principal: str, month: str, now: datetime
) -> MonthlyReportData:
    period = Month.parse(month, field="manad")
    return report_cache.monthly_report(
        session=session,
        actor=actor,
        principal=principal,
        year=period.year,
        month=period.number,
        today=now.astimezone(STOCKHOLM).date(),
    )


@router.get("/uppfoljning")
def follow_up_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PRINCIPALS_READ)],
    manad: Annotated[str | None, Query(max_length=2000)] = None,
    huvudman: Annotated[str | None, Query(max_length=16)] = None,
    jobb: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The monthly report of one principal (the first in scope) for one month (the last
    complete one unless `manad` says otherwise); a `manad` the page cannot read comes
    back at the field, as typed, with no report."""
    if not actor.has(P.REPORTS_READ):
        return render(request, "reports/follow_up.html", {"may_read": False})
    principals = _principals(session, actor)
    errors = FormErrors()
    month = last_full_month(now)
    if manad and manad.strip():
        try:
            month = read_month(manad)
        except FieldError as error:
            errors.add("manad", str(error))
    chosen = huvudman or (principals[0][0] if principals else "")
    readable = chosen in {code for code, _ in principals}
    context: dict[str, object] = {
        "may_read": True,
        "principals": principals,
        "month": month,
        "typed": manad[:MONTH_MAXLENGTH] if errors and manad else None,
        "month_maxlength": MONTH_MAXLENGTH,
        "errors": errors,
        "principal": chosen,
        "formats": FORMATS,
        "problem": None,
        "report": None,
        # Another principal's report being built is not shown either: the page showed its
        # progress (the probe of the seventh session of 2026-12-06).
        "job": _job_for(session, actor, chosen, month, jobb) if readable and not errors else None,
    }
    if not principals:
        context["problem"] = "Ditt konto är inte knutet till någon huvudman."
    elif not readable:
        # Never the address's code in the message: a link would put its words on the page.
        context["problem"] = "Välj en huvudman i listan: där står de som ditt konto får läsa."
    elif not errors:  # a month the page could not read is said at the field, no report
        try:
            report = _report(session, actor, chosen, month, now)
        except InputError as error:
            context["problem"] = f"Rapporten kan inte visas: {error.detail_sv or error.message}"
        else:
            context["report"] = report_context(report)
    return render(request, "reports/follow_up.html", context)


def _job_for(
    session: Session, actor: Actor, principal: str, month: str, job_id: str | None
) -> jobs.Job | None:
    """The report job the page was sent back with, else the one building this report."""
    if job_id:
        return report_jobs.report_job(session=session, actor=actor, job_id=job_id)
    with transaction(session):
        return jobs.active(session, report_jobs.REPORT, f"{principal}:{month}")


@router.post("/uppfoljning/jobb")
def start_report_job(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    manad: Annotated[str, Form(pattern=PATTERN)],
    huvudman: Annotated[str, Form(min_length=1, max_length=16)],
) -> Response:
    """Build the month's report in the background (or show the job already building it)."""
    sessions: sessionmaker[Session] = request.app.state.sessionmaker
    job = report_jobs.start_report_job(
        session=session, sessions=sessions, actor=actor, principal=huvudman, month=manad, now=now
    )
    if is_htmx(request):
        return render(request, "reports/_job.html", {"job": job})
    target = request.url_for("follow_up_page").include_query_params(
        manad=manad, huvudman=huvudman, jobb=job.id
    )
    return RedirectResponse(str(target), status_code=303)


@router.get("/uppfoljning/jobb/{job_id}")
def report_job_progress(
    request: Request,
    session: SessionDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    job_id: Annotated[str, Path(max_length=64)],
) -> Response:
    """A report job's progress as a fragment htmx swaps in every second while it runs."""
    job = report_jobs.report_job(session=session, actor=actor, job_id=job_id)
    return render(request, "reports/_job.html", {"job": job})


@router.get("/uppfoljning/jobb/{job_id}/manadsrapport.{format}")
def report_job_file(
    session: SessionDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    job_id: Annotated[str, Path(max_length=64)],
    format: str,
) -> Response:
    """A finished report job's file (html, pdf, csv), as the job built it."""
    job = report_jobs.report_job(session=session, actor=actor, job_id=job_id)
    body, media_type, name = report_jobs.report_file(job, format)
    return attachment(body, media_type=media_type, name=name)


@router.get("/uppfoljning/manadsrapport.{format}")
def follow_up_file(
    format: str,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    manad: Annotated[str, MONTH],
    huvudman: Annotated[str, Query(min_length=1, max_length=16)],
) -> Response:
    """The monthly report as CSV, XLSX (one sheet per table) or PDF."""
    if format not in FORMATS:
        wanted = ", ".join(FORMATS)
        raise InputError(f"format must be one of {wanted}, got {format!r}", field="format")
    report = _report(session, actor, huvudman, manad, now)
    name = f"manadsrapport-{huvudman}-{manad}.{format}"
    body: bytes | str
    if format == "pdf":
        body, media_type = render_pdf(report), "application/pdf"
    elif format == "xlsx":
        body, media_type = to_xlsx((*report_sheets(report), *quality_sheets(report))), XLSX
    else:
        body, media_type = report_csv(report), CSV
    return attachment(body, media_type=media_type, name=name)
