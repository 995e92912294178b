"""The register's page forms as the API's requests (TravellerCreate, TravellerUpdate,
PermitCreate, CertificateCreate), with errors in Swedish keyed by the form's fields.

The gazetteer has no street index, so a home without typed coordinates is placed at its
locality (the place named like the city in that municipality, else the municipality's
largest locality); the operator can type exact coordinates when they matter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from samfard.geo.places import search_places
from samfard.travellers.models import MobilityAid, Traveller
from samfard.travellers.schemas import (
    CertificateCreate,
    PermitCreate,
    TravellerCreate,
    TravellerUpdate,
)
from samfard.web.shell import FormErrors
from samfard.web.typed import whole_number

M = TypeVar("M", bound=BaseModel)

AIDS_FIELDS = {aid.value: f"hjalpmedel_{aid.value}" for aid in MobilityAid}
PERMIT_FLAGS = ("special_vehicle", "escort", "front_seat", "ride_alone", "allergy_free",
                "guide_dog")  # fmt: skip
CERTIFICATE_MODES = ("taxi", "wheelchair_vehicle", "stretcher_vehicle")

# The form field of each API field, and what to write there (the API's own message is
# English and names the API field).
FIELDS: dict[str, tuple[str, str]] = {
    "personal_number": ("personnummer", "Skriv ett giltigt personnummer, t.ex. 19121212-1212"),
    "first_name": ("fornamn", "Skriv förnamnet"),
    "last_name": ("efternamn", "Skriv efternamnet"),
    "address.street": ("gata", "Skriv gatuadressen"),
    "address.postal_code": ("postnummer", "Skriv postnumret med fem siffror, t.ex. 831 30"),
    "address.city": ("ort", "Skriv orten"),
    "address.municipality_code": ("kommun", "Välj kommun"),
    "address.lat": ("lat", "Skriv latitud i grader, t.ex. 63,18"),
    "address.lon": ("lon", "Skriv longitud i grader, t.ex. 14,64"),
    "phone": ("telefon", "Telefonnumret får vara högst 32 tecken"),
    "language": ("sprak", "Skriv språket som en kod med två eller tre bokstäver, t.ex. sv"),
    "driver_notes": ("forare", "Högst 500 tecken"),
    "kind": ("typ", "Välj typ"),
    "principal": ("huvudman", "Välj huvudman"),
    "valid_from": ("fran_datum", "Skriv datumet som 2026-12-02"),
    "valid_until": ("till_datum", "Skriv datumet som 2026-12-02"),
    "modes": ("fardsatt_taxi", "Välj minst ett färdsätt"),
    "issuer_id": ("utfardare", "Välj intygsutfärdare"),
    "trips_allowed": ("antal_resor", "Skriv ett antal resor, minst 1"),
}


def field_of(api_field: str | None) -> str:
    """The form field an API field is entered in (the first field when unknown)."""
    return FIELDS.get(api_field or "", ("personnummer", ""))[0]


def _validated(model: type[M], data: dict[str, Any], errors: FormErrors) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for problem in error.errors():
            name = ".".join(str(p) for p in problem["loc"] if not isinstance(p, int))
            field_id, message = FIELDS.get(name, ("personnummer", problem["msg"]))
            errors.add(field_id, message)
        return None


def _number(text: str) -> float | None:
    value = text.strip().replace(",", ".")
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _locate(session: Session, form: Mapping[str, str], errors: FormErrors) -> tuple[Any, Any]:
    """Typed coordinates, or the locality's when none were typed."""
    lat, lon = _number(form.get("lat", "")), _number(form.get("lon", ""))
    if form.get("lat", "").strip() and lat is None:
        errors.add("lat", FIELDS["address.lat"][1])
    if form.get("lon", "").strip() and lon is None:
        errors.add("lon", FIELDS["address.lon"][1])
    if lat is not None and lon is not None:
        return lat, lon
    municipality = form.get("kommun", "")
    found = search_places(session=session, query=form.get("ort", "").strip() or None,
                          municipality_code=municipality or None, limit=1)  # fmt: skip
    if not found and municipality:
        found = search_places(session=session, query=None, kind="locality",
                              municipality_code=municipality, limit=1)  # fmt: skip
    return (found[0].lat, found[0].lon) if found else (None, None)


def _address(session: Session, form: Mapping[str, str], errors: FormErrors) -> dict[str, Any]:
    lat, lon = _locate(session, form, errors)
    return {
        "street": form.get("gata", "").strip(),
        "postal_code": form.get("postnummer", "").strip(),
        "city": form.get("ort", "").strip(),
        "municipality_code": form.get("kommun", ""),
        "lat": lat,
        "lon": lon,
    }


def _person(form: Mapping[str, str]) -> dict[str, Any]:
    return {
        "phone": form.get("telefon", "").strip() or None,
        "language": form.get("sprak", "sv").strip() or "sv",
        "mobility_aids": [aid for aid, name in AIDS_FIELDS.items() if form.get(name)],
        "driver_notes": form.get("forare", "").strip() or None,
    }


def traveller_create(
    session: Session, form: Mapping[str, str]
) -> tuple[TravellerCreate | None, FormErrors]:
    errors = FormErrors()
    data = {
        "personal_number": form.get("personnummer", "").strip(),
        "first_name": form.get("fornamn", "").strip(),
        "last_name": form.get("efternamn", "").strip(),
        "protected_identity": bool(form.get("skyddad")),
        "asylum_housing": bool(form.get("asylboende")),
        "address": _address(session, form, errors),
        **_person(form),
    }
    return _validated(TravellerCreate, data, errors), errors


def traveller_update(
    session: Session, form: Mapping[str, str], *, visible: bool
) -> tuple[TravellerUpdate | None, FormErrors]:
    """The changes; for a protected identity the user may not see, only the fields that do
    not reveal it (aids, language), and notes to the driver written anew (the stored ones
    are not shown, so a blank field keeps them)."""
    errors = FormErrors()
    version = form.get("version", "")
    data: dict[str, Any] = {"version": whole_number(version) or 0}
    data |= _person(form)
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


def _date(form: Mapping[str, str], name: str) -> str | None:
    return form.get(name, "").strip() or None


def permit_create(form: Mapping[str, str]) -> tuple[PermitCreate | None, FormErrors]:
    errors = FormErrors()
    data = {
        "kind": form.get("typ", ""),
        "principal": form.get("huvudman", ""),
        "valid_from": _date(form, "fran_datum"),
        "valid_until": _date(form, "till_datum"),
        "notes": form.get("anteckning", "").strip() or None,
        **{flag: bool(form.get(flag)) for flag in PERMIT_FLAGS},
    }
    return _validated(PermitCreate, data, errors), errors


def certificate_create(
    form: Mapping[str, str], traveller: Traveller
) -> tuple[CertificateCreate | None, FormErrors]:
    errors = FormErrors()
    issuer = form.get("utfardare", "")
    trips = form.get("antal_resor", "").strip()
    data = {
        "principal": traveller.municipality_code[:2],
        "kind": form.get("typ", ""),
        "modes": [m for m in CERTIFICATE_MODES if form.get(f"fardsatt_{m}")],
        "valid_from": _date(form, "fran_datum"),
        "valid_until": _date(form, "till_datum"),
        # Text that is no count goes on as text, for the validation to name the field.
        "trips_allowed": whole_number(trips, most=99_999) or trips or None,
        "issuer_id": whole_number(issuer),
        "companion_allowed": bool(form.get("medresenar_tillats")),
        "reason": form.get("skal", "").strip() or None,
    }
    return _validated(CertificateCreate, data, errors), errors
