"""The care unit world: a nurse of Västernorrland, an operator who registers the patient."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, register, token_for
from samfard.access.permissions import Role

STINA = {
    **ANNA,
    "personal_number": "19500505-1239",
    "first_name": "Stina",
    "address": {
        "street": "Storgatan 10",
        "postal_code": "852 30",
        "city": "Sundsvall",
        "municipality_code": "2281",
        "lat": 62.3908,
        "lon": 17.3069,
    },
}

UNIT = "Medicinmottagningen Sundsvall"


@pytest.fixture
def nurse(session: Session) -> str:
    return token_for(
        session,
        Role.CARE_ISSUER,
        now=NOW,
        username="syster-sara",
        principals=["22"],
        care_unit=UNIT,
        display_name="Sara Sjuksköterska",
    )


@pytest.fixture
def operator(session: Session) -> str:
    return token_for(session, Role.OPERATOR, now=NOW, principals=["22"])


@pytest.fixture
def analyst(session: Session) -> str:
    return token_for(session, Role.ANALYST, now=NOW, principals=["22"])


@pytest.fixture
def stina(app_client: TestClient, operator: str) -> int:
    return register(app_client, operator, STINA)
