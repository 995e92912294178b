"""A series in the assessor's queue, on SQLite and PostgreSQL: each of its cases says it is
part of a series (how many trips, which days), and they stand together, from where the
first one waits; "Besluta alla resor i serien likadant" decides the waiting ones alike in
one transaction, or none when the series changed since it was shown. A walk-through found
a dialysis series of six trips as six unmarked cases, decided one by one."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from assessment_fixtures import book, dialysis_series, ledger_rows, round_trip
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import auth, login_form
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import AuditEntry
from samfard.booking.models import Booking
from samfard.dates_sv import span_sv

MARK = "Del av serie: 6 resor 7–18 december"


def queue_items(client: TestClient) -> list[str]:
    """The queue's rows as read, in order (the assessor logged in)."""
    html = client.get("/bedomning").text
    items = re.findall(r"<li><a href=\"/bedomning\?arende=.*?</a></li>", html, re.S)
    return [re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", i))).strip() for i in items]


def test_each_case_of_a_series_is_marked_and_they_stand_together(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    single = book(app_client, operator, round_trip(
        app_client, operator, far_anna, principal="23", hospital="Östersunds sjukhus",
        day=date(2026, 12, 8),
    ))  # fmt: skip
    series = dialysis_series(app_client, operator, far_anna)
    app_client.cookies.clear()
    app_client.post("/login", data=login_form("assessor-user", app_client))
    rows = queue_items(app_client)
    marked = [row for row in rows if MARK in row]
    assert len(marked) == 6, rows
    first = rows.index(marked[0])
    assert rows[first : first + 6] == marked, "the series' cases stand together"
    assert single["reference"] in rows[first + 6], "the trip of 8 December after them"
    assert MARK not in rows[first + 6]
    assert len(series) == 6


def test_a_span_of_days_is_said_as_swedes_say_it() -> None:
    assert span_sv(date(2026, 12, 7), date(2026, 12, 18)) == "7–18 december"
    assert span_sv(date(2026, 11, 28), date(2026, 12, 9)) == "28 november–9 december"
    assert span_sv(date(2026, 12, 28), date(2027, 1, 8)) == "28 december 2026–8 januari 2027"
    assert span_sv(date(2026, 12, 7), date(2026, 12, 7)) == "7 december"


def _login(client: TestClient) -> str:
    client.cookies.clear()
    done = client.post("/login", data=login_form("assessor-user", client), follow_redirects=False)
    assert done.status_code == 303, done.text
    return str(client.cookies[CSRF_COOKIE])


def _series_form(html: str) -> dict[str, str]:
    versions = re.search(r'name="serie_versioner" value="([^"]*)"', html)
    version = re.search(r'name="version" value="(\d+)"', html)
    assert versions is not None and version is not None, "a series case offers the series"
    return {"serie_versioner": versions[1], "version": version[1]}


def test_all_waiting_trips_of_a_series_are_decided_alike_in_one_go(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    """One decision and one reason: every waiting trip approved, each with its event,
    audit entry, fees and letter."""
    ids = dialysis_series(app_client, operator, far_anna)
    csrf = _login(app_client)
    html = app_client.get(f"/bedomning?arende={ids[2]}").text
    said = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    case = said.split("Ärende ", 1)[1].split("Resenär", 1)[0]
    assert MARK in case, "the case says it is part of a series"
    assert '<label for="hela-serien">Besluta alla resor i serien likadant</label>' in html
    assert "6 resor i serien väntar på beslut: 7, 9, 11, 14, 16 och 18 december." in said

    done = app_client.post(
        f"/bedomning/{ids[2]}/beslut",
        data={"csrf_token": csrf, "action": "approve", "reason": "Dialys, orkar inte buss",
              "hela_serien": "1", **_series_form(html)},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303 and done.headers["location"].endswith(f"?beslut={ids[2]}")
    note = re.sub(r"\s+", " ", app_client.get(done.headers["location"]).text)
    assert "och 5 andra resor i serien" in note
    # The count is the stored decision's, not the address's: a link said "5 andra resor i
    # serien" of a trip decided alone (probe of 2026-12-06).
    forged = re.sub(r"\s+", " ", app_client.get(f"{done.headers['location']}&serie=3").text)
    assert "och 5 andra resor i serien" in forged
    session.expire_all()
    for booking_id in ids:
        booking = session.get(Booking, booking_id)
        assert booking is not None and booking.status == "approved", booking_id
        assert booking.decision is not None
        assert booking.decision["assessor"]["reason"] == "Dialys, orkar inte buss"
        assert ledger_rows(session, booking_id), "fees recorded for each trip"
        assert booking.events[-1].reason == "assessor: Dialys, orkar inte buss"
        audited = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_id == str(booking_id), AuditEntry.username == "assessor-user"
            )
        ).all()
        assert any(a.action != "read" and a.action != "list" for a in audited), booking_id
        letter = app_client.get(f"/bedomning/{booking_id}/brev").text
        assert "Din resa är beviljad." in letter and "Dialys, orkar inte buss" in letter
    assert not any(MARK in row for row in queue_items(app_client))


def test_a_series_changed_since_it_was_shown_is_not_decided_at_all(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    ids = dialysis_series(app_client, operator, far_anna)
    csrf = _login(app_client)
    html = app_client.get(f"/bedomning?arende={ids[0]}").text
    form = _series_form(html)
    one = app_client.get(f"/api/v1/bookings/{ids[4]}", headers=auth(assessor)).json()
    denied = app_client.post(
        f"/api/v1/bookings/{ids[4]}/assessment",
        json={"action": "deny", "reason": "flyttad", "version": one["version"]},
        headers=auth(assessor),
    )
    assert denied.status_code == 200, denied.text
    answer = app_client.post(
        f"/bedomning/{ids[0]}/beslut",
        data={"csrf_token": csrf, "action": "approve", "reason": "Dialys",
              "hela_serien": "1", **form},
    )  # fmt: skip
    assert answer.status_code == 200
    assert 'href="#hela-serien">Seriens väntande resor har ändrats' in answer.text
    assert "5 resor i serien väntar på beslut: 7, 9, 11, 14 och 18 december." in unescape(
        re.sub(r"\s+", " ", answer.text)
    )
    session.expire_all()
    statuses = [session.get(Booking, i).status for i in ids]  # type: ignore[union-attr]
    assert statuses == ["requested"] * 4 + ["denied", "requested"], "none decided"
    garbled = app_client.post(
        f"/bedomning/{ids[0]}/beslut",
        data={"csrf_token": csrf, "action": "approve", "reason": "Dialys", "hela_serien": "1",
              "serie_versioner": "x:y", "version": form["version"]},
    )  # fmt: skip
    assert garbled.status_code == 200 and 'href="#hela-serien">Seriens resor kunde' in garbled.text
