"""No personal data in any log: a real server's access log with searches by personnummer
and by a protected person's name, and database errors carrying a protected person's row."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from access_world import PROTECTED, PROTECTED_SECRETS, build_world
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from helpers import NOW, auth
from samfard.travellers.models import Traveller

SECRETS = (*PROTECTED_SECRETS, "191212121212", "19121212-1212", "Testsson")


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret.lower() in text.lower()]


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record the server side wrote, formatted with its arguments and tracebacks."""
    lines = []
    for record in caplog.records:
        if record.name.startswith(("httpx", "httpcore")):
            continue  # the test's own client, not the server
        lines.append(record.getMessage())
        if record.exc_info:
            lines.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(lines)


@pytest.fixture
def live_url(app_client: TestClient) -> Iterator[str]:
    """The test's application behind a real uvicorn, whose access log is what is checked."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        app_client.app, host="127.0.0.1", port=port, log_config=None, access_log=True
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.025)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_access_log_keeps_paths_never_search_terms(
    app_client: TestClient, session: Session, live_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # A server started earlier in this process (the browser tests') may have set uvicorn's
    # access logger to warnings only; this test reads what it writes at info.
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    world = build_world(app_client, session)
    with httpx.Client(base_url=live_url, headers=auth(world.operator)) as client:
        for q in ("191212121212", "19121212-1212", "Testsson", "Hemlig Gömdsson", "198001010001"):
            assert client.get("/api/v1/travellers", params={"q": q}).status_code == 200
        assert client.get(f"/api/v1/travellers/{world.hidden}").status_code == 200
        again = client.post("/api/v1/travellers", json=PROTECTED)
        assert again.status_code == 409
    logged = _logged(caplog)
    assert "GET /api/v1/travellers" in logged, "the access log was captured"
    assert _leaks(logged) == []


def test_database_errors_carry_no_parameters_and_no_row(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """A statement that fails with a protected person's data (here NOT NULL on the birth
    date) leaves neither the parameters nor PostgreSQL's 'Failing row contains' in the
    error, so neither in a traceback nor in a log line."""
    caplog.set_level(logging.DEBUG)
    row = {
        "personal_number": "198001010001",
        "first_name": "Hemlig",
        "last_name": "Gömdsson",
        "street": "Dolda gränd 7",
        "postal_code": "85170",
        "city": "Sundsvall",
        "municipality_code": "2281",
        "lat": 62.39,
        "lon": 17.31,
        "phone": "070-9998877",
        "protected_identity": True,
        "birth_date": None,
        "created_at": NOW,
        "updated_at": NOW,
    }
    with engine.connect() as connection, pytest.raises(DBAPIError) as caught:
        connection.execute(insert(Traveller).values(**row))
    logging.getLogger("samfard.test").exception("insert failed")
    text = f"{caught.value}\n{caught.value.orig}\n{_logged(caplog)}"
    assert "birth_date" in text  # the error still says what went wrong
    assert _leaks(text) == []
