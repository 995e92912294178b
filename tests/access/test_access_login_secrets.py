"""Findings of the security probe of 2026-12 on logging in, on SQLite and PostgreSQL:

* the lockout was a username oracle: after six wrong passwords an account that exists
  answered "account temporarily locked", an unknown username "wrong username or password";
* a Mina resor login code lay in the outbox as clear text ("Din kod till Mina resor:
  094299") while only its hash was meant to be stored;

and reactivating an account through the API, under deactivation's scope."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, auth, register, token_for
from samfard.access import login_codes
from samfard.access.login_csrf import LOGIN_CSRF_COOKIE
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.clock import FixedClock
from samfard.notify.models import OutboxMessage
from samfard.notify.senders import Outgoing, SendError
from samfard.notify.service import MAX_ATTEMPTS, deliver, enqueue_for_traveller
from samfard.travellers.models import Traveller

WRONG = "not-the-password-1"
TRIES = 7  # past the lockout (5) and past the try it once began to answer differently (6)


@pytest.fixture
def desk(session: Session) -> str:
    return token_for(session, Role.OPERATOR, now=NOW, username="oracle-desk")


def _api_answers(client: TestClient, path: str, username: str) -> list[tuple[int, str]]:
    answers = []
    for _ in range(TRIES):
        answer = client.post(path, json={"username": username, "password": WRONG})
        answers.append((answer.status_code, answer.json()["detail"]))
    return answers


@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/api/v1/auth/session"])
def test_an_unknown_username_answers_as_a_locked_account(
    app_client: TestClient, desk: str, path: str
) -> None:
    known = _api_answers(app_client, path, "oracle-desk")
    unknown = _api_answers(app_client, path, "oracle-nobody")
    assert known == unknown
    assert {status for status, _ in known} == {401}


def _page_answers(client: TestClient, username: str) -> list[str]:
    answers = []
    for _ in range(TRIES):
        client.get("/login")
        form = {"username": username, "password": WRONG,
                "csrf_token": client.cookies[LOGIN_CSRF_COOKIE]}  # fmt: skip
        answer = client.post("/login", data=form)
        assert answer.status_code == 200
        answers.append(re.sub(r'name="csrf_token" value="[^"]*"', "", answer.text))
    return answers


def test_the_login_page_answers_an_unknown_username_as_a_locked_account(
    app_client: TestClient, desk: str
) -> None:
    known = _page_answers(app_client, "oracle-desk")
    unknown = _page_answers(app_client, "oracle-nobody")
    assert [a.replace("oracle-desk", "X") for a in known] == [
        a.replace("oracle-nobody", "X") for a in unknown
    ]
    assert "Efter fem misslyckade inloggningar i rad låses kontot i 15 minuter" in known[-1]


def test_the_lockout_still_holds_for_an_account_that_exists(
    app_client: TestClient, desk: str, clock: FixedClock
) -> None:
    for _ in range(5):
        app_client.post("/api/v1/auth/token", json={"username": "oracle-desk", "password": WRONG})
    right = {"username": "oracle-desk", "password": STRONG_PASSWORD}
    locked = app_client.post("/api/v1/auth/token", json=right)
    assert locked.status_code == 401
    clock.advance(timedelta(minutes=16))
    assert app_client.post("/api/v1/auth/token", json=right).status_code == 200


class Capture:
    """A sender that keeps what it was given (what the traveller's phone would show)."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[Outgoing] = []
        self.fail = fail

    def send(self, message: Outgoing) -> str:
        if self.fail:
            raise SendError("gateway down")
        self.sent.append(message)
        return f"test-{message.message_id}"


@pytest.fixture
def anna_number(app_client: TestClient, session: Session, desk: str) -> str:
    """Anna with a traveller account and a phone in the register."""
    traveller = register(app_client, desk, ANNA)
    create_user(session=session, username="oracle-anna", password=STRONG_PASSWORD,
                role=Role.TRAVELLER, now=NOW, traveller_id=traveller)  # fmt: skip
    return str(ANNA["personal_number"])


def _stored(session: Session, message_id: int) -> OutboxMessage:
    session.expire_all()
    message = session.get(OutboxMessage, message_id)
    assert message is not None
    return message


def test_a_sent_login_code_is_not_kept_in_the_outbox(session: Session, anna_number: str) -> None:
    message_id = login_codes.request_code(session, personal_number=anna_number, now=NOW)
    assert message_id is not None
    phone = Capture()
    assert deliver(session, sender=phone, now=NOW, ids=[message_id]).sent == 1
    [sms] = phone.sent
    code = re.search(r"\b\d{6}\b", sms.text)
    assert code is not None, "the phone gets the code"
    stored = _stored(session, message_id)
    assert stored.status == "sent" and not re.search(r"\d{6}", stored.text)
    assert stored.text == "Engångskod till Mina resor (koden sparas inte)."
    token = login_codes.login_with_code(
        session, personal_number=anna_number, code=code.group(), now=NOW
    )
    assert token


def test_a_login_code_that_cannot_be_sent_is_forgotten_when_given_up_or_dead(
    session: Session, anna_number: str
) -> None:
    """Retried while the code lives; given up after MAX_ATTEMPTS, or not sent at all once
    the code is dead: either way the row no longer holds the code."""
    down = Capture(fail=True)
    first = login_codes.request_code(session, personal_number=anna_number, now=NOW)
    assert first is not None
    deliver(session, sender=down, now=NOW, ids=[first])
    assert re.search(r"\d{6}", _stored(session, first).text), "kept to try again"
    late = NOW + login_codes.CODE_LIFETIME + timedelta(minutes=1)
    phone = Capture()
    assert deliver(session, sender=phone, now=late, ids=[first]).failed == 1
    assert phone.sent == [], "a dead code is not sent"
    stored = _stored(session, first)
    assert stored.status == "failed" and not re.search(r"\d{6}", stored.text)

    later = NOW + login_codes.RESEND_AFTER  # a second ask sooner keeps the first code
    second = login_codes.request_code(session, personal_number=anna_number, now=later)
    assert second is not None
    for _ in range(MAX_ATTEMPTS):
        _stored(session, second).next_attempt_at = NOW
        session.flush()
        deliver(session, sender=down, now=NOW, ids=[second])
    stored = _stored(session, second)
    assert stored.status == "failed" and not re.search(r"\d{6}", stored.text)


def test_other_messages_keep_what_the_traveller_was_told(
    session: Session, anna_number: str
) -> None:
    """The outbox is the record of what a traveller heard: only secrets are forgotten."""
    traveller = session.scalars(select(Traveller)).first()
    assert traveller is not None
    message = enqueue_for_traveller(session, traveller=traveller, kind="eta",
                                    text="Bilen är på väg, 5 min.", now=NOW)  # fmt: skip
    assert message is not None
    deliver(session, sender=Capture(), now=NOW, ids=[message.id])
    assert _stored(session, message.id).text == "Bilen är på väg, 5 min."


def test_the_api_reactivates_within_the_scope_of_deactivation(
    app_client: TestClient, session: Session
) -> None:
    admin = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="oracle-root")
    padmin = token_for(session, Role.PRINCIPAL_ADMIN, now=NOW, username="oracle-padmin",
                       principals=["2380"])  # fmt: skip
    mine = create_user(session=session, username="oracle-kalle", password=STRONG_PASSWORD,
                       role=Role.OPERATOR, now=NOW, principal_codes=["2380"])  # fmt: skip
    theirs = create_user(session=session, username="oracle-sune", password=STRONG_PASSWORD,
                         role=Role.OPERATOR, now=NOW, principal_codes=["2281"])  # fmt: skip
    for user in (mine, theirs):
        off = app_client.post(f"/api/v1/users/{user.id}/deactivate", headers=auth(admin))
        assert off.status_code == 200 and off.json()["active"] is False
    outside = app_client.post(f"/api/v1/users/{theirs.id}/reactivate", headers=auth(padmin))
    assert outside.status_code == 404
    on = app_client.post(f"/api/v1/users/{mine.id}/reactivate", headers=auth(padmin))
    assert on.status_code == 200 and on.json()["active"] is True
    login = {"username": "oracle-kalle", "password": STRONG_PASSWORD}
    assert app_client.post("/api/v1/auth/token", json=login).status_code == 200
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.record_type == "user", AuditEntry.action == "reactivate"
        )
    ).all()
    assert [(e.username, e.record_id) for e in entries] == [("oracle-padmin", str(mine.id))]


def test_asking_again_at_once_sends_nothing_and_the_first_code_still_works(
    session: Session, anna_number: str
) -> None:
    """Reloading "Skriv koden" posted the personnummer again: a second SMS, and the code
    being typed died. Within RESEND_AFTER the first code stands; after it, a new one."""
    phone = Capture()
    first = login_codes.request_code(session, personal_number=anna_number, now=NOW)
    assert first is not None
    deliver(session, sender=phone, now=NOW, ids=[first])
    code = re.search(r"\d{6}", phone.sent[0].text)
    assert code
    again = NOW + login_codes.RESEND_AFTER - timedelta(seconds=1)
    assert login_codes.request_code(session, personal_number=anna_number, now=again) is None
    token = login_codes.login_with_code(
        session, personal_number=anna_number, code=code[0], now=again
    )
    assert token
    later = NOW + login_codes.RESEND_AFTER
    assert login_codes.request_code(session, personal_number=anna_number, now=later) is not None
