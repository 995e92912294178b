"""The traveller's booking form as the desk's form, and the answers in the traveller's
own words.

The traveller's page asks fewer and plainer questions than the desk (one time and what it
means, a return, a wheelchair or rollator, a note), then hands the desk's form to the same
booking use case (`booking.desk_booking.book`), so the rules, the fee and live insertion
are the desk's. Errors come back named by the desk's fields; `own_errors` moves them to
this form's fields and turns "Resenären" into "du".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from samfard.assessment.words_sv import reason_sv
from samfard.web.shell import ONCE_FIELD, FormErrors

# The desk's field -> this form's field.
FIELD_OF = {"fran": "fran", "till": "till", "besok": "tid", "hamtning": "tid", "datum": "datum",
            "retur_tid": "retur_tid", "tjanst": "tjanst", "meddelande": "meddelande",
            "resenar": "tjanst", "ledsagare": "meddelande"}  # fmt: skip
OWN_WORDS = (
    ("Resenären saknar", "Du saknar"),
    ("Resenärens tillstånd", "Ditt tillstånd"),
    ("Ditt konto får inte boka åt den huvudmannen", "Du kan inte boka den resan här"),
    # The desk picks places from a list of suggestions; this form has none.
    ("skriv och välj i listan", "skriv Hemma, en plats eller en adress med ort"),
    (
        "Välj i listan, eller skriv gatuadress och ort",
        "Skriv platsens namn, eller gatuadress och ort",
    ),
    ("Välj en tjänst i listan", "Välj vilken resa du vill boka"),
    # The desk's card is the operator's; the traveller has this page.
    ("läs kortet igen och gör om ändringen", "ladda om sidan och försök igen"),
    ("Resan kan inte avbeställas", "Resan kan inte avbokas"),
)


def desk_form(form: Mapping[str, str]) -> dict[str, str]:
    """The desk's fields for what the traveller filled in."""
    time_text = form.get("tid", "").strip()
    fields = {
        "tjanst": form.get("tjanst", ""),
        "fran": form.get("fran", "").strip() or "Hemma",
        "fran_val": "",
        "till": form.get("till", "").strip(),
        "till_val": "",
        "datum": form.get("datum", "").strip(),
        "meddelande": form.get("meddelande", "").strip(),
        ONCE_FIELD: form.get(ONCE_FIELD, ""),
    }
    fields["besok" if form.get("tid_avser") == "framme" else "hamtning"] = time_text
    if form.get("retur"):
        fields["retur"] = "1"
        fields["retur_tid"] = form.get("retur_tid", "").strip()
    for aid in ("rullstol", "rollator"):
        if form.get(aid):
            fields[aid] = "1"
    return fields


def own_words(message: str) -> str:
    for desk, own in OWN_WORDS:
        message = message.replace(desk, own)
    return message


def own_errors(errors: FormErrors) -> FormErrors:
    """The desk's errors on this form's fields, in the traveller's words."""
    mine = FormErrors()
    for field_id, message in errors.items():
        mine.add(FIELD_OF.get(field_id, "tjanst"), own_words(message))
    return mine


# Where a rule's refusal is changed on this form, by the start of the reason's code: the
# destination decides the area, the time the booking deadline and the hours; the rest is
# the choice of service (the permit, the mode, the needs).
REFUSED_AT = (
    (("area.", "destination.", "route.", "eligibility."), "till"),
    (("booking.", "hours.", "line."), "tid"),
)
REFUSED_SV = "Reglerna godtar inte resan så som den är beställd. Ändra resan eller ring oss."


def refusal_errors(decision: Mapping[str, Any] | None) -> FormErrors:
    """Why the rules would refuse the trip, in the traveller's words, at the fields to
    change: a trip the rules deny is said before anything is booked."""
    said: dict[str, list[str]] = {}
    for reason in (decision or {}).get("reasons") or []:
        if reason.get("effect") != "refuse":
            continue
        code = str(reason.get("code", ""))
        field = next((f for starts, f in REFUSED_AT if code.startswith(starts)), "tjanst")
        line = own_words(reason_sv(reason))
        if line not in said.setdefault(field, []):
            said[field].append(line)
    errors = FormErrors()
    for field_id in ("tjanst", "till", "tid"):  # in the form's order
        if said.get(field_id):
            errors.add(field_id, " ".join(said[field_id]))
    if not errors:
        errors.add("tjanst", REFUSED_SV)
    return errors
