"""The decision letter's pages on /bedomning: the letter inside the page, as the traveller
will read it, and the same letter as PDF (`letter_pdf`), both from
`assessment.letters.render_letter`, so the PDF never says anything the page does not.
`letter_body` also serves the case's preview of a decision not yet saved."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Request
from fastapi.responses import Response

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.assessment import reads as assessment_reads
from samfard.assessment.letter_pdf import letter_pdf
from samfard.attachment import content_disposition
from samfard.deps import NowDep, SessionDep
from samfard.schemas_common import RecordId
from samfard.web.shell import page_router
from samfard.web.templating import render

router = page_router()

_BODY = re.compile(r"<body>(.*)</body>", re.DOTALL)
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def letter_body(html: str, *, below: int) -> str:
    """The letter document's body for a page, its headings moved under the page's level
    `below` (the letter's h1 becomes h`below + 1`), so the page's outline stays whole."""
    found = _BODY.search(html)
    body = found.group(1) if found else html
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + below, 6)}", body)


@router.get("/bedomning/{booking_id}/brev")
def letter_preview(
    request: Request,
    booking_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.BOOKINGS_READ)],
) -> Response:
    """The decision letter inside the page, as the traveller will read it."""
    html = assessment_reads.decision_letter(
        session=session, booking_id=booking_id, actor=actor, now=now
    )
    return render(
        request,
        "assessment/letter.html",
        {"booking_id": booking_id, "letter": letter_body(html, below=1)},
    )


@router.get("/bedomning/{booking_id}/brev.pdf")
def letter_pdf_file(
    booking_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.BOOKINGS_READ)],
) -> Response:
    """The decision letter as a PDF to send or archive."""
    html = assessment_reads.decision_letter(
        session=session, booking_id=booking_id, actor=actor, now=now
    )
    return Response(
        content=letter_pdf(html),
        media_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition(f"beslut-{booking_id}.pdf", inline=True)
        },
    )
