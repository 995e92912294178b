"""The follow-up per care unit: /enheter (per unit and month, with the certifications
about to lapse) and its CSV, through `follow_up.follow_up` and `course.service.expiring`,
so scope is the API's (care staff see their own unit only); the figures hold no person.
Split from `care.pages` (/intyg)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.attachment import CSV, attachment
from samfard.care import follow_up
from samfard.care.certificate_words import expiring_sv, mode_choices
from samfard.course import service as course_service
from samfard.deps import NowDep, SessionDep
from samfard.principals.service import list_principals
from samfard.web.shell import page_router
from samfard.web.templating import render

router = page_router()


def _principal_names(session: Session) -> dict[str, str]:
    return {p.code: p.name for p in list_principals(session=session)}


def _rows(rows: list[follow_up.UnitMonth], names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "unit": r.unit,
            "principal": names.get(r.principal_code, r.principal_code),
            "month": r.month,
            "staff": r.certified_staff,
            "certificates": r.certificates,
            "electronic": r.electronic,
            "revoked": r.revoked,
            "by_mode": r.by_mode,
            "taxi_share": round(r.taxi_share * 100),
            "stretcher_share": round(r.stretcher_share * 100),
            "expected_ore": r.expected_ore,
            "settled_ore": r.settled_ore,
        }
        for r in rows
    ]


@router.get("/enheter")
def units_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.UNITS_FOLLOW_UP)],
) -> Response:
    """Follow-up per care unit and month, and the certifications about to lapse: of the
    principals' units, or of one's own unit for care staff (`follow_up`'s scope)."""
    rows = follow_up.follow_up(session=session, actor=actor, now=now)
    names = _principal_names(session)
    return render(
        request,
        "care/units.html",
        {
            "rows": _rows(rows, names),
            "principal_names": names,
            "totals": follow_up.totals(rows),
            "expiring": expiring_sv(course_service.expiring(session=session, actor=actor, now=now)),
            "modes": follow_up.MODES,
            "modes_sv": dict(mode_choices()),
            "own_unit": actor.care_unit,
        },
    )


@router.get("/enheter/uppfoljning.csv")
def units_csv(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.UNITS_FOLLOW_UP)],
) -> Response:
    rows = follow_up.follow_up(session=session, actor=actor, now=now)
    return attachment(follow_up.to_csv(rows), media_type=CSV, name="uppfoljning-per-enhet.csv")
