"""Users and travellers the assessment tests share."""

from __future__ import annotations

import pytest
from assessment_fixtures import STINA
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import ANNA_FAR_FROM_A_LINE, NOW, register, token_for
from samfard.access.permissions import Role


@pytest.fixture
def admin(session: Session) -> str:
    return token_for(session, Role.SYSTEM_ADMIN, now=NOW)


@pytest.fixture
def operator(session: Session) -> str:
    return token_for(session, Role.OPERATOR, now=NOW)


@pytest.fixture
def assessor(session: Session) -> str:
    return token_for(session, Role.ASSESSOR, now=NOW)


@pytest.fixture
def stina(app_client: TestClient, operator: str) -> int:
    return register(app_client, operator, STINA)


@pytest.fixture
def anna(app_client: TestClient, operator: str) -> int:
    return register(app_client, operator)


@pytest.fixture
def far_anna(app_client: TestClient, operator: str) -> int:
    """Anna at home kilometres from any stop: her taxi is not sent by bus."""
    return register(app_client, operator, ANNA_FAR_FROM_A_LINE)
