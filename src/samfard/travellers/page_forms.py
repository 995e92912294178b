"""The register's page forms as the API's requests (TravellerCreate, TravellerUpdate,
PermitCreate, CertificateCreate), with errors in Swedish keyed by the form's fields.

The gazetteer has no street index, so a home without typed coordinates is placed at its
locality (the place named like the city in that municipality, else the municipality's
largest locality); the operator can type exact coordinates when they matter.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session

from samfard.errors import InputError
from samfard.geo.places import search_places
from samfard.principals.service import list_principals
from samfard.travellers.languages import LANGUAGE_CODES, language_code
from samfard.travellers.models import MobilityAid, Traveller
from samfard.travellers.personnummer import parse_personal_number
from samfard.travellers.schemas import (
    Address,
    CertificateCreate,
    PermitCreate,
    TravellerCreate,
    TravellerUpdate,
)
from samfard.web.shell import FormErrors
from samfard.web.typed import FieldError, parse_date, parse_picked_day, whole_number

M = TypeVar("M", bound=BaseModel)

AIDS_FIELDS = {aid.value: f"hjalpmedel_{aid.value}" for aid in MobilityAid}
PERMIT_FLAGS = ("special_vehicle", "escort", "fellow_passenger", "front_seat", "ride_alone",
                "allergy_free", "guide_dog")  # fmt: skip
CERTIFICATE_MODES = ("taxi", "wheelchair_vehicle", "stretcher_vehicle")


@dataclass(frozen=True)
class FormField:
    """How the page speaks of one API field (whose own messages are English and name the
    API field): the form field it is typed in, the field as the subject of a sentence, what
    to write there, and what is wrong when its number is out of range."""

    id: str
    noun: str
    write: str
    out_of_range: str = ""


def _bounds(model: type[BaseModel], name: str) -> tuple[Any, Any]:
    """The schema's lower and upper bound of a number field, so the page states the same."""
    metadata = model.model_fields[name].metadata
    low = next(m.ge for m in metadata if hasattr(m, "ge"))
    high = next(m.le for m in metadata if hasattr(m, "le"))
    return low, high


def schema_max_length(model: type[BaseModel], name: str) -> int:
    """The schema's max_length of a text field (in the field's own constraints, or in
    an optional field's Annotated type), so a page's maxlength is the service's limit."""
    field = model.model_fields[name]
    metadata = list(field.metadata)
    for arg in get_args(field.annotation):
        metadata += getattr(arg, "__metadata__", ())
    limits = [int(m.max_length) for m in metadata if getattr(m, "max_length", None)]
    if not limits:
        raise LookupError(f"{model.__name__}.{name} has no max_length")
    return limits[0]


def _swapped(noun: str, model: type[BaseModel], name: str) -> str:
    low, high = _bounds(model, name)
    return (f"{noun} ska vara mellan {low:g} och {high:g} grader: har du bytt plats på "
            "latitud och longitud?")  # fmt: skip


def _trips_range() -> str:
    low, high = _bounds(CertificateCreate, "trips_allowed")
    return f"Antalet resor ska vara mellan {low} och {high:,}".replace(",", " ")


