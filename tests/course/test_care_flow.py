"""A nurse is refused until certified, takes the course, issues a certificate, books for the
patient through the care channel, and the rules approve the taxi without an assessor."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, auth, iso, place_id
from samfard.access.models import AuditEntry
from samfard.clock import FixedClock
from samfard.costs.models import SettledRun, SettledTrip
from samfard.course.bank import build_course
from samfard.course.models import CourseAttempt
from samfard.course.service import RETRY_WAIT, place_names
from samfard.rules.facts import Service
from samfard.rules.loader import shipped_rulebooks
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Issuer

WEDNESDAY = date(2026, 11, 25)  # NOW is Friday 20 Nov 10:00: three weekdays ahead


def certificate_body(traveller: int, **changes: Any) -> dict[str, Any]:
    return {
        "traveller_id": traveller,
        "mode": "taxi",
        "covers_return": True,
        "valid_from": "2026-11-20",
        "valid_until": "2026-12-31",
        "visit_place": "sundsvalls-sjukhus",
        "visit_on": WEDNESDAY.isoformat(),
        "reason": "kan inte resa med buss efter operationen",
    } | changes


def right_answers(session: Session, attempt: dict[str, Any]) -> dict[str, int]:
    book = shipped_rulebooks().get(attempt["principal_code"], Service.SJUKRESA)
    course = build_course(
        book, date.fromisoformat(attempt["rulebook_valid_from"]), place_names(session)
    )
    answers = {}
    for q in attempt["questions"]:
        found = course.question(q["id"])
        assert found is not None
        answers[q["id"]] = found.answer
    return answers


def take_quiz(client: TestClient, token: str, session: Session, *, wrong: int) -> dict[str, Any]:
    started = client.post("/api/v1/course/attempts", json={}, headers=auth(token))
    assert started.status_code == 201, started.text
    attempt = started.json()
    assert len(attempt["questions"]) == 20
    assert all("answer" not in q for q in attempt["questions"])
    answers = right_answers(session, attempt)
    for question_id in list(answers)[:wrong]:
        answers[question_id] = (answers[question_id] + 1) % 2
    handed = client.post(
        f"/api/v1/course/attempts/{attempt['id']}/answers",
        json={"answers": answers},
        headers=auth(token),
    )
    assert handed.status_code == 200, handed.text
    return dict(handed.json())


def trip(client: TestClient, token: str, traveller: int) -> dict[str, Any]:
    unit = place_id(client, token, "Sundsvalls sjukhus")
    return {
        "traveller_id": traveller,
        "service": "sjukresa",
        "principal": "22",
        "purpose": "treatment",
        "legs": [
            {
                "origin": {"home": True},
                "destination": {"place_id": unit},
                "appointment_at": iso(WEDNESDAY, "10:00"),
            },
            {
                "origin": {"place_id": unit},
                "destination": {"home": True},
                "pickup_at": iso(WEDNESDAY, "13:00"),
                "return_of": 0,
            },
        ],
    }


def test_uncertified_nurse_is_refused_then_certified_issues_and_the_booking_is_approved(
    app_client: TestClient, session: Session, nurse: str, stina: int, clock: FixedClock
) -> None:
    refused = app_client.post(
        "/api/v1/care/certificates", json=certificate_body(stina), headers=auth(nurse)
    )
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["course"] == "/kurs"
    assert "/kurs" in refused.json()["detail"]

    # The failed quiz is handed in the day before: the next waits RETRY_WAIT.
    clock.current = NOW - RETRY_WAIT - timedelta(minutes=1)
    failed = take_quiz(app_client, nurse, session, wrong=5)
    assert failed["passed"] is False and failed["percent"] == 75
    assert failed["certified_until"] is None
    clock.current = NOW
    still = app_client.post(
        "/api/v1/care/certificates", json=certificate_body(stina), headers=auth(nurse)
    )
    assert still.status_code == 403

    passed = take_quiz(app_client, nurse, session, wrong=4)
    assert passed["passed"] is True and passed["percent"] == 80
    assert passed["certified_until"] == "2028-11-19"

    issued = app_client.post(
        "/api/v1/care/certificates", json=certificate_body(stina), headers=auth(nurse)
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["unit"] == "Medicinmottagningen Sundsvall"
    assert issued.json()["issued_by"] == "syster-sara"
    assert issued.json()["issuer_name"] == "Sara Sjuksköterska"  # the register's name

    booked = app_client.post(
        "/api/v1/bookings", json=trip(app_client, nurse, stina), headers=auth(nurse)
    )
    assert booked.status_code == 201, booked.text
    body = booked.json()
    assert body["status"] == "approved"
    assert body["channel"] == "care"
    assert body["decision"]["decided_by"] == "rules"
    codes = {r["code"] for r in body["decision"]["reasons"]}
    assert "authorisation.certificate" in codes

    attempts = session.scalars(
        select(CourseAttempt)
        .where(CourseAttempt.username == "syster-sara")
        .order_by(CourseAttempt.id)
    )
    assert [a.passed for a in attempts] == [False, True]
    audited = session.scalars(
        select(AuditEntry.action).where(AuditEntry.record_type == "course_attempt")
    ).all()
    assert sorted(audited) == ["create", "create", "update", "update"]


def test_a_revoked_certificate_no_longer_approves_a_taxi(
    app_client: TestClient, session: Session, nurse: str, stina: int
) -> None:
    take_quiz(app_client, nurse, session, wrong=0)
    issued = app_client.post(
        "/api/v1/care/certificates", json=certificate_body(stina), headers=auth(nurse)
    ).json()
    revoked = app_client.post(
        f"/api/v1/care/certificates/{issued['id']}/revocation",
        json={"reason": "patienten kan åka buss igen"},
        headers=auth(nurse),
    )
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"] is not None
    again = app_client.post(
        f"/api/v1/care/certificates/{issued['id']}/revocation",
        json={"reason": "två gånger"},
        headers=auth(nurse),
    )
    assert again.status_code == 409
    booked = app_client.post(
        "/api/v1/bookings", json=trip(app_client, nurse, stina), headers=auth(nurse)
    ).json()
    # Stina lives beside Sundsvall's town buses: with the certificate gone nothing exempts
    # her, so the taxi asked for is not paid and she goes by bus, as the nurse wrote.
    assert booked["status"] == "approved" and booked["mode"] == "public_transport"
    codes = {r["code"] for r in booked["decision"]["reasons"]}
    assert "public_transport.possible" in codes and "public_transport.exempt" not in codes


def test_an_expired_certification_is_refused_with_the_day_it_lapsed(
    app_client: TestClient, session: Session, nurse: str, stina: int
) -> None:
    take_quiz(app_client, nurse, session, wrong=0)
    issuer = session.scalars(select(Issuer).where(Issuer.username == "syster-sara")).one()
    issuer.certified_until = date(2026, 11, 1)
    session.flush()
    refused = app_client.post(
        "/api/v1/care/certificates", json=certificate_body(stina), headers=auth(nurse)
    )
    assert refused.status_code == 403
    assert "lapsed on 2026-11-01" in refused.json()["detail"]


def test_bad_certificate_input_names_the_field(
    app_client: TestClient, session: Session, nurse: str, stina: int
) -> None:
    take_quiz(app_client, nurse, session, wrong=0)
    cases = {
        "valid_until": {"valid_until": "2026-11-01"},
        "valid_from": {"valid_from": "2026-11-19"},
        "visit_on": {"visit_on": "2027-03-01"},
        "visit_place": {"visit_place": "nowhere-at-all"},
    }
    for field, change in cases.items():
        response = app_client.post(
            "/api/v1/care/certificates", json=certificate_body(stina, **change), headers=auth(nurse)
        )
        assert response.status_code == 422, (field, response.text)
        assert response.json()["field"] == field


def test_the_follow_up_counts_staff_certificates_and_taxi_share_per_unit(
    app_client: TestClient, session: Session, nurse: str, stina: int, analyst: str
) -> None:
    take_quiz(app_client, nurse, session, wrong=0)
    # Two taxi certificates, the second without the return (the same one twice is refused).
    for mode, back in (("taxi", True), ("taxi", False), ("stretcher_vehicle", True),
                       ("public_transport", True)):  # fmt: skip
        response = app_client.post(
            "/api/v1/care/certificates",
            json=certificate_body(stina, mode=mode, covers_return=back),
            headers=auth(nurse),
        )
        assert response.status_code == 201
    csv = app_client.get("/api/v1/reports/care-units?months=2", headers=auth(analyst))
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("enhet;huvudman;månad;certifierad_personal;intyg")
    row = next(line.split(";") for line in lines if line.endswith("") and "2026-11" in line)
    assert row[:5] == ["Medicinmottagningen Sundsvall", "22", "2026-11", "1", "4"]
    assert row[10] == "0,500" and row[11] == "0,250"


def _settled(session: Session, ref: str, allocated: list[tuple[int, int | None]]) -> None:
    """A settled run of 22 on 6 November with sjukresa trips (allocated öre, booking id)."""
    start = datetime(2026, 11, 6, 9, 0, tzinfo=STOCKHOLM)
    zero = dict.fromkeys(
        ("start_fee_ore", "distance_ore", "driving_time_ore", "waiting_time_ore",
         "surcharge_ore", "supplements_ore", "driver_ore"),
        0,
    )  # fmt: skip
    total = sum(a for a, _ in allocated)
    session.add(
        SettledRun(run_ref=ref, source="history", day=start.date(), carrier="Taxi",
                   contract_code="K-1", vehicle_type="taxi", basis="actual", start_at=start,
                   end_at=start + timedelta(hours=1), driven_m=1000, driving_cmin=100,
                   waiting_cmin=0, fixed_ore=total, total_ore=total, settled_at=start, **zero)
    )  # fmt: skip
    session.flush()
    for n, (ore, booking_id) in enumerate(allocated):
        session.add(
            SettledTrip(trip_key=f"{ref}.{n}", run_ref=ref, booking_id=booking_id, leg_seq=0,
                        principal_code="22", service="sjukresa", day=start.date(),
                        pickup_at=start, passengers=1, run_passengers=len(allocated),
                        direct_m=1000, standalone_ore=ore, allocated_ore=ore, fee_ore=0,
                        stretcher=False, dialysis=False, wheelchair=False, promised_pickup=None,
                        actual_pickup=None, deviations=0, carrier="Taxi", contract_code="K-1")
        )  # fmt: skip
    session.flush()


def test_the_cost_that_followed_is_read_from_the_settlement_tables(
    app_client: TestClient, session: Session, nurse: str, stina: int, analyst: str
) -> None:
    """Expected: a taxi certificate with return is two trips at the month's mean settled
    sjukresa taxi trip; settled: the allocated cost of the unit's own settled bookings."""
    take_quiz(app_client, nurse, session, wrong=0)
    app_client.post("/api/v1/care/certificates", json=certificate_body(stina), headers=auth(nurse))
    booked = app_client.post(
        "/api/v1/bookings", json=trip(app_client, nurse, stina), headers=auth(nurse)
    ).json()
    _settled(session, "care-1", [(40_000, None), (20_000, booked["id"])])
    rows = app_client.get("/api/v1/reports/care-units?months=1", headers=auth(analyst))
    row = rows.text.splitlines()[1].split(";")
    assert row[0] == "Medicinmottagningen Sundsvall"
    assert row[12] == "600,00"  # 2 trips x mean (40 000 + 20 000) / 2 öre
    assert row[13] == "200,00"


