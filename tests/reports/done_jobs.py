"""A finished report or scenario job as its runner leaves it, for tests that read a job's
page or files without running one."""

from __future__ import annotations

from sqlalchemy.orm import Session

from helpers import NOW
from samfard import jobs


def done_job(
    session: Session, job_id: str, kind: str, principal: str, files: dict[str, str]
) -> str:
    """A job of `kind` for `principal`'s October 2026, done, with `files` in its result
    (text; a PDF in base64, as the runners keep it)."""
    session.add(
        jobs.Job(id=job_id, kind=kind, subject=f"{principal}:2026-10", state="done",
                 args={"user_id": 1, "principal": principal, "month": "2026-10"},
                 result={"principal": principal, "month": "2026-10", "title": "t",
                         "names": list(files), "files": files},
                 message="Klar", done=1.0, started_by=f"analys-{principal}", created_at=NOW)
    )  # fmt: skip
    session.flush()
    return job_id
