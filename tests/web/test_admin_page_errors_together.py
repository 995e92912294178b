"""/admin says every problem of a new account or a change of role at once, in the order of
the form, each linking to its field (GOV.UK's error summary). A walk-through found it
said one at a time: a short password, an unknown principal and no care unit took three
tries, each showing only the first problem the service met."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_admin_page_messages import admin, analyst, post, summary

from helpers import NOW, STRONG_PASSWORD, login_form
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.service import create_user

__all__ = ["admin", "analyst"]  # the fixtures, imported for pytest

SHORT = "Lösenordet ska ha minst 12 tecken och blanda bokstäver med siffror eller tecken."
UNKNOWN_PRINCIPAL = (
    "Ange huvudmän som finns och som ditt konto administrerar, med kommun- eller länskod "
    "(till exempel 2380)."
)
NO_UNIT = "Ange vårdenheten: rollen vårdpersonal behöver det."
NOT_CARE_STAFFS = "Utförarens id hör inte till rollen vårdpersonal: lämna fältet tomt."


def test_a_new_account_is_told_every_problem_at_once_in_the_forms_order(
    admin: TestClient, session: Session
) -> None:
    fields = {"anvandarnamn": "alla-fel", "losenord": "kort", "roll": "care_issuer",
              "huvudman": "99"}  # fmt: skip
    said = summary(post(admin, "/admin/anvandare", fields))
    assert list(said.items()) == [
        ("losenord", SHORT), ("huvudman", UNKNOWN_PRINCIPAL), ("vardenhet", NO_UNIT)
    ]  # fmt: skip
    assert session.scalar(select(User).where(User.username == "alla-fel")) is None


def test_a_schema_problem_and_the_rules_problems_come_together(admin: TestClient) -> None:
    """An id that is no number is said at its field, and the other fields' problems too."""
    fields = {"anvandarnamn": "forare-fel", "losenord": "baralangabokstaver", "roll": "driver",
              "huvudman": "", "utforare": "abc", "fordon": "999"}  # fmt: skip
    said = summary(post(admin, "/admin/anvandare", fields))
    assert said == {
        "losenord": SHORT,
        "utforare": "Ange utförarens id som ett heltal.",
        "fordon": "Fordonet finns inte, eller körs inte av den utföraren.",
    }


def test_an_unknown_role_still_says_the_password_problem(admin: TestClient) -> None:
    fields = {"anvandarnamn": "rollfel", "losenord": "kort", "roll": "bogus"}
    assert summary(post(admin, "/admin/anvandare", fields)) == {
        "losenord": SHORT,
        "roll": "Välj en roll i listan.",
    }


@pytest.fixture
def ostersund_admin(app_client: TestClient, session: Session) -> TestClient:
    create_user(session=session, username="ost-admin", password=STRONG_PASSWORD,
                role=Role.PRINCIPAL_ADMIN, now=NOW, principal_codes=["2380"])  # fmt: skip
    answer = app_client.post("/login", data=login_form("ost-admin", app_client),
                             follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    return app_client


def test_a_principal_administrator_is_told_role_and_scope_together(
    ostersund_admin: TestClient,
) -> None:
    fields = {"anvandarnamn": "utanfor", "losenord": STRONG_PASSWORD, "roll": "driver",
              "huvudman": "22", "utforare": "1", "fordon": "1"}  # fmt: skip
    said = summary(post(ostersund_admin, "/admin/anvandare", fields))
    assert said["roll"] == "Den rollen delar bara en systemadministratör ut."
    assert said["huvudman"] == UNKNOWN_PRINCIPAL


def test_a_change_of_role_is_told_every_problem_at_once(
    admin: TestClient, session: Session, analyst: int
) -> None:
    fields = {"roll": "care_issuer", "huvudman": "99", "utforare": "3"}
    said = summary(post(admin, f"/admin/anvandare/{analyst}/roll", fields))
    assert list(said.items()) == [
        (f"u{analyst}-huvudman", UNKNOWN_PRINCIPAL),
        (f"u{analyst}-utforare", NOT_CARE_STAFFS),
        (f"u{analyst}-vardenhet", NO_UNIT),
    ]  # fmt: skip
    session.expire_all()
    stored = session.get(User, analyst)
    assert stored is not None and stored.role == "analyst"


def test_a_role_that_works_for_principals_is_told_to_give_one(admin: TestClient) -> None:
    fields = {"anvandarnamn": "ingen-huvudman", "losenord": STRONG_PASSWORD, "roll": "analyst"}
    assert summary(post(admin, "/admin/anvandare", fields)) == {
        "huvudman": "Ange minst en huvudman: rollen analytiker arbetar för huvudmän."
    }