def test_the_same_certificate_twice_is_refused_naming_the_first(
    app_client: TestClient, session: Session, nurse: str, stina: int
) -> None:
    """The same certificate (patient, mode, journeys, dates, visit) was issued three times
    from /intyg; the API took it as often as it was sent. A changed one is issued."""
    take_quiz(app_client, nurse, session, wrong=0)
    first = app_client.post(
        "/api/v1/care/certificates", json=certificate_body(stina), headers=auth(nurse)
    )
    assert first.status_code == 201, first.text
    again = app_client.post(
        "/api/v1/care/certificates", json=certificate_body(stina), headers=auth(nurse)
    )
    assert again.status_code == 409, again.text
    assert f"certificate {first.json()['id']} of this unit" in again.json()["detail"]
    changed = app_client.post(
        "/api/v1/care/certificates",
        json=certificate_body(stina, valid_until="2027-01-31"),
        headers=auth(nurse),
    )
    assert changed.status_code == 201, changed.text


def test_answers_that_are_not_option_numbers_are_refused(
    app_client: TestClient, session: Session, nurse: str
) -> None:
    """`true` was graded as option 1, and a question id of 100 000 characters came back
    whole in the refusal (the probe of 2026-12-06)."""
    started = app_client.post("/api/v1/course/attempts", json={}, headers=auth(nurse))
    attempt = started.json()
    url = f"/api/v1/course/attempts/{attempt['id']}/answers"
    truths = {q["id"]: True for q in attempt["questions"]}
    refused = app_client.post(url, json={"answers": truths}, headers=auth(nurse))
    assert refused.status_code == 422, refused.text
    assert "not true or false" in refused.text
    long_id = app_client.post(url, json={"answers": {"q" * 100_000: 1}}, headers=auth(nurse))
    assert long_id.status_code == 422 and len(long_id.text) < 5_000
    graded = app_client.post(
        url, json={"answers": right_answers(session, attempt)}, headers=auth(nurse)
    )
    assert graded.status_code == 200, graded.text
    assert graded.json()["passed"], "the attempt stays open after refusals"
