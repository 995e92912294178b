"""The booking desk's form as the API's request: one BookingCreate, or a SeriesCreate for
a recurring trip (dialysis), built from what the operator typed.

The page sends the result to the same service functions as the API, so every rule is
checked once, there. Errors the services raise name API fields (`legs[0].origin`); this
module maps them back to the form's fields and says in Swedish what to fix.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from pydantic import ValidationError
from sqlalchemy.orm import Session

from samfard.booking import desk_input as read
from samfard.booking import legs as booking_legs
from samfard.booking.schemas import (
    MESSAGE_MOST,
    BookingCreate,
    Channel,
    LegCreate,
    SeriesCreate,
    SeriesLeg,
)
from samfard.errors import DomainError
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller
from samfard.web.shell import FormErrors
from samfard.web.typed import FieldError, parse_date

SERVICES_SV = {
    "sjukresa": "Sjukresa",
    "fardtjanst": "Färdtjänst",
    "riksfardtjanst": "Riksfärdtjänst",
    "anropsstyrd_linjetrafik": "Anropsstyrd linjetrafik",
    "nartrafik": "Närtrafik",
}
# Services of the transport authority (RKM): open to everyone, no permit, paid by the RKM.
AUTHORITY_SERVICES = frozenset({"anropsstyrd_linjetrafik", "nartrafik"})
CARE_PURPOSES_SV = {
    "doctor_visit": "Läkarbesök",
    "treatment": "Behandling",
    "dialysis": "Dialys",
    "xray": "Röntgen",
    "sampling": "Provtagning",
    "dental_care": "Tandvård",
    "aids_centre": "Hjälpmedelscentral",
    "referral": "Remiss till annan vårdgivare",
}
ERRAND_PURPOSES_SV = {
    "leisure": "Fritid",
    "shopping": "Inköp",
    "visit": "Besök hos någon",
    "work": "Arbete",
}
PURPOSES_SV = CARE_PURPOSES_SV | ERRAND_PURPOSES_SV
RETURN_STAY = timedelta(hours=2)
# An empty Från or Till, said of that field: the error summary lists both, so each names its own.
EMPTY_PLACE_SV = {
    "fran": "Ange var resan börjar (Från): skriv och välj i listan",
    "till": "Ange resmålet (Till): skriv och välj i listan",
}
PurposeGroups = list[tuple[str, list[tuple[str, str]]]]


def purpose_groups(service: str) -> PurposeGroups:
    """The desk's purposes for `service`, its own first: care for a sjukresa, errands for
    every other service. The others stay listed, in their own group, because a trip to
    care is the region's sjukresa and färdtjänst refuses it: the operator should see that
    choice for what it is, not land on it by a default."""
    care = ("Vård (sjukresa)", list(CARE_PURPOSES_SV.items()))
    errands = ("Ärenden", list(ERRAND_PURPOSES_SV.items()))
    return [care, errands] if service == "sjukresa" else [errands, care]


def purpose_for(service: str, chosen: str | None) -> str:
    """The purpose the form shows for `service`: the one chosen when it is of the
    service's own group, else the group's first (läkarbesök, fritid). Switching Tjänst
    from sjukresa to färdtjänst thus leaves no läkarbesök behind for the rules to refuse."""
    own = purpose_groups(service)[0][1]
    return chosen if chosen in dict(own) else own[0][0]


T = TypeVar("T")


@dataclass(frozen=True)
class DeskRequest:
    """What the desk asks the services for, and the words to read back to the caller."""

    booking: BookingCreate | None
    series: SeriesCreate | None
    origin_label: str
    destination_label: str


def principal_for(traveller: Traveller, service: str, day: date) -> str:
    """Who pays: the region for sjukresor, the permit's municipality for färdtjänst, the
    county's transport authority for booked lines and närtrafik."""
    if service == "sjukresa":
        return traveller.municipality_code[:2]
    if service in AUTHORITY_SERVICES:
        return f"RKM-{traveller.municipality_code[:2]}"
    valid = [p for p in traveller.permits if p.kind == service and p.valid_on(day)]
    return valid[0].principal_code if valid else traveller.municipality_code


def _field(errors: FormErrors, field_id: str, read_one: Callable[[], T]) -> T | None:
    """Read one field; a FieldError becomes that field's message, so every field is read
    and the summary lists every problem at once."""
    try:
        return read_one()
    except FieldError as error:
        errors.add(field_id, str(error))
        return None


