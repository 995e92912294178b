"""The change feed behind the live pages: a stream sends each change of its topics once,
also one that commits late, and a change written by one process reaches a stream served by
another (the database is the only channel)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.orm import Session

from helpers import NOW
from samfard import changes
from samfard.access.permissions import Role
from samfard.access.service import create_user, issue_token
from samfard.changes import ChangeNote
from samfard.db import make_engine, make_sessionmaker, upgrade
from samfard.dispatch.stream import run_changes
from samfard.reference import load_reference_data

DAY = date(2026, 11, 23)
SAMFARD = str(Path(sys.executable).parent / "samfard")


def test_a_cursor_sends_each_change_of_its_topics_once_also_a_late_commit(
    session: Session,
) -> None:
    changes.announce(session, topic="plan:2026-11-23", kind="old", at=NOW)
    session.flush()
    cursor = changes.Cursor.start(session)
    assert cursor.read(session, ["plan:2026-11-23"]) == [], "a new stream sends only news"
    for kind in ("arrived", "picked_up"):
        changes.announce(session, topic="plan:2026-11-23", kind=kind, at=NOW)
    changes.announce(session, topic="plan:2026-11-24", kind="other day", at=NOW)
    session.flush()
    notes = cursor.read(session, ["plan:2026-11-23"])
    assert [n.kind for n in notes] == ["arrived", "picked_up"]
    assert cursor.read(session, ["plan:2026-11-23"]) == []
    late = changes.Change(
        id=cursor.high - 1, topic="plan:2026-11-23", kind="late", ref_id=None, at=NOW
    )
    if session.get(changes.Change, late.id) is None:  # an id a slow transaction held
        session.add(late)
        session.flush()
        assert [n.kind for n in cursor.read(session, ["plan:2026-11-23"])] == ["late"]


def _own_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'stream.sqlite3'}"
        upgrade(url)
        yield url
        return
    admin = os.environ.get("SAMFARD_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
    name = f"samfard_stream_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    url = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/" + name
    upgrade(url)
    yield url
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def own_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A database of the same kind for a server in another process (committed rows)."""
    yield from _own_database(database_url, tmp_path)


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_change_committed_here_reaches_the_stream_of_a_server_in_another_process(
    own_database: str,
) -> None:
    engine = make_engine(own_database)
    sessions = make_sessionmaker(engine)
    now = datetime.now(UTC)  # the server runs on the system clock
    with sessions() as session:
        load_reference_data(session=session)
        user = create_user(
            session=session,
            username="stream-controller",
            password="stream-test-password-42",
            role=Role.OPERATOR,
            now=now,
            principal_codes=["*"],
        )
        token = issue_token(session=session, user=user, kind="bearer", now=now)
    port = _port()
    server = subprocess.Popen(
        [SAMFARD, "serve", "--port", str(port)],
        env=dict(os.environ, SAMFARD_DATABASE_URL=own_database, SAMFARD_SECURE_COOKIES="0"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        headers = {"Authorization": f"Bearer {token}"}
        url = f"{base}/trafik/strom?datum={DAY.isoformat()}"
        with httpx.stream("GET", url, headers=headers, timeout=20) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.iter_lines()
            assert next(lines).startswith("retry:")
            with sessions() as session, session.begin():
                changes.announce(session, topic=f"plan:{DAY}", kind="arrived", ref_id=7, at=NOW)
                changes.announce(session, topic="plan:2026-11-24", kind="other", at=NOW)
            received = []
            for line in lines:
                if not line:
                    continue  # the blank line that ends an event
                received.append(line)
                if line.startswith("data:"):
                    break
        event_id = int(received[0].removeprefix("id: "))
        # Which topic changed, not what nor whose booking: the day's plan holds every
        # principal's trips, and a scoped reader fetches what it may see through the page.
        assert received[1:] == ["event: change", f'data: {{"topic": "plan:{DAY}"}}']
        # A reconnecting browser names the last id it saw and gets what came after.
        with sessions() as session, session.begin():
            changes.announce(session, topic=f"plan:{DAY}", kind="dropped_off", at=NOW)
        resumed = {**headers, "Last-Event-ID": str(event_id)}
        with httpx.stream("GET", url, headers=resumed, timeout=20) as stream:
            next_id = next(line for line in stream.iter_lines() if line.startswith("id:"))
        assert int(next_id.removeprefix("id: ")) > event_id
    finally:
        server.terminate()
        server.wait(timeout=20)
        engine.dispose()


def test_a_run_pages_stream_leaves_out_reports_at_other_runs_stops() -> None:
    """/trafik/strom?korning=5 sends the run's own changes (its positions too) and the
    plan's, but not a report at another run's stop: a run's page fetched its stops again
    at every report of the day. (`change_stream` sends what `keep` keeps; the run's page
    in Chromium, tests/web/test_run_page_live_browser.py, hears its own reports.)"""
    plan, ours = f"plan:{DAY}", "run:5"
    keep = run_changes(DAY, 5)
    notes = [
        ChangeNote(1, plan, "picked_up", 7),  # a report at run 7's stop
        ChangeNote(2, ours, "position", 11),
        ChangeNote(3, plan, "picked_up", 5),
        ChangeNote(4, plan, "cancelled", 3),  # a booking: its stops may be on run 5
        ChangeNote(5, plan, "moved", None),
    ]
    assert [n.id for n in notes if keep(n)] == [2, 3, 4, 5]
