"""The Swedish words of /trafik for the day's offers to the carriers: what one press of
"Erbjud körningarna till utförarna" sent, and where the day's answers stand, each count
with its noun in the right number ("1 körning", "2 körningar")."""

from __future__ import annotations

from datetime import datetime

from samfard.dispatch.handoff import OfferPublic
from samfard.dispatch.offer_states import ACCEPTED, DECLINED, OFFERED
from samfard.timeutil import STOCKHOLM
from samfard.web.templating import sv_count

STATES = (OFFERED, ACCEPTED, DECLINED)
# The answer times the controller may give the carriers (minutes); 120 is the service's.
ANSWER_WITHIN_MIN = (30, 60, 120, 240, 480)


def sent_note(sent: list[OfferPublic], deadline: datetime) -> str:
    """What one press of "Erbjud körningarna till utförarna" sent."""
    if not sent:
        return sent_count_note(0)
    waiting = sum(1 for o in sent if o.state == OFFERED)
    own = len(sent) - waiting
    parts = [f"{sv_count(len(sent), 'körning', 'körningar')} erbjöds nu"]
    if waiting:
        parts.append(f"utförarna svarar senast {deadline.astimezone(STOCKHOLM):%H:%M}")
    if own:
        done = sv_count(
            own, "körning i egen regi är accepterad", "körningar i egen regi är accepterade"
        )
        parts.append(f"{done} direkt")
    return ", ".join(parts) + "."


def sent_count_note(sent: int) -> str:
    """What was sent, said again on the day page after a form sent without script."""
    if not sent:
        return "Alla dagens körningar var redan erbjudna; inga nya erbjudanden skickades."
    return f"{sv_count(sent, 'körning', 'körningar')} erbjöds nu."


def offers_summary(offers: list[OfferPublic]) -> str:
    """Where the day's offers stand: "Hos utförarna: 12 väntar på svar, 3 accepterade, 1
    avböjd." (the numbers in the singular where one)."""
    if not offers:
        return "Inga körningar är erbjudna den dagen."
    counts = {state: sum(1 for o in offers if o.state == state) for state in STATES}
    return (
        f"Hos utförarna: {counts[OFFERED]} väntar på svar, "
        f"{sv_count(counts[ACCEPTED], 'accepterad', 'accepterade')}, "
        f"{sv_count(counts[DECLINED], 'avböjd', 'avböjda')}."
    )
