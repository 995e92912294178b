"""`samfard demo` end to end, up to the server: what it prints and what the server shows.

The server itself is not started (`_serve` is replaced and records what it was given);
the printed token and curl address are then used against the application it would serve.
"""

from __future__ import annotations

import re
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.app import create_app
from samfard.booking.models import Booking
from samfard.cli import core, main
from samfard.config import Settings, get_settings
from samfard.db import make_engine
from samfard.demo import care

DAY = date(2026, 12, 2)  # failed before: a home 47 m from its health centre (seed 1)


def test_demo_prints_the_days_figures_and_a_small_curl_and_serves_its_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    monkeypatch.setenv("SAMFARD_DATABASE_URL", url)
    get_settings.cache_clear()
    served: dict[str, Any] = {}

    def serve(args: Any, *, default_day: date | None = None) -> int:
        served["default_day"] = default_day
        return 0

    monkeypatch.setattr(core, "_serve", serve)
    # The care units' year at a tenth of its certificates: the year itself is checked at
    # scale in tests/course/test_care_demo.py, and here it took 40 of the test's 74 s.
    monkeypatch.setattr(care, "load_care_year", partial(care.load_care_year, scale=0.1))
    try:
        assert main(["demo", "--date", str(DAY), "--seed", "1", "--trips", "60"]) == 0
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr().out
    engine = make_engine(url)
    with Session(engine) as session:
        on_day = session.scalar(select(func.count(Booking.id)).where(Booking.service_date == DAY))
    loaded = re.search(r"loaded 2026-12-02: \d+ travellers, (\d+) bookings on the day", out)
    assert loaded is not None, out
    assert int(loaded.group(1)) == on_day
    assert "more trips on later days" in out
    assert re.search(r"care units: 6 units, 24 nurses \(\d+ certified", out), out
    assert "Care staff to try /kurs and /intyg: vard-sundsvalls-sjukhus-4 / " in out
    assert served["default_day"] == DAY

    curl = re.search(r"curl -s -H 'Authorization: Bearer (\S+)' 'http://[^/]+(/\S+)'", out)
    assert curl is not None, out
    assert "| python3 -m json.tool" in out
    token, path = curl.group(1), curl.group(2)
    settings = Settings(database_url=url, secure_cookies=False, default_day=DAY)
    with TestClient(create_app(settings, engine=engine)) as client:
        answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
        assert len(answer.json()["items"]) == 1 and answer.json()["total"] == on_day
        assert len(answer.content) < 20_000
        page = client.get("/", headers={"Authorization": f"Bearer {token}"})
        assert page.status_code == 200
        assert f'value="{DAY.isoformat()}"' in page.text
    engine.dispose()