FIELDS: dict[str, FormField] = {
    "personal_number": FormField("personnummer", "Personnumret",
                                 "Skriv personnumret, t.ex. 19121212-1212"),
    "first_name": FormField("fornamn", "Förnamnet", "Skriv förnamnet"),
    "last_name": FormField("efternamn", "Efternamnet", "Skriv efternamnet"),
    "address.street": FormField("gata", "Gatuadressen", "Skriv gatuadressen"),
    "address.postal_code": FormField("postnummer", "Postnumret",
                                     "Skriv postnumret med fem siffror, t.ex. 831 30"),
    "address.city": FormField("ort", "Orten", "Skriv orten"),
    "address.municipality_code": FormField("kommun", "Kommunkoden", "Välj kommun"),
    "address.lat": FormField("lat", "Latituden",
                             "Skriv latituden i grader med siffror, t.ex. 63,18",
                             _swapped("Latituden", Address, "lat")),
    "address.lon": FormField("lon", "Longituden",
                             "Skriv longituden i grader med siffror, t.ex. 14,64",
                             _swapped("Longituden", Address, "lon")),
    "phone": FormField("telefon", "Telefonnumret",
                       "Skriv telefonnumret med minst fem siffror, t.ex. 070-123 45 67; "
                       "mellan siffrorna bara mellanslag, bindestreck, + ( ) eller /"),
    "language": FormField("sprak", "Språkkoden",
                          "Skriv språkets namn, t.ex. finska, eller en kod med två eller "
                          "tre bokstäver, t.ex. fi"),
    "driver_notes": FormField("forare", "Informationen åt föraren",
                              "Skriv informationen åt föraren"),
    "student_until": FormField("studerande_till", "Datumet för studierna",
                               "Skriv sista dagen som studerande som ÅÅÅÅ-MM-DD, eller dag "
                               "och månad som 3/12, eller lämna fältet tomt"),
    "kind": FormField("typ", "Typen", "Välj typ i listan"),
    "principal": FormField("huvudman", "Huvudmannen", "Välj huvudman i listan"),
    "valid_from": FormField("fran_datum", "Startdatumet", "Skriv startdatumet som ÅÅÅÅ-MM-DD, "
                            "eller dag och månad som 3/12"),
    "valid_until": FormField("till_datum", "Slutdatumet", "Skriv slutdatumet som ÅÅÅÅ-MM-DD, "
                             "eller dag och månad som 3/12"),
    "notes": FormField("anteckning", "Anteckningen", "Skriv anteckningen"),
    "modes": FormField("fardsatt_taxi", "Färdsätten", "Välj minst ett färdsätt"),
    "issuer_id": FormField("utfardare", "Intygsutfärdaren", "Välj intygsutfärdare i listan"),
    "trips_allowed": FormField("antal_resor", "Antalet resor",
                               "Skriv antalet resor med siffror, eller lämna fältet tomt",
                               _trips_range()),
    "reason": FormField("skal", "Det medicinska skälet", "Skriv det medicinska skälet"),
}  # fmt: skip
# Each text field's maxlength on the register's pages: the schema's limit where the schema
# has one; else the most the page reads (a personnummer written with spaces, "19121212 -
# 1212"; a postcode "831 30"; a language's longest Swedish name; a date in the desk's forms).
NUMBER_MOST = 20  # a personnummer, or a latitude or longitude in degrees
DATE_MOST = 20  # "2026-12-02", "3/12", "3/12/2026", with room for spaces
FIELD_MAXLENGTH: dict[str, int] = {
    "personnummer": NUMBER_MOST,
    "fornamn": schema_max_length(TravellerCreate, "first_name"),
    "efternamn": schema_max_length(TravellerCreate, "last_name"),
    "gata": schema_max_length(Address, "street"),
    "postnummer": len("831 30"),  # the schema's pattern: five digits, a space between
    "ort": schema_max_length(Address, "city"),
    "lat": NUMBER_MOST,
    "lon": NUMBER_MOST,
    "telefon": schema_max_length(TravellerCreate, "phone"),
    "sprak": max(len(name) for name in LANGUAGE_CODES),
    "forare": schema_max_length(TravellerCreate, "driver_notes"),
    "studerande_till": DATE_MOST,
    "fran_datum": DATE_MOST,
    "till_datum": DATE_MOST,
    "anteckning": schema_max_length(PermitCreate, "notes"),
    "intyg_fran": DATE_MOST,
    "intyg_till": DATE_MOST,
    "antal_resor": len(str(_bounds(CertificateCreate, "trips_allowed")[1])),
    "skal": schema_max_length(CertificateCreate, "reason"),
}

# A field the form does not show (the page sets it): said of the whole form.
UNKNOWN = FormField(
    "personnummer", "Uppgiften", "Formuläret kunde inte läsas: läs in sidan igen och fyll i det"
)

# The page works out the home's coordinates itself (`_locate`) and says why when it cannot;
# the schema's complaint that one is missing would blame fields nobody typed in.
PLACED_BY_PAGE = {"address.lat", "address.lon"}
RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}