def _when(
    errors: FormErrors, field_id: str, text: str, day: date | None, today: date
) -> datetime | None:
    """A time field read on `day`: where Datum could not be read, a time of day alone is
    not a second error (Mina resor said "Ange datum i fältet Datum" at Tid as well as the
    date's own message at Datum; walk-through of the seventh session of 2026-12-06)."""
    try:
        return read.parse_when(text, day=day, today=today)
    except read.NoDay as error:
        if errors.get("datum") is None:
            errors.add(field_id, str(error))
    except FieldError as error:
        errors.add(field_id, str(error))
    return None


def _place(
    session: Session,
    form: Mapping[str, str],
    errors: FormErrors,
    name: str,
    traveller: Traveller,
    visible: bool,
) -> read.PlaceChoice | None:
    choice, text = form.get(f"{name}_val", ""), form.get(name, "")
    if not " ".join(text.split()) and not choice:
        errors.add(name, EMPTY_PLACE_SV[name])
        return None
    return _field(
        errors,
        name,
        lambda: read.resolve_place(
            session, choice=choice, text=text, traveller=traveller, visible=visible
        ),
    )


def build_request(
    session: Session,
    form: Mapping[str, str],
    traveller: Traveller,
    *,
    now: datetime,
    visible: bool,
    channel: Channel = Channel.PHONE,
) -> tuple[DeskRequest | None, FormErrors]:
    """The API request the form describes, or the errors that keep it from being one.
    `channel` is how it came in: the desk's phone, or the traveller's own pages."""
    errors = FormErrors()
    today = now.astimezone(STOCKHOLM).date()
    service = form.get("tjanst", "sjukresa")
    if service not in SERVICES_SV:
        errors.add("tjanst", "Välj en tjänst i listan")
    if form.get("syfte") and form["syfte"] not in PURPOSES_SV:
        errors.add("syfte", "Välj ett syfte i listan")
    origin = _place(session, form, errors, "fran", traveller, visible)
    destination = _place(session, form, errors, "till", traveller, visible)
    day = _field(errors, "datum", lambda: parse_date(form.get("datum", ""), today=today))
    appointment_text = form.get("besok", "").strip()
    pickup_text = form.get("hamtning", "").strip()
    appointment = pickup = None
    if appointment_text:
        appointment = _when(errors, "besok", appointment_text, day, today)
    if pickup_text:
        pickup = _when(errors, "hamtning", pickup_text, day, today)
    if not appointment_text and not pickup_text:
        errors.add("besok", "Ange tid för besök eller hämtningstid")
    elif appointment_text and pickup_text:
        # With both, the pickup would have to fit the drive to the appointment too, and the
        # promised window shrank to a moment; the caller gives one, the planner the other.
        errors.add(
            "hamtning",
            "Ange antingen tid för besök eller hämtningstid, inte båda: töm det ena fältet",
        )
    back = None
    if form.get("retur"):
        back_text = form.get("retur_tid", "").strip()
        anchor = appointment or pickup
        if back_text:
            back_day = anchor.astimezone(STOCKHOLM).date() if anchor else day
            back = _when(errors, "retur_tid", back_text, back_day, today)
        elif anchor is not None:
            back = anchor + RETURN_STAY
            if appointment is None and origin is not None and destination is not None:
                back += _drive_to_five(session, origin, destination, traveller)
    needs = read.needs_from(form)
    # Each count is read at its own field, so a wrong one is marked where it was typed.
    escorts = _field(errors, "ledsagare", lambda: read.count(form, "ledsagare", most=2)) or 0
    adults = _field(errors, "medfoljande", lambda: read.count(form, "medfoljande")) or 0
    ages = _field(errors, "barn", lambda: read.child_ages(form)) or []
    companions = _field(errors, "medfoljande", lambda: read.companions(escorts, adults, ages)) or []
    series = bool(form.get("serie"))
    weekdays = read.weekdays_from(form) if series else []
    first = last = None
    if series:
        if not weekdays:
            errors.add("man", "Välj minst en veckodag för serien")
        first = _field(errors, "forsta", lambda: parse_date(form.get("forsta", ""), today=today))
        last = _field(errors, "sista", lambda: parse_date(form.get("sista", ""), today=today))
    message = _message(form, errors)
    if errors or origin is None or destination is None:
        return None, errors
    anchor = appointment or pickup
    assert anchor is not None
    principal = principal_for(traveller, service, anchor.astimezone(STOCKHOLM).date())
    purpose = form.get("syfte") or None
    try:
        if series:
            assert first is not None and last is not None
            legs = [
                SeriesLeg(
                    origin=origin.location,
                    destination=destination.location,
                    pickup_time=_clock(pickup),
                    appointment_time=_clock(appointment),
                )
            ]
            if back is not None:
                legs.append(SeriesLeg(origin=destination.location, destination=origin.location,
                                      pickup_time=_clock(back), return_of=0))  # fmt: skip
            request = DeskRequest(
                None,
                SeriesCreate(
                    traveller_id=traveller.id,
                    service=service,
                    principal=principal,
                    weekdays=weekdays,
                    start_date=first,
                    end_date=last,
                    legs=legs,
                    companions=companions,
                    needs=needs,
                    purpose=purpose,
                    message_to_driver=message,
                    channel=channel,
                ),
                origin.label,
                destination.label,
            )
        else:
            trip = [LegCreate(origin=origin.location, destination=destination.location,
                              pickup_at=pickup, appointment_at=appointment)]  # fmt: skip
            if back is not None:
                trip.append(LegCreate(origin=destination.location, destination=origin.location,
                                      pickup_at=back, return_of=0))  # fmt: skip
            request = DeskRequest(
                BookingCreate(
                    traveller_id=traveller.id,
                    service=service,
                    principal=principal,
                    legs=trip,
                    companions=companions,
                    needs=needs,
                    purpose=purpose,
                    message_to_driver=message,
                    channel=channel,
                ),
                None,
                origin.label,
                destination.label,
            )
    except ValidationError as error:
        errors.add("meddelande", f"Uppgifterna kan inte sparas: {error.errors()[0]['msg']}")
        return None, errors
    return request, errors


