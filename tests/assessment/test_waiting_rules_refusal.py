"""An assessor's approval of a waiting trip that the rules refuse in the mode chosen says
why, on the page and in the API, and decides nothing. SQLite and PostgreSQL.

The page said only "Beslutet kunde inte sparas; kontrollera färdsätt och motivering och
försök igen." (its REFUSED_SV), though the rules had said why; a reconsideration the rules
refuse said why already (tests/assessment/test_reconsider_rules_denial.py)."""

from __future__ import annotations

from assessment_fixtures import approve_on_page, book, jh_trip, ledger_rows, said
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import ANNA_FAR_FROM_A_LINE, NOW, auth, register, token_for
from samfard.access.permissions import Role
from samfard.booking.models import Booking

REFUSED_TAXI = (
    "Resan kan inte beviljas med taxi, eftersom reglerna avslår det färdsättet: "
    "Besöket är inte en sådan vård som regionen ersätter resor till."
)
WHAT_TO_DO = "Avslå resan, eller ändra färdsätt i beställningen till ett som reglerna ersätter."


def _waiting_then_not_reimbursed(
    client: TestClient, session: Session, operator: str, traveller: int
) -> dict[str, object]:
    """A JH taxi trip waiting for an assessor, whose visit the register then records as
    one the region does not pay for (vaccination): approved as it is, the rules refuse it."""
    waiting = book(client, operator, jh_trip(client, operator, traveller))
    assert waiting["status"] == "requested"
    booking = session.get(Booking, waiting["id"])
    assert booking is not None
    booking.purpose = "vaccination"
    session.flush()
    return waiting | {"version": booking.version}  # the row's version counts the change


def _approve_on_page(client: TestClient, waiting: dict[str, object], step: str) -> str:
    """The assessor sends Bevilja for `waiting` to /bedomning/{id}/`step`; the page."""
    status, html = approve_on_page(client, waiting, step=step, reason="kan inte åka buss")
    assert status == 200, html
    return html


def _summary(html: str) -> str:
    """The error summary at the top of the page, as read."""
    return said(html.split('class="error-summary', 1)[1].split("</div>", 1)[0])


def test_the_page_says_why_the_rules_refuse_a_waiting_trip_and_decides_nothing(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    """The error summary names the mode, the rules' reason and what the assessor can do;
    the trip still waits, unchanged, with no fee."""
    waiting = _waiting_then_not_reimbursed(app_client, session, operator, far_anna)
    html = _approve_on_page(app_client, waiting, "beslut")
    assert f"{REFUSED_TAXI} {WHAT_TO_DO}" in _summary(html)
    assert "kunde inte sparas" not in said(html)
    stored = app_client.get(f"/api/v1/bookings/{waiting['id']}", headers=auth(assessor)).json()
    assert (stored["status"], stored["version"]) == ("requested", waiting["version"])
    assert ledger_rows(session, waiting["id"]) == []


def test_the_api_refuses_with_422_problem_json_and_the_reasons_in_swedish(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    """The English detail keeps "deny it, or change the mode"; detail_sv says the same in
    Swedish with the rules' reasons."""
    waiting = _waiting_then_not_reimbursed(app_client, session, operator, far_anna)
    refused = app_client.post(
        f"/api/v1/bookings/{waiting['id']}/assessment",
        json={"action": "approve", "reason": "ok", "version": waiting["version"]},
        headers=auth(assessor),
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["detail"].startswith(f"the rules refuse taxi for booking {waiting['reference']}")
    assert "deny it, or change the mode to one the rules price" in problem["detail"]
    assert problem["detail_sv"] == f"{REFUSED_TAXI} {WHAT_TO_DO}"
    assert problem["field"] == "mode"
    stored = app_client.get(f"/api/v1/bookings/{waiting['id']}", headers=auth(assessor)).json()
    assert stored["status"] == "requested"


def test_the_letter_preview_of_the_approval_says_the_same(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    """ "Förhandsvisa beslutsbrevet" of the approval says what saving it would, not the
    general "med det föreslagna färdsättet", and shows no letter."""
    waiting = _waiting_then_not_reimbursed(app_client, session, operator, far_anna)
    html = _approve_on_page(app_client, waiting, "forhandsvisa")
    assert f"{REFUSED_TAXI} {WHAT_TO_DO}" in _summary(html)
    assert "det föreslagna färdsättet" not in said(html)


def test_a_protected_travellers_refusal_cites_the_rules_by_code_to_a_reader_without_the_right(
    app_client: TestClient, session: Session, operator: str
) -> None:
    """What the rules worked out from a protected person (a reason's text and facts: km
    from the home, the walk to its stop) reaches only a reader who may see them
    (docs/security.md, "The rules' facts"): the refusal of an approval cites each rule by
    its code to an assessor without the right, in English and in Swedish, and by its text
    to one with it. The refusal quoted the rules' own texts to every reader (probe of
    2026-12-07)."""
    hidden = register(app_client, operator, ANNA_FAR_FROM_A_LINE | {"protected_identity": True})
    waiting = _waiting_then_not_reimbursed(app_client, session, operator, hidden)
    blind = token_for(session, Role.ASSESSOR, now=NOW, username="assessor-blind")
    trusted = token_for(
        session, Role.ASSESSOR, now=NOW, username="assessor-trusted", may_see_protected=True
    )
    answers = {}
    for token in (blind, trusted):
        refused = app_client.post(
            f"/api/v1/bookings/{waiting['id']}/assessment",
            json={"action": "approve", "reason": "ok", "version": waiting["version"]},
            headers=auth(token),
        )
        assert refused.status_code == 422, refused.text
        answers[token] = refused.json()
    rule_text = "vaccination is not a reimbursed purpose"
    assert rule_text not in answers[blind]["detail"]
    assert "purpose.not_reimbursed" in answers[blind]["detail"]
    assert rule_text in answers[trusted]["detail"]
    assert "vaccination" not in answers[blind]["detail_sv"]