# The personnummer module's reasons (English, for the API), said as what to fix.
PERSONAL_NUMBER_SV = (
    ("must be 10 or 12 digits",
     "Skriv personnumret med 10 eller 12 siffror, t.ex. 19121212-1212 eller 121212-1212"),
    ("already states the century",
     "Ett personnummer med 12 siffror skrivs med bindestreck, inte plustecken: "
     "t.ex. 19121212-1212"),
    ("no valid date of birth",
     "Personnumret har inget giltigt födelsedatum: kontrollera år, månad och dag"),
    ("born in the future", "Personnumret har ett födelsedatum i framtiden: kontrollera det"),
    ("check digit", "Personnumret har fel kontrollsiffra: kontrollera det"),
)  # fmt: skip
INVISIBLE = (
    "Personnumret innehåller ett osynligt tecken, kanske från inklistrad text: "
    "radera det och skriv numret med siffror"
)
# Unicode categories of characters that show as nothing or as a space.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Zs"}


def field_of(api_field: str | None) -> str:
    """The form field an API field is entered in (the first field when unknown)."""
    return FIELDS.get(api_field or "", UNKNOWN).id


def personal_number_sv(reason: str) -> str:
    """A refused personnummer's reason said in Swedish as what to fix."""
    for fragment, message in PERSONAL_NUMBER_SV:
        if fragment in reason:
            return message
    return "Personnumret kan inte läsas: skriv det som 19121212-1212 eller 121212-1212"


def _message(field: FormField, problem: ErrorDetails) -> str:
    """What is wrong with the field, by the kind of the schema's objection (its limits are
    the schema's own, from the error's context)."""
    kind = problem["type"]
    if kind == "string_too_long":
        return f"{field.noun} får vara högst {problem.get('ctx', {})['max_length']} tecken"
    if kind in RANGE_ERRORS and field.out_of_range:
        return field.out_of_range
    return field.write


# The fields in the order the forms show them: the error summary lists its messages so
# (the page finds some faults itself before the schema finds others, and listed Kommun
# second, above the names).
FORM_ORDER = (
    "personnummer", "fornamn", "efternamn", "gata", "postnummer", "ort", "kommun", "lat",
    "lon", "telefon", "sprak", "forare", "studerande_till",
    "typ", "huvudman", "fran_datum", "till_datum", "anteckning",
    "utfardare", "fardsatt_taxi", "antal_resor", "skal",
)  # fmt: skip


def in_form_order(errors: FormErrors) -> None:
    """Order the errors as their fields appear (a field the list lacks goes last)."""
    rank = {name: index for index, name in enumerate(FORM_ORDER)}
    errors.messages = dict(
        sorted(errors.messages.items(), key=lambda item: rank.get(item[0], len(rank)))
    )


def _validated(model: type[M], data: dict[str, Any], errors: FormErrors) -> M | None:
    """The API's request, or None when the form has an error: one the page found itself
    (already in `errors`) or one the schema finds; so nothing is stored while the page
    shows an error. The errors come out in the form's order."""
    try:
        validated = model.model_validate(data)
    except ValidationError as error:
        for problem in error.errors():
            name = ".".join(str(p) for p in problem["loc"] if not isinstance(p, int))
            if name in PLACED_BY_PAGE and problem["input"] is None:
                continue
            field = FIELDS.get(name, UNKNOWN)
            errors.add(field.id, _message(field, problem))
        in_form_order(errors)
        return None
    in_form_order(errors)
    return None if errors else validated


def _number(text: str) -> float | None:
    value = text.strip().replace(",", ".")
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def municipality_codes(session: Session) -> set[str]:
    """The municipalities a home may be in: those the form lists."""
    return {p.code for p in list_principals(session=session) if p.kind == "municipality"}


def _municipality(session: Session, form: Mapping[str, str], errors: FormErrors) -> str | None:
    """The chosen municipality's code, or None with what to fix when none of the listed
    ones is chosen (a well-formed code that names no municipality passes the schema)."""
    code = form.get("kommun", "").strip()
    if not code:
        errors.add("kommun", FIELDS["address.municipality_code"].write)
        return None
    if code not in municipality_codes(session):
        shown = code if len(code) <= 12 else code[:12] + "…"
        errors.add("kommun", f"Kommunkoden {shown} finns inte: välj en kommun i listan")
        return None
    return code