def _clock(value: datetime | None) -> time | None:
    return None if value is None else value.astimezone(STOCKHOLM).time()


def _drive_to_five(
    session: Session, origin: read.PlaceChoice, destination: read.PlaceChoice, traveller: Traveller
) -> timedelta:
    """The drive there, up to whole five minutes: after a pickup time the visit starts when
    the traveller arrives, so the return's default stay counts from then. Not from a
    protected home to a place typed: the suggested time would tell how far the home is."""
    ends = [
        booking_legs.resolve(session, choice.location, traveller, field=name)
        for choice, name in ((origin, "fran"), (destination, "till"))
    ]
    if traveller.protected_identity and booking_legs.measures_home(*ends):
        return timedelta(0)
    return timedelta(minutes=5 * math.ceil(booking_legs.model_drive_seconds(*ends) / 300))


ROLLATOR_NOTE = "Resenären har rollator."


def with_rollator(typed: str | None, rollator: bool) -> str | None:
    """The note to the driver: what was typed, after the rollator's sentence when the
    traveller brings one. A rollator needs no special vehicle, so it is no `Need`: the
    driver reads it here, and the change form reads it back (`has_rollator`)."""
    text = " ".join(p for p in (ROLLATOR_NOTE if rollator else "", typed or "") if p)
    return text or None


def has_rollator(message: str | None) -> bool:
    """Whether a note to the driver says the traveller brings a rollator."""
    return (message or "").startswith(ROLLATOR_NOTE)


def without_rollator(message: str | None) -> str:
    """A note to the driver as the operator typed it, the rollator's sentence left out
    (the change form shows that as its checkbox)."""
    return (message or "").removeprefix(ROLLATOR_NOTE).strip()


def _message(form: Mapping[str, str], errors: FormErrors) -> str | None:
    """The note to the driver, with the rollator mentioned (it needs no special vehicle,
    but the driver should know); too long is refused at the field, never cut short."""
    typed = form.get("meddelande", "").strip()
    text = with_rollator(typed, bool(form.get("rollator"))) or ""
    if len(text) > MESSAGE_MOST:
        room = MESSAGE_MOST - (len(ROLLATOR_NOTE) + 1 if form.get("rollator") else 0)
        errors.add(
            "meddelande",
            f"Meddelandet får vara högst {room} tecken"
            + (" (rollatorn nämns för föraren)" if form.get("rollator") else "")
            + f": det har {len(typed)}, korta det",
        )
    return text or None


