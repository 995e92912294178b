"""The scenario page /uppfoljning/scenario: run a SPEC (own fleet or procured) as a
background job with its progress, then read the report in the page and download it as
HTML, PDF and CSV.

The SPECs offered are the TOML files of `Settings.scenario_dir` (the repository's
`scenarios/`). A run plans and settles synthetic demo days in throwaway databases
(`reports.scenarios.job.run_scenario_task`, the same runner as `samfard scenario`), so it
reads no traveller and writes nothing to the configured database; the report's files
are kept in a temporary folder for as long as the job board remembers the job. Report
readers (REPORTS_READ) may run and read scenarios; one scenario runs at a time.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, RedirectResponse, Response

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import SettingsDep
from samfard.dispatch.jobs import JobRecord
from samfard.dispatch.pages import job_board
from samfard.errors import DomainError, NotFound
from samfard.reports.scenarios.job import Progress, run_scenario_task
from samfard.reports.scenarios.spec import MAX_DAYS, MAX_TRIPS, load_spec
from samfard.web.shell import FormErrors, page_router
from samfard.web.templating import render

router = page_router()

SCENARIO = "scenario"
ONE_AT_A_TIME = "centralen"  # the job board's subject: one scenario run at a time
MEDIA = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".csv": "text/csv; charset=utf-8",
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
    job: JobRecord | None = None,
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
            "max_trips": MAX_TRIPS,
        },
    )


@router.get("/uppfoljning/scenario")
def scenario_page(
    request: Request,
    settings: SettingsDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    jobb: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The form, and the job named by `jobb` (running, or done with its report)."""
    job = _scenario_job(request, jobb) if jobb else None
    return _page(request, settings.scenario_dir, job=job)


def _whole(
    text: str, low: int, high: int, field: str, label: str, errors: FormErrors
) -> int | None:
    """An optional whole number from a form field, or None; a bad one adds an error."""
    if not text.strip():
        return None
    try:
        value = int(text.strip())
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        errors.add(field, f"Skriv {label} som ett heltal från {low} till {high}.")
        return None
    return value


@router.post("/uppfoljning/scenario")
def start_scenario(
    request: Request,
    settings: SettingsDep,
    actor: Annotated[Actor, require(P.REPORTS_READ)],
    spec: Annotated[str, Form(max_length=200)] = "",
    dagar: Annotated[str, Form(max_length=10)] = "",
    fro: Annotated[str, Form(max_length=12)] = "",
    resor: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Start a scenario run in the background (or show the one already running)."""
    errors = FormErrors()
    offered = dict(_specs(settings.scenario_dir))
    if spec not in offered:
        errors.add("spec", "Välj ett scenario i listan.")
    days = _whole(dagar, 1, MAX_DAYS, "dagar", "antalet dagar", errors)
    seed = _whole(fro, 0, 2**31, "fro", "fröet", errors)
    trips = _whole(resor, 1, MAX_TRIPS, "resor", "resor per dag", errors)
    if errors:
        form = {"spec": spec, "dagar": dagar, "fro": fro, "resor": resor}
        return _page(request, settings.scenario_dir, errors=errors, form=form)
    spec_path = str((settings.scenario_dir / spec).resolve())

    def work(report: Progress) -> dict[str, Any]:
        output = tempfile.mkdtemp(prefix="samfard-scenario-report-")
        return {"folder": output} | run_scenario_task(
            spec_path=spec_path, output=output, days=days, seed=seed, trips=trips, report=report
        )

    job = job_board(request).start(SCENARIO, ONE_AT_A_TIME, actor.username, work)
    target = request.url_for("scenario_page").include_query_params(jobb=job.id)
    return RedirectResponse(str(target), status_code=303)


def _scenario_job(request: Request, job_id: str) -> JobRecord:
    job = job_board(request).get(job_id)
    if job.kind != SCENARIO:
        raise NotFound(f"no scenario job {job_id}", field="jobb")
    return job


@router.get("/uppfoljning/scenario/jobb/{job_id}")
def scenario_progress(
    request: Request,
    job_id: Annotated[str, PathParam(max_length=64)],
    actor: Annotated[Actor, require(P.REPORTS_READ)],
) -> Response:
    """A run's progress as a fragment htmx swaps in every second while it runs."""
    return render(request, "reports/_scenario_job.html", {"job": _scenario_job(request, job_id)})


@router.get("/uppfoljning/scenario/jobb/{job_id}/{name}")
def scenario_file(
    request: Request,
    job_id: Annotated[str, PathParam(max_length=64)],
    name: Annotated[str, PathParam(max_length=64)],
    actor: Annotated[Actor, require(P.REPORTS_READ)],
) -> Response:
    """One file of a finished run's report (only the names the run wrote)."""
    job = _scenario_job(request, job_id)
    result = job.result or {}
    if job.state != "done" or name not in result.get("files", ()):
        raise NotFound(f"job {job_id} has no file {name!r}", field="name")
    path = Path(str(result["folder"])) / name
    download = path.suffix != ".html"
    return FileResponse(
        path,
        media_type=MEDIA.get(path.suffix, "application/octet-stream"),
        filename=name if download else None,
        content_disposition_type="attachment" if download else "inline",
        # The HTML report is shown in the page's frame: this site may frame it, no other.
        headers=None if download else {"X-Frame-Options": "SAMEORIGIN"},
    )