def _degrees(text: str, api_field: str, errors: FormErrors) -> float | None:
    field = FIELDS[api_field]
    if not text:
        errors.add(field.id, f"Skriv {field.noun.lower()} också, eller lämna båda tomma för "
                             "ortens läge")  # fmt: skip
        return None
    value = _number(text)
    if value is None:
        errors.add(field.id, field.write)
    return value


def _locate(
    session: Session, form: Mapping[str, str], municipality: str | None, errors: FormErrors
) -> tuple[float | None, float | None]:
    """Typed coordinates, or the locality's when none were typed; None where the home
    cannot be placed, always with the reason in `errors` (a wrong municipality is reported
    at its own field)."""
    lat_text, lon_text = form.get("lat", "").strip(), form.get("lon", "").strip()
    if lat_text or lon_text:
        return _degrees(lat_text, "address.lat", errors), _degrees(lon_text, "address.lon", errors)
    if municipality is None:
        return None, None
    found = search_places(session=session, query=form.get("ort", "").strip() or None,
                          municipality_code=municipality, limit=1)  # fmt: skip
    if not found:
        found = search_places(session=session, query=None, kind="locality",
                              municipality_code=municipality, limit=1)  # fmt: skip
    if not found:
        errors.add("lat", "Kommunen har ingen ort i ortregistret: skriv latitud och longitud")
        return None, None
    return found[0].lat, found[0].lon


def _address(session: Session, form: Mapping[str, str], errors: FormErrors) -> dict[str, Any]:
    municipality = _municipality(session, form, errors)
    lat, lon = _locate(session, form, municipality, errors)
    return {
        "street": form.get("gata", "").strip(),
        "postal_code": form.get("postnummer", "").strip(),
        "city": form.get("ort", "").strip(),
        "municipality_code": form.get("kommun", "").strip(),
        "lat": lat,
        "lon": lon,
    }


def _personal_number(form: Mapping[str, str], today: date, errors: FormErrors) -> str:
    """The typed personnummer, checked here as the service will check it, so its fault is
    said in Swedish and together with the other fields' (the service's reasons are
    English, for the API)."""
    text = form.get("personnummer", "").strip()
    if not text:
        errors.add("personnummer", FIELDS["personal_number"].write)
    elif any(unicodedata.category(c) in INVISIBLE_CATEGORIES and c != " " for c in text):
        errors.add("personnummer", INVISIBLE)
    else:
        try:
            parse_personal_number(text, today=today)
        except InputError as error:
            errors.add("personnummer", personal_number_sv(error.message))
    return text


# `web.typed`'s words for a date it cannot read: said at the field in the field's own words.
# (A date that does not exist, "2026-02-31" as "31/2", keeps its own: "Datumet finns inte".)
FORMAT_SAID = "Skriv datumet som ÅÅÅÅ-MM-DD, eller dag och månad som 3/12"
DateReader = Callable[..., date]


def _typed_date(
    form: Mapping[str, str],
    name: str,
    errors: FormErrors,
    *,
    today: date,
    api_field: str,
    reader: DateReader = parse_date,
) -> str | None:
    """The field's date as ISO for the schema, read as the booking desk reads it
    (`web.typed`: "2026-12-02", "3/12", "3/12/2026"), or None when empty or unreadable,
    then with what to fix at the field: that the date does not exist, or the format."""
    text = form.get(name, "").strip()
    if not text:
        return None
    try:
        return reader(text, today=today).isoformat()
    except FieldError as unreadable:
        said = str(unreadable)
        errors.add(name, said if said != FORMAT_SAID else FIELDS[api_field].write)
        return None


def _person(form: Mapping[str, str], errors: FormErrors, today: date) -> dict[str, Any]:
    """The fields every reader may change, a protected identity's too: what the trip and
    its fee need, none of which says who the person is or where they live."""
    return {
        "phone": form.get("telefon", "").strip() or None,
        "language": language_code(form.get("sprak", "")) or "sv",
        "mobility_aids": [aid for aid, name in AIDS_FIELDS.items() if form.get(name)],
        "driver_notes": form.get("forare", "").strip() or None,
        "specified_disability": bool(form.get("funktionsnedsattning")),
        "student_until": _typed_date(
            form, "studerande_till", errors, today=today, api_field="student_until"
        ),
    }


