"""The administration page (/admin) found by a browser walk-through of a working day
(2026-12): a new account with a 200-character user name or a 500-character name answered
a bare 422 page ("värdet kan inte läsas") and the form was lost, and no field had a
maxlength; a carrier's account said "utförare 3" and a contract's area was a list of
municipality codes. Now every field has the schema's maxlength, an over-long value comes
back at its field with the limit and the form as typed, and the page says names."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_admin_page_messages import admin, post, summary

from helpers import NOW, STRONG_PASSWORD
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.costs.models import Carrier
from samfard.costs.service import load_contract_files

__all__ = ["admin"]  # the fixture, imported for pytest

TOO_LONG: list[tuple[dict[str, str], dict[str, str]]] = [
    ({"anvandarnamn": "a" * 200}, {"anvandarnamn": "Användarnamnet får vara högst 80 tecken."}),
    ({"namn": "N" * 500}, {"namn": "Namnet får vara högst 120 tecken."}),
    ({"losenord": "Lösen-1" * 40}, {"losenord": "Lösenordet får vara högst 200 tecken."}),
    ({"roll": "care_issuer", "vardenhet": "V" * 300},
     {"vardenhet": "Vårdenhetens namn får vara högst 120 tecken."}),
    ({"roll": "carrier_dispatcher", "utforare": "9" * 30},
     {"utforare": "Utförarens id ska vara ett heltal från 1 till 2147483647."}),
]  # fmt: skip


@pytest.mark.parametrize(("wrong", "messages"), TOO_LONG)
def test_an_over_long_value_comes_back_at_its_field_with_the_limit(
    admin: TestClient, session: Session, wrong: dict[str, str], messages: dict[str, str]
) -> None:
    fields = {"anvandarnamn": "lang-ny", "losenord": STRONG_PASSWORD, "roll": "analyst",
              "huvudman": "23"} | wrong  # fmt: skip
    text = post(admin, "/admin/anvandare", fields)
    assert summary(text) == messages
    assert "värdet kan inte läsas" not in text
    for field, value in wrong.items():
        if field not in ("losenord", "roll", "vardenhet"):  # a password, and two lists
            assert f'value="{value}"' in text, f"{field} comes back as typed"
    assert session.scalar(select(User).where(User.username.like("%" + "a" * 80))) is None


def test_every_text_field_of_the_new_account_has_the_schemas_maxlength(
    admin: TestClient,
) -> None:
    page = admin.get("/admin").text
    form = page.split('class="new-user"')[1].split("</form>")[0]
    limits = {"anvandarnamn": "80", "namn": "120", "losenord": "200",
              "utforare": "10", "fordon": "10", "resenar": "10", "huvudman": "720"}  # fmt: skip
    for field, limit in limits.items():
        tag = re.search(rf'<input id="{field}"[^>]*>', form)
        assert tag is not None and f'maxlength="{limit}"' in tag[0], (field, tag)


def test_the_page_names_carriers_and_a_contracts_municipalities(
    admin: TestClient, session: Session
) -> None:
    load_contract_files(session)
    carrier = session.scalars(select(Carrier).order_by(Carrier.id)).first()
    assert carrier is not None
    create_user(session=session, username="namn-trafikledare", password=STRONG_PASSWORD,
                role=Role.CARRIER_DISPATCHER, now=NOW, principal_codes=["23"],
                carrier_id=carrier.id)  # fmt: skip
    page = admin.get("/admin").text
    row = re.search(r"<th scope=\"row\">namn-trafikledare</th>.*?</tr>", page, re.S)
    assert row is not None
    assert f"utförare {carrier.name}" in row[0] and f"utförare {carrier.id}" not in row[0]
    assert "Region Jämtland Härjedalen (23)" in row[0]
    contracts = page.split('id="contracts-title"')[1]
    assert "Östersunds kommun" in contracts and "Krokoms kommun" in contracts
    assert "2303, 2305" not in contracts and '"2380"' not in contracts
    assert f"id {carrier.id}" in contracts, "the id the account's field asks for"
