"""The Swedish words of /trafik for the day's offers to the carriers: what one press of
"Erbjud körningarna till utförarna" sent, and where the day's answers stand, each count
with its noun in the right number ("1 körning", "2 körningar")."""

from __future__ import annotations

from samfard.dispatch.handoff import OfferPublic
from samfard.dispatch.offer_states import ACCEPTED, DECLINED, OFFERED
from samfard.timeutil import STOCKHOLM
from samfard.web.templating import sv_count

STATES = (OFFERED, ACCEPTED, DECLINED)
# The answer times the controller may give the carriers (minutes); 120 is the service's.
ANSWER_WITHIN_MIN = (30, 60, 120, 240, 480)


def sent_note(sent: list[OfferPublic]) -> str:
    """What one press of "Erbjud körningarna till utförarna" sent, with the answers' own
    deadlines: a run's answer is due no later than it starts, and the note said the
    chosen time from now for every run (walk-through of the seventh session of
    2026-12-06)."""
    if not sent:
        return sent_count_note(0)
    due = sorted(o.answer_by.astimezone(STOCKHOLM) for o in sent if o.state == OFFERED)
    own = len(sent) - len(due)
    parts = [f"{sv_count(len(sent), 'körning', 'körningar')} erbjöds nu"]
    if due and due[0] == due[-1]:
        parts.append(f"utförarna svarar senast {due[-1]:%H:%M}")
    elif due:
        parts.append(
            f"utförarna svarar senast {due[-1]:%H:%M}, och före körningens start för "
            f"körningar som börjar tidigare (den första {due[0]:%H:%M})"
        )
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
