"""The follow-up pages read what is typed themselves, found by a browser walk-through of a
working day (2026-12):

- /uppfoljning's Månad had `pattern` and `required`, so "nov 2026" or "11/2026" got the
  browser's "Please match the requested format." and, sent anyway, a bare 422 page. The
  form has novalidate; the page reads those months and says any other at the field.
- /uppfoljning/scenario's number fields turned "1,5" into 15 (Chromium's number input),
  and 99999999999999999999999 days or "1e400" as the seed answered a bare 422 page
  ("värdet kan inte läsas") with the form lost. Now text fields with a maxlength, read by
  the page, said at the field with the range; the seed's range is 0 to 2 147 483 647 (the
  page and the SPEC said 2 147 483 648, one more than a 32-bit integer holds).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_workspace_pages import login, users

from helpers import NOW, STRONG_PASSWORD
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.errors import InputError
from samfard.jobs import Job
from samfard.reports.jobs import REPORT
from samfard.reports.scenarios.spec import load_spec, with_overrides
from samfard.web.typed import FieldError

SCENARIO = "/uppfoljning/scenario"
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("typed", "month"),
    [("2026-11", "2026-11"), ("11/2026", "2026-11"), ("nov 2026", "2026-11"),
     ("November 2026", "2026-11"), ("2026-1", "2026-01"), (" 3-2026 ", "2026-03")],
)  # fmt: skip
def test_a_month_is_read_in_the_ways_people_write_it(typed: str, month: str) -> None:
    from samfard.reports.pages import read_month  # noqa: PLC0415 (new: checked without it)

    assert read_month(typed) == month


@pytest.mark.parametrize("typed", ["hej", "13/2026", "2026-00", "9999-12", "x" * 21, "1e400"])
def test_a_month_the_page_cannot_read_says_how_to_write_it(typed: str) -> None:
    from samfard.reports.pages import read_month  # noqa: PLC0415 (new: checked without it)

    with pytest.raises(FieldError, match="ÅÅÅÅ-MM"):
        read_month(typed)


def test_the_month_field_is_read_by_the_page_and_said_at_the_field(
    app_client: TestClient, session: Session
) -> None:
    users(session, "analyst")
    login(app_client, "analyst")
    page = app_client.get("/uppfoljning").text
    tag = re.search(r'<form method="get" action="/uppfoljning"[^>]*>', page)
    assert tag is not None and "novalidate" in tag[0]
    field = re.search(r'<input id="manad"[^>]*>', page)
    assert field is not None and 'maxlength="20"' in field[0]
    assert "pattern=" not in field[0] and "required" not in field[0]
    named = app_client.get("/uppfoljning", params={"manad": "nov 2026", "huvudman": "23"})
    assert named.status_code == 200 and 'value="2026-11"' in named.text
    assert "november 2026" in named.text.lower() and "Det finns problem" not in named.text
    for typed in ("hej", "y" * 300, "9999-12"):
        wrong = app_client.get("/uppfoljning", params={"manad": typed, "huvudman": "23"})
        assert wrong.status_code == 200, (typed, wrong.text[:500])
        assert 'href="#manad"' in wrong.text and 'aria-invalid="true"' in wrong.text
        assert "Skriv" in wrong.text and "ÅÅÅÅ-MM" in wrong.text
        assert f'value="{typed[:20]}"' in wrong.text, "the typed text comes back"
        assert "Ta fram i bakgrunden" not in wrong.text, "no job for a month not read"


def test_the_scenario_fields_are_text_with_a_maxlength_and_the_seeds_true_range(
    app_client: TestClient, session: Session
) -> None:
    users(session, "analyst")
    login(app_client, "analyst")
    page = app_client.get(SCENARIO).text
    assert 'type="number"' not in page
    for field, most in (("dagar", "2"), ("fro", "10"), ("resor", "4")):
        tag = re.search(rf'<input id="{field}"[^>]*>', page)
        assert tag is not None and f'maxlength="{most}"' in tag[0], field
        assert 'inputmode="numeric"' in tag[0]
    assert f"0 till 2{NBSP}147{NBSP}483{NBSP}647" in page
    assert "2147483648" not in page and f"2{NBSP}147{NBSP}483{NBSP}648" not in page


@pytest.mark.parametrize(
    ("field", "typed", "said"),
    [("dagar", "99999999999999999999999", "antalet dagar som ett heltal från 1 till 60"),
     ("dagar", "1,5", "antalet dagar som ett heltal från 1 till 60"),
     ("fro", "1e400", f"fröet som ett heltal från 0 till 2{NBSP}147{NBSP}483{NBSP}647"),
     ("fro", "2147483648", f"fröet som ett heltal från 0 till 2{NBSP}147{NBSP}483{NBSP}647"),
     ("resor", "-3", f"resor per dag som ett heltal från 1 till 5{NBSP}000"),
     ("resor", "7" * 5000, f"resor per dag som ett heltal från 1 till 5{NBSP}000")],
)  # fmt: skip
def test_a_scenario_field_out_of_range_comes_back_at_the_field_as_typed(
    app_client: TestClient, session: Session, field: str, typed: str, said: str
) -> None:
    users(session, "analyst")
    csrf = login(app_client, "analyst")
    sent = app_client.post(
        SCENARIO,
        data={"csrf_token": csrf, "spec": "own_stretcher_vn.toml", field: typed},
        follow_redirects=False,
    )
    assert sent.status_code == 200, sent.text[:500]
    assert f'href="#{field}"' in sent.text and said in sent.text
    assert f'value="{typed}"' in sent.text, "the typed value comes back"
    assert "värdet kan inte läsas" not in sent.text
    assert session.scalar(select(func.count()).select_from(Job)) == 0, "nothing started"


def test_the_seeds_bound_is_a_32_bit_integer_in_the_spec_too() -> None:
    from samfard.reports.scenarios.spec import MAX_SEED  # noqa: PLC0415 (new)

    spec = load_spec(SCENARIOS / "own_stretcher_vn.toml")
    assert MAX_SEED == 2_147_483_647
    assert with_overrides(spec, seed=MAX_SEED).demand.seed == MAX_SEED
    with pytest.raises(InputError, match="0 to 2147483647"):
        with_overrides(spec, seed=MAX_SEED + 1)


def test_another_principals_report_being_built_is_not_shown(
    app_client: TestClient, session: Session
) -> None:
    """An analyst of 22 asking for 23's month saw the progress of 23's report job, before
    the page said to choose a principal in the list (the probe of the seventh session of
    2026-12-06); their own principal's job is still shown."""
    create_user(session=session, username="analys-22", password=STRONG_PASSWORD,
                role=Role.ANALYST, now=NOW, principal_codes=["22"])  # fmt: skip
    for principal in ("22", "23"):
        session.add(Job(id=f"rapport{principal}", kind=REPORT, subject=f"{principal}:2025-04",
                        args={"principal": principal, "month": "2025-04"}, state="running",
                        done=0.72, message=f"Ritar PDF åt {principal}", started_by="padmin",
                        created_at=NOW))  # fmt: skip
    session.flush()
    login(app_client, "analys-22")
    theirs = app_client.get("/uppfoljning", params={"huvudman": "23", "manad": "2025-04"}).text
    assert "Välj en huvudman i listan" in theirs
    assert "Ritar PDF" not in theirs and "rapport23" not in theirs
    ours = app_client.get("/uppfoljning", params={"huvudman": "22", "manad": "2025-04"}).text
    assert "Ritar PDF åt 22" in ours
