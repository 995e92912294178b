"""/intyg marks its optional fields as the other pages do ("Meddelande till föraren
(frivilligt)"): the unit visited and the day of the visit may be left out, but the form
did not say so, and the unit's empty choice read "Välj vårdenhet" as if one were needed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from test_care_flow import take_quiz

from helpers import auth


def _labels(page: str) -> dict[str, str]:
    """Each field's label by the field's id."""
    found = re.findall(r'<label for="([\w-]+)">(.*?)</label>', page, re.S)
    return {field: label.strip() for field, label in found}


def test_the_optional_fields_say_so_and_the_required_ones_do_not(
    app_client: TestClient, session: Session, nurse: str
) -> None:
    take_quiz(app_client, nurse, session, wrong=0)
    page = app_client.get("/intyg", headers=auth(nurse)).text
    labels = _labels(page.split('action="/intyg"')[1].split("</form>")[0])
    assert labels["besoksplats"] == "Vårdenhet som besöks (frivillig)"
    assert labels["besoksdag"] == "Besöksdag (frivillig)"
    for required in ("personnummer", "fardsatt", "giltig-fran", "giltig-till", "skal"):
        assert "frivillig" not in labels[required], required
    unit = re.search(r'<select id="besoksplats".*?</select>', page, re.S)
    assert unit is not None and '<option value="" selected>Ingen vald</option>' in unit[0]