# Where a service's error (named by API field) belongs in the form, and what it means.
_FIELD_MAP = (
    (re.compile(r"^legs\[0\]\.origin"), "fran"),
    (re.compile(r"^legs\[0\]\.destination"), "till"),
    (re.compile(r"^legs\[0\]\.appointment_at"), "besok"),
    (re.compile(r"^legs\[0\]\.(pickup_at|pickup_time)"), "hamtning"),
    (re.compile(r"^legs\[0\]$"), "datum"),
    (re.compile(r"^legs\[[1-9]\]"), "retur_tid"),
    (re.compile(r"^(service|principal)$"), "tjanst"),
    (re.compile(r"^weekdays$"), "man"),
    (re.compile(r"^start_date$"), "forsta"),
    (re.compile(r"^end_date$"), "sista"),
    (re.compile(r"^traveller_id$"), "resenar"),
)
_MESSAGES_SV = (
    ("starts where it ends", "Resan börjar där den slutar: välj ett annat resmål"),
    ("is in the past", "Tiden har redan passerat: ange en kommande tid"),
    ("needs a pickup time or an appointment", "Ange tid för besök eller hämtningstid"),
    ("is not after the pickup", "Tiden för besöket måste vara efter hämtningstiden"),
    ("returns before its outward", "Returen måste hämtas efter utresan"),
    ("has no fardtjanst permit", "Resenären saknar tillstånd för färdtjänst"),
    ("has no riksfardtjanst permit", "Resenären saknar tillstånd för riksfärdtjänst"),
    ("permit expired", "Resenärens tillstånd har gått ut"),
    ("permit is not valid on", "Resenärens tillstånd gäller inte den dagen"),
    ("no trip days between", "Serien har inga resdagar mellan datumen"),
    ("is before start_date", "Sista datum är före första datum"),
    ("may span at most", "En serie får gälla högst 400 dagar"),
    ("not scoped to principal", "Ditt konto får inte boka åt den huvudmannen"),
    ("was not booked by your care unit", "Resan bokades inte av din vårdenhet"),
    ("no booking with id", "Resan finns inte: ladda om sidan"),
    ("to cancelled;", "Resan kan inte avbeställas: den är avslagen, avbeställd eller genomförd"),
    ("was changed by someone else", "Resan har ändrats av någon annan sedan sidan visades: "
     "läs kortet igen och gör om ändringen"),
    ("was cancelled by someone else", "Resan har avbeställts av någon annan sedan sidan "
     "visades och kan inte längre ändras"),
    ("already used for a different booking request", "Formuläret har redan skickats för en "
     "annan resa: ladda om sidan och fyll i den nya resan"),
)  # fmt: skip
# Messages that carry values the Swedish sentence repeats (its groups, in order).
_PATTERNS_SV = (
    (
        re.compile(r"before its outward leg \d+ can arrive: .* until (\d\d:\d\d)"),
        "Returen hämtas innan utresan hinner fram: boka returen kl. {} eller senare",
    ),
    (
        re.compile(r"too far ahead: .* at most (\d+) days ahead, up to (\d{4}-\d\d-\d\d)"),
        "Så långt fram tar reglerna inte emot bokningar: högst {} dagar fram, till och med {}",
    ),
)


def form_field(api_field: str | None) -> str:
    for pattern, field_id in _FIELD_MAP:
        if api_field and pattern.search(api_field):
            return field_id
    return "tjanst"


def message_sv(message: str) -> str:
    """The Swedish sentence for a service's message, or the message itself."""
    for pattern, template in _PATTERNS_SV:
        if found := pattern.search(message):
            return template.format(*found.groups())
    for english, swedish in _MESSAGES_SV:
        if english in message:
            prefix = (
                message.split(":", 1)[0] + ": " if re.match(r"^\d{4}-\d\d-\d\d:", message) else ""
            )
            return prefix + swedish
    return message


def errors_from(error: DomainError) -> FormErrors:
    """A service's refusal as the form's error summary."""
    errors = FormErrors()
    errors.add(form_field(error.field), message_sv(error.message))
    return errors
