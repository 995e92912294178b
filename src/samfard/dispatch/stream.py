"""Server-sent events for the live day: /trafik/strom (a day's plan) and /forare/strom
(the driver's run).

Each stream reads the change feed (samfard.changes) from the database every
`POLL_S` seconds, so a change made by any API process or worker reaches every browser,
whichever process it is connected to. An event says only which topic changed, not what
changed in it nor whose booking: a topic (a day's plan) holds every principal's trips, and
its readers may see only some of them. The page fetches the changed part again through its
normal, scoped and audited route.
A stream ends after `LIFETIME_S` (the browser's EventSource reconnects and sends
Last-Event-ID, so nothing is missed), which also frees a server thread now and then.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Annotated

from fastapi import Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.changes import LOOKBACK, Change, ChangeNote, Cursor
from samfard.db import transaction
from samfard.deps import NowDep, SessionDep
from samfard.dispatch.driver.rules import STOP_KINDS
from samfard.dispatch.driver.service import todays_run
from samfard.dispatch.service import require_run_shown
from samfard.errors import NotFound
from samfard.web.shell import page_router

router = page_router()

POLL_S = 1.0
KEEP_ALIVE_S = 15.0
LIFETIME_S = 300.0


def _read(sessions: sessionmaker[Session], step: Callable[[Session], object]) -> object:
    with sessions() as session:
        session.connection(execution_options={"sqlite_begin": "DEFERRED"})
        return step(session)


async def change_stream(
    request: Request,
    sessions: sessionmaker[Session],
    topics: list[str],
    last_event_id: int | None,
    *,
    poll_s: float = POLL_S,
    lifetime_s: float = LIFETIME_S,
    keep: Callable[[ChangeNote], bool] = lambda note: True,
) -> AsyncIterator[str]:
    """The text of an event stream of `topics` (the changes `keep` keeps), from the
    database's change feed."""

    def begin(session: Session) -> Cursor:
        if last_event_id is None:
            return Cursor.start(session)
        ids = session.scalars(select(Change.id).where(Change.id <= last_event_id))
        return Cursor(high=last_event_id, sent={i for i in ids if i > last_event_id - LOOKBACK})

    cursor = await run_in_threadpool(_read, sessions, begin)
    assert isinstance(cursor, Cursor)
    yield "retry: 3000\n\n"
    started = quiet = time.monotonic()
    while time.monotonic() - started < lifetime_s and not await request.is_disconnected():
        notes = await run_in_threadpool(_read, sessions, lambda s: cursor.read(s, topics))
        assert isinstance(notes, list)
        for note in filter(keep, notes):
            data = json.dumps({"topic": note.topic})
            yield f"id: {note.id}\nevent: change\ndata: {data}\n\n"
            quiet = time.monotonic()
        if time.monotonic() - quiet > KEEP_ALIVE_S:
            yield ": still here\n\n"
            quiet = time.monotonic()
        await asyncio.sleep(poll_s)


def _response(stream: AsyncIterator[str]) -> StreamingResponse:
    return StreamingResponse(
        stream,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


LastEventId = Annotated[int | None, Header(alias="Last-Event-ID", ge=0, le=2**62)]


@router.get("/trafik/strom")
def traffic_stream(
    request: Request,
    session: SessionDep,
    actor: Annotated[Actor, require(P.PLANS_READ)],
    datum: Annotated[date, Query()],
    korning: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    last_event_id: LastEventId = None,
) -> StreamingResponse:
    """Changes of the day's plan: reports from vehicles, bookings placed or leaving, a new
    plan version. With `korning` (a run's page), the run's own changes (its positions too)
    and the plan's, less the reports at other runs' stops: a run's page fetched its stops
    again at every report of the day."""
    if korning is not None:
        require_run_shown(session=session, day=datum, actor=actor, run_id=korning)
    session.close()  # the login check's transaction must not live as long as the stream
    sessions: sessionmaker[Session] = request.app.state.sessionmaker
    plan = f"plan:{datum.isoformat()}"
    if korning is None:
        return _response(change_stream(request, sessions, [plan], last_event_id))
    topics = [plan, f"run:{korning}"]
    keep = run_changes(datum, korning)
    return _response(change_stream(request, sessions, topics, last_event_id, keep=keep))


def run_changes(day: date, run_id: int) -> Callable[[ChangeNote], bool]:
    """What a run's page is told of: every change but a report at another run's stop (the
    driver's report is announced on the day's plan with its run's id)."""
    plan = f"plan:{day.isoformat()}"

    def keep(note: ChangeNote) -> bool:
        return note.topic != plan or note.kind not in STOP_KINDS or note.ref_id == run_id

    return keep


@router.get("/forare/strom")
def driver_stream(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.STOPS_REPORT)],
    last_event_id: LastEventId = None,
) -> StreamingResponse:
    """Changes of the driver's run today (and of today's plan, which may move it)."""
    with transaction(session):
        run = todays_run(session=session, actor=actor, now=now)
        if run is None:
            raise NotFound("your vehicle has no run in today's plan", field="vehicle_id")
        topics = [f"run:{run.id}", f"plan:{run.plan_run.service_date.isoformat()}"]
    session.close()  # nothing of the request's session lives as long as the stream
    sessions: sessionmaker[Session] = request.app.state.sessionmaker
    return _response(change_stream(request, sessions, topics, last_event_id))
