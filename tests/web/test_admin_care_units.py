"""/admin chooses a care account's unit in a list of the care units of the administrator's
principals, by region; it was a text field, where "Sundsvall sjukhus" made a nurse of no
unit. A unit outside the account's principals is refused in Swedish at the field, and an
older account with a unit no longer in the list still shows it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_admin_page_messages import admin, post, summary

from helpers import NOW, STRONG_PASSWORD
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.service import create_user

__all__ = ["admin"]  # the fixture, imported for pytest

OUTSIDE = "Välj vårdenheten i listan: en vårdenhet i länet hos kontots huvudmän."


def new_nurse(unit: str, principals: str = "22") -> dict[str, str]:
    return {"anvandarnamn": "ny-syster", "losenord": STRONG_PASSWORD, "roll": "care_issuer",
            "huvudman": principals, "vardenhet": unit}  # fmt: skip


def test_the_unit_is_a_labelled_list_of_care_units_by_region(admin: TestClient) -> None:
    form = admin.get("/admin").text.split('class="new-user"')[1].split("</form>")[0]
    assert '<label for="vardenhet">Vårdenhet</label>' in form
    unit = re.search(r'<select id="vardenhet".*?</select>', form, re.S)
    assert unit is not None
    assert '<optgroup label="Region Västernorrland">' in unit[0]
    assert '<option value="Sundsvalls sjukhus">' in unit[0]
    assert '<option value="Sundsvall">' not in unit[0]  # a locality is no care unit


def test_a_nurse_gets_a_unit_of_her_region(admin: TestClient, session: Session) -> None:
    answer = admin.post(
        "/admin/anvandare",
        data=new_nurse("Sundsvalls sjukhus") | {"csrf_token": admin.cookies[CSRF_COOKIE]},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    made = session.scalar(select(User).where(User.username == "ny-syster"))
    assert made is not None and made.care_unit == "Sundsvalls sjukhus"


def test_a_misspelt_or_other_regions_unit_is_refused_in_swedish(
    admin: TestClient, session: Session
) -> None:
    for unit in ("Sundsvall sjukhus", "Östersunds sjukhus"):
        assert summary(post(admin, "/admin/anvandare", new_nurse(unit))) == {
            "vardenhet": OUTSIDE
        }, unit
    assert session.scalar(select(User).where(User.username == "ny-syster")) is None


def test_an_older_account_with_a_unit_outside_the_list_still_shows_it(
    admin: TestClient, session: Session
) -> None:
    old = create_user(session=session, username="gammal-syster", password=STRONG_PASSWORD,
                      role=Role.CARE_ISSUER, now=NOW, principal_codes=["22"],
                      care_unit="Avd 1")  # fmt: skip
    page = admin.get("/admin").text
    unit = re.search(rf'<select id="u{old.id}-vardenhet".*?</select>', page, re.S)
    assert unit is not None
    assert '<option value="Avd 1" selected>Avd 1 (finns inte bland vårdenheterna)' in unit[0]
    moved = post(admin, f"/admin/anvandare/{old.id}/roll",
                 {"roll": "care_issuer", "huvudman": "22", "vardenhet": "Avd 1"})  # fmt: skip
    assert summary(moved) == {f"u{old.id}-vardenhet": OUTSIDE}
