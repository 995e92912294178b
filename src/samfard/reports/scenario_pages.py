"""The scenario page /uppfoljning/scenario: run a SPEC (own fleet or procured) as a
background job with its progress, then read the report in the page and download it as
HTML, PDF and CSV.

The SPECs offered are the TOML files of `Settings.scenario_dir` (the repository's
`scenarios/`). A run is a job of `samfard.jobs` (a worker on PostgreSQL, a thread on
SQLite) that plans and settles synthetic demo days in throwaway databases
(`reports.scenarios.job.run_scenario_task`, the same runner as `samfard scenario`): it
reads no traveller and writes nothing but its job row, whose result holds the report's
files. Report readers (REPORTS_READ) may run and read scenarios; one runs at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Form, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from samfard import jobs
from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.attachment import CSV, attachment
from samfard.deps import NowDep, SessionDep, SettingsDep
from samfard.errors import DomainError, NotFound
from samfard.reports.jobs import job_of_kind
from samfard.reports.scenarios.job import SCENARIO, file_of
from samfard.reports.scenarios.spec import MAX_DAYS, MAX_SEED, MAX_TRIPS, load_spec
from samfard.web.shell import FormErrors, page_router
from samfard.web.templating import render, sv_number
from samfard.web.typed import whole_number

router = page_router()

# What a field may hold before the page stops reading it: far above what any field takes,
# so "99999999999999999999999" days comes back at its field with the range; only a
# hand-made request sends more.
READ_AT_MOST = 10_000
ONE_AT_A_TIME = "centralen"  # the jobs' subject: one scenario run at a time
MEDIA = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".csv": CSV,
}


def _specs(folder: Path) -> list[tuple[str, str]]:
    """(file name, "title (file)") of every SPEC in `folder`; files that are not SPECs
    (such as the centre's cost file) are left out."""
    found = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            found.append((path.name, f"{load_spec(path).title} ({path.name})"))
        except DomainError:
            continue
    return found


def _page(
    request: Request,
    settings_dir: Path,
    *,
    job: jobs.Job | None = None,
    errors: FormErrors | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "reports/scenario.html",
        {
            "specs": _specs(settings_dir),
            "job": job,
            "errors": errors or FormErrors(),
            "form": form or {},
            "max_days": MAX_DAYS,
            "max_seed": MAX_SEED,
            "max_trips": MAX_TRIPS,
        },
    )


@router.get("/uppfoljning/scenario")
def scenario_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    jobb: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The form, and the job named by `jobb` (running, or done with its report)."""
    job = _scenario_job(session, jobb) if jobb else None
    return _page(request, settings.scenario_dir, job=job)


def _whole(
    text: str, low: int, high: int, field: str, label: str, errors: FormErrors
) -> int | None:
    """An optional whole number from a form field, or None; one that is not a whole
    number ("1,5", "1e400"), too long or out of range adds an error saying the range, as
    the field's hint does (it was a bare 422 page, or "1,5" read as 15 by the browser)."""
    typed = text.strip()
    if not typed:
        return None
    value = whole_number(typed, most=high)
    if value is None or value < low:
        said = sv_number(low), sv_number(high)
        errors.add(field, f"Skriv {label} som ett heltal från {said[0]} till {said[1]}.")
        return None
    return value


@router.post("/uppfoljning/scenario")
def start_scenario(
    request: Request,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    spec: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    dagar: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    fro: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    resor: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
) -> Response:
    """Start a scenario run in the background (or show the one already running)."""
    errors = FormErrors()
    offered = dict(_specs(settings.scenario_dir))
    if spec not in offered:
        errors.add("spec", "Välj ett scenario i listan.")
    days = _whole(dagar, 1, MAX_DAYS, "dagar", "antalet dagar", errors)
    seed = _whole(fro, 0, MAX_SEED, "fro", "fröet", errors)
    trips = _whole(resor, 1, MAX_TRIPS, "resor", "resor per dag", errors)
    if errors:
        form = {"spec": spec, "dagar": dagar, "fro": fro, "resor": resor}
        return _page(request, settings.scenario_dir, errors=errors, form=form)
    sessions: sessionmaker[Session] = request.app.state.sessionmaker
    job = jobs.start(
        session=session,
        sessions=sessions,
        kind=SCENARIO,
        subject=ONE_AT_A_TIME,
        args={
            "spec_path": str((settings.scenario_dir / spec).resolve()),
            "days": days,
            "seed": seed,
            "trips": trips,
        },
        started_by=actor.username,
        now=now,
    )
    target = request.url_for("scenario_page").include_query_params(jobb=job.id)
    return RedirectResponse(str(target), status_code=303)


def _scenario_job(session: Session, job_id: str) -> jobs.Job:
    """A scenario run (any report reader's: it reads no principal's data); another kind of
    job answers as a missing one."""
    return job_of_kind(session, job_id, SCENARIO)


@router.get("/uppfoljning/scenario/jobb/{job_id}")
def scenario_progress(
    request: Request,
    session: SessionDep,
    job_id: Annotated[str, PathParam(max_length=64)],
    actor: Annotated[Actor, require(P.REPORTS_READ)],
) -> Response:
    """A run's progress as a fragment htmx swaps in every second while it runs."""
    job = _scenario_job(session, job_id)
    return render(request, "reports/_scenario_job.html", {"job": job})


@router.get("/uppfoljning/scenario/jobb/{job_id}/{name}")
def scenario_file(
    session: SessionDep,
    job_id: Annotated[str, PathParam(max_length=64)],
    name: Annotated[str, PathParam(max_length=64)],
    actor: Annotated[Actor, require(P.REPORTS_READ)],
) -> Response:
    """One file of a finished run's report (only the names the run wrote)."""
    job = _scenario_job(session, job_id)
    content = file_of(job.result or {}, name) if job.state == "done" else None
    if content is None:
        raise NotFound(f"job {job_id} has no file {name!r}", field="name")
    suffix = Path(name).suffix
    media_type = MEDIA.get(suffix, "application/octet-stream")
    if suffix == ".html":
        # The HTML report is shown in the page's frame: this site may frame it, no other.
        return Response(content, media_type=media_type, headers={"X-Frame-Options": "SAMEORIGIN"})
    return attachment(content, media_type=media_type, name=name)
