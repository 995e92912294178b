"""The goods desk's form: its fields as typed, turned into a `ConsignmentCreate`, and the
service's refusals put into Swedish next to the field they concern.

Field ids are Swedish (the page's own), `FIELD_OF` maps a service field to the form
field showing it; an end is a gazetteer place, or `hem` (the recipient's home, aids
only). Times are wall-clock times on the chosen day in Sweden. The recipient is the id
picked in the Mottagare list (`mottagare-id`); `goods.pages` finds it for a name typed
without picking.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time

from pydantic import ValidationError

from samfard.booking.horizon import DEFAULT_HORIZON_DAYS
from samfard.booking.schemas import Location
from samfard.errors import DomainError
from samfard.goods.prices import GoodsKind
from samfard.goods.schemas import MAX_UNITS, ConsignmentCreate
from samfard.timeutil import STOCKHOLM, local
from samfard.web.shell import FormErrors
from samfard.web.typed import FieldError, parse_clock, parse_date, whole_number

HOME = "hem"
# The most characters each text field takes: the schema's for the description, and room
# for every way the desk writes a day ("2026-12-08", "8/12") or a time ("kl. 10.30").
MAX_DESCRIPTION = int(
    next(m.max_length for m in ConsignmentCreate.model_fields["description"].metadata
         if hasattr(m, "max_length"))
)  # fmt: skip
MAX_DATE = 40
MAX_TIME = 12
MAX_SEARCH = 100  # a recipient's name, personnummer or phone, as the booking desk's search
FIELD_OF = {
    "principal": "huvudman",
    "kind": "slag",
    "units": "kolli",
    "description": "beskrivning",
    "recipient_traveller_id": "mottagare",
    "pickup": "fran",
    "pickup.place_id": "fran",
    "dropoff": "till",
    "dropoff.place_id": "till",
    "pickup_from": "hamtas-fran",
    "pickup_until": "hamtas-till",
    "dropoff_from": "lamnas-fran",
    "dropoff_until": "lamnas-till",
    "consignment_id": "gods-lista",
    "status": "gods-lista",
}
SWEDISH = {
    "principal": "Välj en huvudman som ditt konto bokar för och som har en prislista för "
    "gods den dagen",
    "kind": "Huvudmannens prislista har inget pris för det slaget av gods",
    "recipient_traveller_id": "Välj en mottagare som finns i ert resenärsregister",
    "pickup_until": "Hämtningen måste sluta efter nu",
    "dropoff_until": "Lämningen måste sluta samma dag som hämtningen",
    "dropoff": "Hämtning och lämning kan inte vara samma plats",
    "consignment_id": "Sändningen finns inte bland era",
    "status": "Sändningen är redan hämtad, levererad eller avbokad och kan inte avbokas",
}


@dataclass(frozen=True)
class GoodsForm:
    """The form as typed (strings), so a refused form comes back as it was."""

    huvudman: str = ""
    slag: str = GoodsKind.PARCEL.value
    kolli: str = "1"
    beskrivning: str = ""
    mottagare: str = ""
    mottagare_id: str = ""
    fran: str = ""
    till: str = ""
    dag: str = ""
    hamtas_fran: str = "08:00"
    hamtas_till: str = "10:00"
    lamnas_fran: str = "09:00"
    lamnas_till: str = "12:00"

    @classmethod
    def empty(cls, day: date) -> GoodsForm:
        return cls(dag=day.isoformat())

    @classmethod
    def of(cls, fields: dict[str, str]) -> GoodsForm:
        names = asdict(cls()).keys()
        return cls(**{n: fields.get(n.replace("_", "-"), "").strip() for n in names})

    def day_or(self, now: datetime) -> date:
        try:
            return date.fromisoformat(self.dag)
        except ValueError:
            return now.astimezone(STOCKHOLM).date()


def _clock(text: str) -> time | None:
    try:
        return parse_clock(text)
    except FieldError:
        return None


# An empty place, said of its own field: the error summary listed "Välj en plats" twice,
# for Hämtas vid and for Lämnas vid, with nothing to tell them apart.
PLACE_MISSING_SV = {
    "fran": "Välj var godset hämtas (Hämtas vid)",
    "till": "Välj vart godset ska (Lämnas vid)",
}


def _end(text: str, field_id: str, errors: FormErrors) -> Location | None:
    if text == HOME:
        return Location(home=True)
    place = whole_number(text)
    if place:
        return Location(place_id=place)
    errors.add(field_id, PLACE_MISSING_SV[field_id])
    return None


def parse_form(form: GoodsForm, errors: FormErrors, *, today: date) -> ConsignmentCreate | None:
    """The consignment the form asks for, or None with `errors` saying what to fix; Dag
    is read as the booking desk reads a date ("8/12", the next such day, from `today`)."""
    if not form.huvudman:
        errors.add("huvudman", "Välj huvudman")
    kind = form.slag if form.slag in {k.value for k in GoodsKind} else None
    if kind is None:
        errors.add("slag", "Välj bussgods eller hjälpmedel")
    units = whole_number(form.kolli) or 0
    if not 1 <= units <= MAX_UNITS:
        errors.add("kolli", f"Ange antal kolli som ett heltal, 1 till {MAX_UNITS}")
    if not form.beskrivning.strip():
        # The driver loads what it says; an empty one was stored (walk-through of the
        # seventh session of 2026-12-06).
        errors.add("beskrivning", "Skriv vad föraren ska lasta, till exempel Provrör")
    elif len(form.beskrivning) > MAX_DESCRIPTION:
        errors.add("beskrivning", f"Beskrivningen får vara högst {MAX_DESCRIPTION} tecken")
    recipient = None
    if form.mottagare_id:
        recipient = whole_number(form.mottagare_id) or None
        if recipient is None:
            errors.add("mottagare", "Välj mottagaren i listan")
    pickup = _end(form.fran, "fran", errors)
    dropoff = _end(form.till, "till", errors)
    try:
        day: date | None = parse_date(form.dag, today=today)
    except FieldError as unreadable:
        errors.add("dag", str(unreadable))
        day = None
    times = {}
    for field_id, value in (
        ("hamtas-fran", form.hamtas_fran),
        ("hamtas-till", form.hamtas_till),
        ("lamnas-fran", form.lamnas_fran),
        ("lamnas-till", form.lamnas_till),
    ):
        clock = _clock(value)
        if clock is None:
            errors.add(field_id, "Ange klockslag, till exempel 08:30")
        times[field_id] = clock
    if errors or day is None or pickup is None or dropoff is None or kind is None:
        return None
    at = {k: local(day, v) for k, v in times.items() if v is not None}
    try:
        return ConsignmentCreate(
            principal=form.huvudman,
            kind=GoodsKind(kind),
            units=units,
            description=form.beskrivning or None,
            recipient_traveller_id=recipient,
            pickup=pickup,
            dropoff=dropoff,
            pickup_from=at["hamtas-fran"],
            pickup_until=at["hamtas-till"],
            dropoff_from=at["lamnas-fran"],
            dropoff_until=at["lamnas-till"],
        )
    except ValidationError as error:
        for problem in error.errors():
            loc = problem.get("loc", ())
            errors.add(
                FIELD_OF.get(str(loc[0]) if loc else "", "huvudman"), "Kontrollera uppgiften"
            )
        return None


# The service's checks across fields, by the start of their English message (the API's).
ACROSS_FIELDS = (
    ("pickup_until is before", "hamtas-till", "Hämtningens sista tid ligger före dess första"),
    ("dropoff_until is before", "lamnas-till", "Lämningens sista tid ligger före dess första"),
    ("pickup_until is after", "hamtas-till", "Hämtningen måste sluta senast när lämningen slutar"),
    ("the drop-off window ends", "lamnas-till", "Lämningen måste sluta efter hämtningens början"),
    ("only an aid has", "mottagare", "Bara hjälpmedel har en mottagare; lämna fältet tomt"),
    ("home means the recipient", "mottagare", "Mottagarens hem kräver en mottagare"),
    (
        "goods are booked at most",
        "dag",
        f"Gods bokas högst {DEFAULT_HORIZON_DAYS} dagar i förväg; välj en närmare dag",
    ),
)


def refusal_sv(error: DomainError) -> tuple[str, str]:
    """(form field, Swedish message) of a refusal by the service."""
    for start, field_id, text in ACROSS_FIELDS:
        if error.message.startswith(start):
            return field_id, text
    return FIELD_OF.get(error.field or "", "huvudman"), swedish(error)


def swedish(error: DomainError) -> str:
    """The service's refusal in Swedish for the desk (the English message is the API's)."""
    return SWEDISH.get(error.field or "", "Sändningen kunde inte bokas; kontrollera uppgifterna")
