"""An invoice basis with nothing to invoice is not found, whatever the account's scope: a
mistyped carrier, or a carrier without a settled run that month, answers 404 naming the
carrier, as docs/security.md says, instead of an empty sheet that reads "nothing to pay"."""

from __future__ import annotations

import csv
from datetime import date
from io import StringIO

import pytest
from fastapi.testclient import TestClient
from settled_rows import CARRIER, Trip, settle
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.permissions import Role

URL = "/api/v1/reports/invoice-basis"


@pytest.mark.parametrize("principals", [["*"], ["23"]])
def test_a_carrier_without_runs_that_month_is_not_found_for_any_scope(
    app_client: TestClient, session: Session, principals: list[str]
) -> None:
    settle(session, [Trip("i1", "23", date(2026, 10, 5), 30000)])
    reader = auth(token_for(session, Role.ANALYST, now=NOW, principals=principals))
    for carrier, month in (("Nope", "2026-10"), (CARRIER, "2026-09")):
        for format in ("csv", "xlsx"):
            params = {"carrier": carrier, "month": month, "format": format}
            answer = app_client.get(URL, params=params, headers=reader)
            assert answer.status_code == 404, (carrier, month, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.json()["field"] == "carrier"
    found = app_client.get(URL, params={"carrier": CARRIER, "month": "2026-10"}, headers=reader)
    assert found.status_code == 200, found.text
    assert [row[0] for row in csv.reader(StringIO(found.content.decode("utf-8-sig")))][1:] == [
        "run-i1",
        "TOTAL",
    ]