def traveller_create(
    session: Session, form: Mapping[str, str], *, today: date
) -> tuple[TravellerCreate | None, FormErrors]:
    """The new traveller, or None and every field's fault (`today` dates the personnummer)."""
    errors = FormErrors()
    data = {
        "personal_number": _personal_number(form, today, errors),
        "first_name": form.get("fornamn", "").strip(),
        "last_name": form.get("efternamn", "").strip(),
        "protected_identity": bool(form.get("skyddad")),
        "asylum_housing": bool(form.get("asylboende")),
        "address": _address(session, form, errors),
        **_person(form, errors, today),
    }
    return _validated(TravellerCreate, data, errors), errors


def traveller_update(
    session: Session, form: Mapping[str, str], *, visible: bool, today: date
) -> tuple[TravellerUpdate | None, FormErrors]:
    """The changes; for a protected identity the user may not see, only the fields that do
    not reveal it (aids, language), and notes to the driver written anew (the stored ones
    are not shown, so a blank field keeps them)."""
    errors = FormErrors()
    version = form.get("version", "")
    data: dict[str, Any] = {"version": whole_number(version) or 0}
    data |= _person(form, errors, today)
    if visible:
        data |= {
            "first_name": form.get("fornamn", "").strip(),
            "last_name": form.get("efternamn", "").strip(),
            "protected_identity": bool(form.get("skyddad")),
            "asylum_housing": bool(form.get("asylboende")),
            "address": _address(session, form, errors),
        }
    else:
        del data["phone"]
        if data["driver_notes"] is None:  # the stored notes are not shown: blank keeps them
            del data["driver_notes"]
    return _validated(TravellerUpdate, data, errors), errors


def _period(
    form: Mapping[str, str], errors: FormErrors, today: date
) -> tuple[str | None, str | None]:
    """A permit's or certificate's first and last day. The first is the nearest such day
    ("1/12" on 5 December is 1 December: a decision may date back), the last the next
    such day from the first ("30/6" after 1 December is next June)."""
    first = _typed_date(form, "fran_datum", errors, today=today, api_field="valid_from",
                        reader=parse_picked_day)  # fmt: skip
    last = _typed_date(form, "till_datum", errors, api_field="valid_until",
                       today=date.fromisoformat(first) if first else today)  # fmt: skip
    return first, last


def permit_create(
    form: Mapping[str, str], *, today: date
) -> tuple[PermitCreate | None, FormErrors]:
    errors = FormErrors()
    first, last = _period(form, errors, today)
    data = {
        "kind": form.get("typ", ""),
        "principal": form.get("huvudman", ""),
        "valid_from": first,
        "valid_until": last,
        "notes": form.get("anteckning", "").strip() or None,
        **{flag: bool(form.get(flag)) for flag in PERMIT_FLAGS},
    }
    return _validated(PermitCreate, data, errors), errors


def certificate_create(
    form: Mapping[str, str], traveller: Traveller, *, today: date
) -> tuple[CertificateCreate | None, FormErrors]:
    errors = FormErrors()
    issuer = form.get("utfardare", "")
    trips = form.get("antal_resor", "").strip()
    first, last = _period(form, errors, today)
    data = {
        "principal": traveller.municipality_code[:2],
        "kind": form.get("typ", ""),
        "modes": [m for m in CERTIFICATE_MODES if form.get(f"fardsatt_{m}")],
        "valid_from": first,
        "valid_until": last,
        # Text that is no count goes on as text, for the validation to name the field.
        "trips_allowed": whole_number(trips, most=99_999) or trips or None,
        "issuer_id": whole_number(issuer),
        "companion_allowed": bool(form.get("medresenar_tillats")),
        "reason": form.get("skal", "").strip() or None,
    }
    return _validated(CertificateCreate, data, errors), errors
