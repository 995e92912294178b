"""Retention: who is due (pure), the policy file's validation, pseudonymisation in the
database with one audit entry per traveller, the dry run, and the CLI command."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from access_world import build_world
from fastapi.testclient import TestClient
from scope_world import aid_body
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, auth, stored_traveller
from samfard.access.models import AuditEntry
from samfard.access.retention import (
    PSEUDONYM,
    BookingFact,
    RetentionPolicy,
    apply,
    due_travellers,
    months_before,
)
from samfard.booking.models import Booking
from samfard.cli import main
from samfard.config import get_settings
from samfard.db import transaction, upgrade
from samfard.dispatch.driver.models import StopEvent
from samfard.errors import InputError
from samfard.goods.models import Consignment
from samfard.goods.price_store import demo_price_lists, store_price_list

TODAY = date(2026, 11, 20)
POLICY = RetentionPolicy(
    default={"completed_bookings": 24, "cancelled_bookings": 24},
    principals={"2380": {"cancelled_bookings": 6}},
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 20), 24, date(2024, 11, 20)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 15), 1, date(2025, 12, 15)),
    ],
)
def test_months_before_clamps_to_the_end_of_shorter_months(
    day: date, months: int, expected: date
) -> None:
    assert months_before(day, months) == expected


def fact(traveller: int, status: str, day: date, principal: str = "23") -> BookingFact:
    return BookingFact(traveller, principal, status, day)


def test_a_traveller_is_due_only_when_every_booking_is_finished_and_past_its_limit() -> None:
    old, recent = date(2024, 1, 10), date(2026, 1, 10)
    facts = [
        fact(1, "completed", old),
        fact(1, "no_show", old),
        fact(2, "completed", old),
        fact(2, "completed", recent),  # still inside 24 months
        fact(3, "requested", old),  # never finished: keep
        fact(4, "cancelled", date(2026, 4, 1), principal="2380"),  # 6 months for 2380
        fact(5, "cancelled", date(2026, 4, 1), principal="2281"),  # default 24 months
    ]
    assert due_travellers(facts, POLICY, TODAY) == {1, 4}


def test_the_limit_day_itself_is_kept() -> None:
    limit = months_before(TODAY, 24)
    assert due_travellers([fact(1, "completed", limit)], POLICY, TODAY) == set()
    later = limit - timedelta(days=1)
    assert due_travellers([fact(1, "completed", later)], POLICY, TODAY) == {1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[default]\ncompleted_bookings = 24\n", "must give months for cancelled_bookings"),
        (
            "[default]\ncompleted_bookings = 24\ncancelled_bookings = 0\n",
            "whole number >= 1",
        ),
        (
            '[default]\ncompleted_bookings = 24\ncancelled_bookings = 24\n[principals."23"]\n'
            "audit = 3\n",
            "unknown data kind 'audit'",
        ),
        ("[default\n", "not valid TOML"),
    ],
)
def test_a_bad_policy_is_refused_with_a_message_saying_what_to_fix(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        RetentionPolicy.from_toml(text)


def test_the_shipped_policy_keeps_bookings_24_months() -> None:
    policy = RetentionPolicy.load()
    assert policy.months("2380", "completed_bookings") == 24
    assert policy.months("22", "cancelled_bookings") == 24


def _finish_long_ago(session: Session, booking_id: int) -> None:
    booking = session.get_one(Booking, booking_id)
    booking.status = "completed"
    booking.service_date = date(2023, 5, 2)
    session.flush()


def test_apply_pseudonymises_due_travellers_and_audits_each(
    app_client: TestClient, session: Session
) -> None:
    world = build_world(app_client, session)
    _finish_long_ago(session, world.anna_booking)  # the hidden traveller's booking is recent

    dry = apply(session=session, policy=POLICY, now=NOW, dry_run=True)
    assert dry.traveller_ids == (world.anna,)
    assert stored_traveller(session, world.anna).first_name == "Anna"

    report = apply(session=session, policy=POLICY, now=NOW)
    assert report.traveller_ids == (world.anna,) and report.bookings == 1
    anna = stored_traveller(session, world.anna)
    assert (anna.first_name, anna.last_name) == (PSEUDONYM, f"T{anna.id}")
    assert anna.personal_number == f"X{anna.id:011d}"
    assert anna.street == PSEUDONYM and anna.phone is None and anna.postal_code == "83100"
    assert anna.birth_date == date(1912, 1, 1)
    assert anna.pseudonymised_at is not None
    booking = session.get_one(Booking, world.anna_booking)
    assert booking.legs[0].origin_address == PSEUDONYM  # it was her home
    assert booking.legs[0].destination_address != PSEUDONYM  # the hospital stays
    assert booking.message_to_driver is None
    assert stored_traveller(session, world.hidden).pseudonymised_at is None
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.traveller_id == world.anna, AuditEntry.action == "pseudonymise"
        )
    ).one()
    assert entry.username == "system"

    again = apply(session=session, policy=POLICY, now=NOW)
    assert again.traveller_ids == ()
    card = app_client.get(f"/api/v1/travellers/{world.anna}", headers=auth(world.operator))
    assert "Anna" not in card.text and "Skogsvägen" not in card.text


def test_cli_dry_run_reports_and_a_bad_policy_file_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'retention.sqlite3'}"
    upgrade(url)
    monkeypatch.setenv("SAMFARD_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        assert main(["retention", "apply", "--dry-run"]) == 0
        assert "would pseudonymise 0 travellers" in capsys.readouterr().out
        bad = tmp_path / "bad.toml"
        bad.write_text("[default]\ncompleted_bookings = -1\ncancelled_bookings = 24\n")
        assert main(["retention", "apply", "--policy", str(bad)]) == 2
        assert "completed_bookings" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_retention_reaches_the_aids_to_the_home_and_the_drivers_reports_at_it(
    app_client: TestClient, session: Session
) -> None:
    """Goods and the driver's reports keep their own copy of where the person was: the
    address of an aid delivered home, the vehicle's position at a pickup. Retention's event
    reaches both (about a kilometre kept, as for the legs)."""
    world = build_world(app_client, session)
    with transaction(session):
        for price_list in demo_price_lists():
            store_price_list(session, price_list)
    aid = app_client.post(
        "/api/v1/goods", json=aid_body(app_client, world.operator, world.anna, "23"),
        headers=auth(world.operator),
    )  # fmt: skip
    assert aid.status_code == 201, aid.text
    home = stored_traveller(session, world.anna)
    at_home = (home.lat + 0.00031, home.lon + 0.00047)  # the vehicle at the door
    for booking_id, consignment_id in ((world.anna_booking, None), (None, aid.json()["id"])):
        session.add(
            StopEvent(client_event_id=f"reported-{booking_id}-{consignment_id}",
                      kind="picked_up", service_date=date(2023, 5, 2), vehicle_id=1, run_id=1,
                      stop_id=1, booking_id=booking_id, consignment_id=consignment_id,
                      at_vehicle=NOW, received_at=NOW, username="driver",
                      lat=at_home[0], lon=at_home[1])
        )  # fmt: skip
    session.flush()
    _finish_long_ago(session, world.anna_booking)

    assert apply(session=session, policy=POLICY, now=NOW).traveller_ids == (world.anna,)
    consignment = session.get_one(Consignment, aid.json()["id"])
    assert consignment.dropoff_address == PSEUDONYM  # it was her home
    assert consignment.pickup_address != PSEUDONYM  # the hospital stays
    assert consignment.dropoff_lat == round(consignment.dropoff_lat, 2)
    reports = session.scalars(select(StopEvent)).all()
    assert [(r.lat, r.lon) for r in reports] == [(round(at_home[0], 2), round(at_home[1], 2))] * 2
