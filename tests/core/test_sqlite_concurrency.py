"""The embedded SQLite database under concurrent clients: every request is answered, none
with 500 "database is locked". Real threads, a real file, the application's own sessions
(not the test's rolled-back one), so the database's locking is what is tested."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, auth, token_for
from samfard.access.permissions import Role
from samfard.app import create_app
from samfard.clock import FixedClock
from samfard.config import Settings
from samfard.db import make_engine, upgrade
from samfard.reference import load_reference_data
from samfard.travellers.personnummer import luhn_check_digit

CLIENTS = 6
ROUNDS = 3


def personal_number(client: int, round_: int) -> str:
    nine = f"{50 + client:02d}01{10 + round_:02d}123"
    return f"19{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}"


def test_concurrent_logins_searches_and_updates_never_lock_sqlite_out(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'samfard.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        load_reference_data(session=session)
        for n in range(CLIENTS):
            token_for(session, Role.OPERATOR, now=NOW, username=f"desk{n}")
    app = create_app(
        Settings(database_url=url, secure_cookies=False), engine=engine, clock=FixedClock(NOW)
    )

    def one_client(n: int) -> list[int]:
        client = TestClient(app, raise_server_exceptions=False)
        statuses = []
        for round_ in range(ROUNDS):
            login = client.post(
                "/api/v1/auth/token", json={"username": f"desk{n}", "password": STRONG_PASSWORD}
            )
            statuses.append(login.status_code)
            token = login.json().get("access_token", "")
            person = ANNA | {"personal_number": personal_number(n, round_)}
            statuses.append(
                client.post("/api/v1/travellers", json=person, headers=auth(token)).status_code
            )
            statuses.append(
                client.get(
                    "/api/v1/travellers", params={"q": "Testsson"}, headers=auth(token)
                ).status_code
            )
        return statuses

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = Counter(s for statuses in pool.map(one_client, range(CLIENTS)) for s in statuses)
    engine.dispose()
    assert answers[500] == 0, answers
    assert answers == {200: 2 * CLIENTS * ROUNDS, 201: CLIENTS * ROUNDS}, answers
