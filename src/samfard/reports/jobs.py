"""The monthly report as a background job (samfard.jobs kind "report") with progress.

A report reads two years of settled trips and draws a PDF; on a large principal that takes
longer than a page should wait, so /uppfoljning, the API and `samfard job report` start it
as a job and fetch its files when it is done. The files (HTML, PDF, CSV) are kept in the
job's result, the one place every API process and worker shares without a table of its
own; a report holds no person (trips are named by booking and leg), so keeping it needs no
masking. Whoever fetches a file needs REPORTS_READ and the job's principal in scope,
checked on every fetch, as for the report itself; to anyone else the job does not exist.
A job that fails records why in Swedish, because that text is what the page shows.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from samfard import jobs
from samfard.access.actor import Actor
from samfard.access.models import User
from samfard.access.permissions import Permission
from samfard.access.service import actor_for_user
from samfard.attachment import CSV
from samfard.db import transaction
from samfard.errors import Conflict, DomainError, Forbidden, InputError, NotFound
from samfard.jobs import Job, Progress
from samfard.reports import report_cache, service
from samfard.reports.exports import report_csv
from samfard.reports.month import Month
from samfard.reports.render_html import render_page
from samfard.reports.render_pdf import render_pdf
from samfard.timeutil import STOCKHOLM

REPORT = "report"
FORMATS = ("html", "pdf", "csv")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": CSV,
}
READ_EXPECTED_S = 3.0  # reading two years of settled trips of a regional principal
PDF_EXPECTED_S = 2.0


class ReportJobFailed(DomainError):
    """Why a report job could not finish, in Swedish: the job's page shows it as it is."""

    status = 422


def monthly_report_task(
    *,
    sessions: sessionmaker[Session],
    user_id: int,
    principal: str,
    month: str,
    today: str,
    report: Progress,
) -> dict[str, Any]:
    """Build `principal`'s report of `month` as user `user_id` may read it, and keep its
    HTML, PDF (base64) and CSV in the result. `today` is the Swedish date the job was
    started on (ISO): a month not over then is counted to the day before."""
    report(0.05, "Läser avräknade resor", READ_EXPECTED_S)
    with sessions() as session, transaction(session):
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise ReportJobFailed(
                f"användaren (id {user_id}) finns inte längre eller är avstängd", field="user_id"
            )
        try:
            period = Month.parse(month)
            data = report_cache.monthly_report(
                session=session,
                actor=actor_for_user(user),
                principal=principal,
                year=period.year,
                month=period.number,
                today=date.fromisoformat(today),
            )
        except Forbidden as error:
            raise ReportJobFailed(
                f"kontot {user.username} får inte läsa rapporter för huvudman {principal}",
                field="principal",
            ) from error
        except InputError as error:
            raise ReportJobFailed(
                f"rapporten kan inte tas fram för huvudman {principal} och månad {month} "
                f"({error.detail_sv or error.message})",
                field=error.field,
            ) from error
    report(0.6, "Skriver HTML och CSV", 0.5)
    html, csv = render_page(data), report_csv(data)
    report(0.7, "Ritar PDF", PDF_EXPECTED_S)
    pdf = base64.b64encode(render_pdf(data)).decode("ascii")
    report(1.0, "Klar", 0.0)
    return {
        "principal": principal,
        "month": month,
        "title": f"Månadsrapport {data.period}: {data.scope}",
        "files": {"html": html, "pdf": pdf, "csv": csv},
    }


def start_report_job(
    *,
    session: Session,
    sessions: sessionmaker[Session],
    actor: Actor,
    principal: str,
    month: str,
    now: datetime,
) -> Job:
    """Start the report job of `principal` and `month` (or return the one already running),
    refused at once if the account may not read the principal's reports."""
    actor.require(Permission.REPORTS_READ)
    actor.require_principal(principal)
    Month.parse(month)
    if principal not in service.principal_names(session):
        raise service.unknown_principal(principal)
    if actor.user_id is None:
        raise InputError("only a signed-in user can start a report job", field="user")
    return jobs.start(
        session=session,
        sessions=sessions,
        kind=REPORT,
        subject=f"{principal}:{month}",
        args={
            "user_id": actor.user_id,
            "principal": principal,
            "month": month,
            "today": now.astimezone(STOCKHOLM).date().isoformat(),
        },
        started_by=actor.username,
        now=now,
    )


def job_of_kind(
    session: Session, job_id: str, kind: str, readable: Callable[[Job], bool] = lambda _: True
) -> Job:
    """The job `job_id` if it is of `kind` and `readable` to the caller; any other answers
    as one that does not exist, in the same words (`jobs.get`'s "no job …"), so a job id
    tells nothing of another principal's work. Another principal's report job answered
    403 "your account is not scoped to principal 23" (probe of 2026-12-06)."""
    with transaction(session):
        job = jobs.get(session, job_id)
    if job.kind != kind or not readable(job):
        raise NotFound(f"no job {job_id}", field="job_id")
    return job


def report_job(*, session: Session, actor: Actor, job_id: str) -> Job:
    """A report job, for a reader of its principal only (to others it is missing, as
    another principal's booking is)."""
    actor.require(Permission.REPORTS_READ)
    return job_of_kind(
        session, job_id, REPORT, lambda job: actor.covers_principal(str(job.args["principal"]))
    )


def report_file(job: Job, format: str) -> tuple[bytes | str, str, str]:
    """The finished job's file in `format`: (body, media type, file name)."""
    if format not in FORMATS:
        wanted = ", ".join(FORMATS)
        raise InputError(f"format must be one of {wanted}, got {format!r}", field="format")
    if job.state != "done" or job.result is None:
        raise Conflict(f"report job {job.id} is {job.state}, not done", field="job_id")
    text = str(job.result["files"][format])
    body: bytes | str = base64.b64decode(text) if format == "pdf" else text
    name = f"manadsrapport-{job.result['principal']}-{job.result['month']}.{format}"
    return body, MEDIA_TYPES[format], name


jobs.register(REPORT, monthly_report_task)
