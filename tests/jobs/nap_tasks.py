"""A job kind for the job tests: naps, reports progress, says which process ran it.

Imported by the tests and, with `samfard worker --import nap_tasks`, by worker processes."""

from __future__ import annotations

import os
import time
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from samfard import jobs
from samfard.errors import InputError
from samfard.jobs import Progress


def nap(
    *, sessions: sessionmaker[Session], report: Progress, seconds: float, fail: bool = False
) -> dict[str, Any]:
    report(0.5, "Halvvägs", seconds)
    time.sleep(seconds)
    if fail:
        raise InputError("asked to fail", field="fail")
    return {"pid": os.getpid(), "slept": seconds}


jobs.register("nap", nap)
