"""The register's card and forms say words, not codes, and errors in the form's order, on
SQLite and PostgreSQL: a certificate's mode (public_transport too) in Swedish, the
permit's municipality by name, the phone's fault with the expected form, the error summary
in the order of the fields, and the saved notice focused."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_register_pages import NEW, desk, post  # noqa: F401  (desk is a fixture)

from samfard.principals.models import Principal
from samfard.travellers.models import Certificate


def _registered(desk: TestClient) -> str:  # noqa: F811
    answer = post(desk, "/resenarer", NEW)
    assert answer.status_code == 303  # type: ignore[attr-defined]
    return str(answer.headers["location"]).split("?")[0]  # type: ignore[attr-defined]


def test_the_card_names_modes_and_the_municipality_and_focuses_what_was_saved(
    desk: TestClient,  # noqa: F811
    session: Session,
) -> None:
    url = _registered(desk)
    traveller = int(url.rsplit("/", 1)[1])
    session.add(
        Certificate(traveller_id=traveller, principal_code="23", kind="period",
                    modes=["public_transport", "taxi"], valid_from=date(2026, 11, 20),
                    valid_until=date(2026, 12, 20), unit="Östersunds sjukhus",
                    issued_at=datetime(2026, 11, 20, 9, tzinfo=UTC))
    )  # fmt: skip
    session.commit()
    permit = {"typ": "fardtjanst", "huvudman": "2380", "fran_datum": "2026-11-20"}
    saved = post(desk, f"{url}/tillstand", permit)
    assert saved.status_code == 303  # type: ignore[attr-defined]
    card = desk.get(saved.headers["location"]).text  # type: ignore[attr-defined]
    assert re.search(r'<div class="success" role="status" tabindex="-1" autofocus[^>]*>'
                     r"Tillståndet är sparat", card)  # fmt: skip
    name = session.scalar(select(Principal.name).where(Principal.code == "2380"))
    assert f"<td>{name}</td>" in card and "<td>2380</td>" not in card
    assert "Buss eller tåg i länet, Taxi" in card
    assert "public_transport" not in card


def test_the_phone_error_says_the_form_and_the_summary_follows_the_fields(
    desk: TestClient,  # noqa: F811
) -> None:
    answer = post(desk, "/resenarer", NEW | {"fornamn": "", "kommun": "", "telefon": "12"})
    text = answer.text  # type: ignore[attr-defined]
    summary = text.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    links = re.findall(r'href="#([^"]+)"', summary)
    assert links == ["fornamn", "kommun", "telefon"], links
    assert "Skriv telefonnumret med minst fem siffror, t.ex. 070-123 45 67" in summary
