"""The outbox: a notice becomes a message only with the change that caused it; delivery
records what was sent, retries a failing gateway with growing pauses, then gives up; the
log sender writes neither recipient nor text; the SMS sender talks HTTP to a gateway."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW
from samfard import events
from samfard.access.actor import SYSTEM
from samfard.db import transaction
from samfard.notify.models import OutboxMessage
from samfard.notify.senders import LogSender, SmsSender, sender_from_env
from samfard.notify.service import MAX_ATTEMPTS, deliver, enqueue_for_traveller
from samfard.travellers.models import Traveller


class Gateway(BaseHTTPRequestHandler):
    """A fake SMS gateway: answers with the status the test sets, keeps what it got."""

    status = 200
    received: list[dict[str, Any]] = []  # noqa: RUF012
    auth: list[str] = []  # noqa: RUF012

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Gateway.received.append(json.loads(self.rfile.read(length)))
        Gateway.auth.append(self.headers.get("Authorization", ""))
        self.send_response(Gateway.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": f"gw-{len(Gateway.received)}"}).encode())

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def gateway() -> Iterator[str]:
    Gateway.status, Gateway.received, Gateway.auth = 200, [], []
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sms"
    server.shutdown()


def _traveller(session: Session, *, phone: str | None = "070-1112233") -> Traveller:
    with transaction(session):
        traveller = Traveller(
            personal_number="194001010001",
            birth_date=date(1940, 1, 1),
            first_name="Greta",
            last_name="Outboxsson",
            protected_identity=False,
            street="Storgatan 1",
            postal_code="831 30",
            city="Östersund",
            municipality_code="2380",
            lat=63.17,
            lon=14.63,
            phone=phone,
            language="sv",
            mobility_aids=[],
            driver_notes=None,
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(traveller)
    return traveller


def _notice(traveller: Traveller, text: str = "Bilen är på väg, 5 min.") -> events.TravellerNotice:
    return events.TravellerNotice(
        actor=SYSTEM, at=NOW, traveller_id=traveller.id, booking_id=None, kind="eta", text=text
    )


def test_a_published_notice_is_queued_with_its_transaction(session: Session) -> None:
    traveller = _traveller(session)
    with transaction(session):
        events.publish(session, _notice(traveller))
    try:
        with transaction(session):
            events.publish(session, _notice(traveller, "rolled back"))
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    queued = session.scalars(select(OutboxMessage)).all()
    assert [(m.text, m.status, m.recipient) for m in queued] == [
        ("Bilen är på väg, 5 min.", "pending", "070-1112233")
    ]


def test_a_traveller_without_phone_gets_nothing_queued(session: Session) -> None:
    traveller = _traveller(session, phone=None)
    with transaction(session):
        assert (
            enqueue_for_traveller(session, traveller=traveller, kind="eta", text="x", now=NOW)
            is None
        )


def test_the_log_sender_records_delivery_without_recipient_or_text(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    traveller = _traveller(session)
    with transaction(session):
        events.publish(session, _notice(traveller))
    with caplog.at_level(logging.INFO, logger="samfard.notify"):
        outcome = deliver(session, sender=LogSender(), now=NOW)
    assert (outcome.sent, outcome.retried, outcome.failed) == (1, 0, 0)
    message = session.scalars(select(OutboxMessage)).one()
    assert message.status == "sent" and message.sent_at == NOW and message.attempts == 1
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert str(message.id) in logged
    for secret in ("070-1112233", "Bilen", "Greta", "Outboxsson"):
        assert secret not in logged


def test_the_sms_sender_posts_to_the_gateway_and_keeps_its_reference(
    session: Session, gateway: str
) -> None:
    traveller = _traveller(session)
    with transaction(session):
        events.publish(session, _notice(traveller))
    sender = SmsSender(url=gateway, token="secret-token", sender="Samfard")
    assert deliver(session, sender=sender, now=NOW).sent == 1
    assert Gateway.received == [
        {
            "to": "070-1112233",
            "from": "Samfard",
            "message": "Bilen är på väg, 5 min.",
            "reference": str(session.scalars(select(OutboxMessage.id)).one()),
        }
    ]
    assert Gateway.auth == ["Bearer secret-token"]
    assert session.scalars(select(OutboxMessage)).one().provider_ref == "gw-1"


def test_a_failing_gateway_is_retried_with_growing_pauses_then_given_up(
    session: Session, gateway: str
) -> None:
    Gateway.status = 503
    traveller = _traveller(session)
    with transaction(session):
        events.publish(session, _notice(traveller))
    sender = SmsSender(url=gateway, token="t")
    message = session.scalars(select(OutboxMessage)).one()
    now = NOW
    pauses = []
    for _ in range(MAX_ATTEMPTS):
        deliver(session, sender=sender, now=now)
        if message.status == "pending":
            pauses.append(message.next_attempt_at - now)
            assert deliver(session, sender=sender, now=now).retried == 0  # not due yet
            now = message.next_attempt_at
    assert message.status == "failed" and message.attempts == MAX_ATTEMPTS
    assert "503" in (message.last_error or "")
    assert pauses == [timedelta(minutes=2**i) for i in range(MAX_ATTEMPTS - 1)]
    assert len(Gateway.received) == MAX_ATTEMPTS


def test_an_unreachable_gateway_is_a_retry_not_a_crash(session: Session) -> None:
    traveller = _traveller(session)
    with transaction(session):
        events.publish(session, _notice(traveller))
    sender = SmsSender(url="http://127.0.0.1:9/nothing", token="t", timeout_s=1)
    assert deliver(session, sender=sender, now=NOW).retried == 1


def test_the_sender_comes_from_the_environment() -> None:
    assert isinstance(sender_from_env({}), LogSender)
    sms = sender_from_env(
        {"SAMFARD_SMS_URL": "https://gw.example/sms", "SAMFARD_SMS_TOKEN": "k",
         "SAMFARD_SMS_SENDER": "Resor"}
    )  # fmt: skip
    assert sms == SmsSender(url="https://gw.example/sms", token="k", sender="Resor")
