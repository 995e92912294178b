"""The account forms of /admin (a new account, a change of role and scope) read as a
whole: every problem said at once, in Swedish, at its field, listed in the error summary
in the order of the form (GOV.UK's pattern, as /intyg does).

The form said one problem at a time: a short password, an unknown principal and a
missing care unit took three tries, each showing only the first the service met. The
page now asks the service's own rules for every refusal (`users.problems`), so the
service stays the authority and the page repeats none of its rules; the service checks
again when it saves.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session

from samfard.access import users
from samfard.access.actor import ALL_PRINCIPALS, Actor
from samfard.access.passwords import check_policy
from samfard.access.permissions import SCOPE_ROLES, Role
from samfard.access.schemas import UserChange, UserCreate
from samfard.errors import DomainError, InputError
from samfard.web.shell import ROLE_SV, FormErrors
from samfard.web.typed import whole_number

Form = TypeVar("Form", UserCreate, UserChange)

# Form field ids (Swedish, as the page shows them) by the service's field names.
FIELDS = {
    "username": "anvandarnamn",
    "display_name": "namn",
    "password": "losenord",
    "role": "roll",
    "principal_codes": "huvudman",
    "carrier_id": "utforare",
    "care_unit": "vardenhet",
    "vehicle_id": "fordon",
    "traveller_id": "resenar",
    "may_see_protected": "roll",
    "user_id": "roll",
}

# Each field as the subject of a sentence, and what to write there.
FIELDS_SV: dict[str, tuple[str, str]] = {
    "username": ("Användarnamnet", "Ange ett användarnamn."),
    "display_name": ("Namnet", "Ange namnet."),
    "password": ("Lösenordet", "Ange ett startlösenord."),
    "role": ("Rollen", "Välj en roll i listan."),
    "principal_codes": (
        "Huvudmannens kod",
        "Ange huvudmännen med kommun- eller länskod, till exempel 23, 2380.",
    ),
    "carrier_id": ("Utförarens id", "Ange utförarens id som ett heltal."),
    "care_unit": ("Vårdenhetens namn", "Ange vårdenheten."),
    "vehicle_id": ("Fordonets id", "Ange fordonets id som ett heltal."),
    "traveller_id": ("Resenärens id", "Ange resenärens id som ett heltal."),
}
# What a scoped role needs (permissions.SCOPE_ROLES), as the object of "Ange".
SCOPES_SV = {
    "carrier_id": "utförarens id",
    "vehicle_id": "fordonets id",
    "care_unit": "vårdenheten",
    "traveller_id": "resenärens id",
}

USERNAME_CHARACTERS = "Användarnamnet får bara innehålla bokstäver a–z, siffror och . _ @ -."

RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def codes(text: str) -> list[str]:
    """The principal codes written with commas (or semicolons) between them."""
    return [code.strip() for code in text.replace(";", ",").split(",") if code.strip()]


def number(text: str) -> int | str | None:
    """An id as typed: a whole number, nothing, or the text for the schema to refuse."""
    text = text.strip()
    return None if not text else whole_number(text) or text


# The service's refusals by the field they name, said as what to do.
REFUSALS_SV = {
    "password": "Lösenordet ska ha minst 12 tecken och blanda bokstäver med siffror eller tecken.",
    "username": "Det finns redan ett konto med det användarnamnet; välj ett annat.",
    "principal_codes": "Ange huvudmän som finns och som ditt konto administrerar, med "
    "kommun- eller länskod (till exempel 2380).",
    "carrier_id": "Det finns ingen utförare med det id:t.",
    "vehicle_id": "Fordonet finns inte, eller körs inte av den utföraren.",
    "traveller_id": "Resenären finns inte i ditt register, eller har skyddad identitet som "
    "bara den som får se sådana kan knyta ett konto till.",
    "role": "Den rollen delar bara en systemadministratör ut.",
    "may_see_protected": "Rätten att se skyddade personuppgifter delar bara en "
    "systemadministratör ut som själv får se dem.",
    "care_unit": "Välj vårdenheten i listan: en vårdenhet i länet hos kontots huvudmän.",
    "user_id": "Du kan inte ändra roll på eller avaktivera ditt eget konto; be en annan "
    "administratör.",
}


def add_errors(
    errors: FormErrors,
    error: ValidationError | DomainError,
    prefix: str,
    data: UserCreate | UserChange | None = None,
) -> None:
    """Service and schema errors as Swedish messages on the form's fields (`data`: what the
    service was given, to tell a missing scope from a wrong one)."""
    if isinstance(error, DomainError):
        name = error.field or ""
        errors.add(prefix + FIELDS.get(name, "roll"), refusal_sv(name, data))
        return
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "role"
        errors.add(prefix + FIELDS.get(name, "roll"), _schema_sv(name, problem))


def refusal_sv(name: str, data: UserCreate | UserChange | None) -> str:
    """The service's refusal naming `name`: a scope the role needs and lacks, a scope
    another role's, or else what the service checks of that field."""
    if data is not None and name == "principal_codes" and not data.principal_codes:
        return f"Ange minst en huvudman: rollen {ROLE_SV[data.role]} arbetar för huvudmän."
    if data is not None and name == "principal_codes" and data.principal_codes:
        codes = data.principal_codes
        if len(set(codes)) < len(codes) or (ALL_PRINCIPALS in codes and len(codes) > 1):
            return "Ange varje huvudman en gång, och * (alla huvudmän) ensam."
        if data.role is Role.SYSTEM_ADMIN and codes != [ALL_PRINCIPALS]:
            return (
                "En systemadministratör arbetar för alla huvudmän: ange *. Den som "
                "administrerar några huvudmän har rollen huvudmannens administratör."
            )
    if data is not None and name in SCOPE_ROLES:
        role = ROLE_SV[data.role]
        if getattr(data, name) in (None, "") and data.role in SCOPE_ROLES[name]:
            return f"Ange {SCOPES_SV[name]}: rollen {role} behöver det."
        if data.role not in SCOPE_ROLES[name]:
            return f"{FIELDS_SV[name][0]} hör inte till rollen {role}: lämna fältet tomt."
    return REFUSALS_SV.get(name, "Ändringen gick inte; kontrollera fälten.")


def _schema_sv(name: str, problem: ErrorDetails) -> str:
    """What is wrong with a field the schema refuses, in Swedish, with the schema's own
    limits (never pydantic's English)."""
    noun, write = FIELDS_SV.get(name, ("Fältet", "Kontrollera fälten."))
    kind = problem["type"]
    limit = problem.get("ctx", {}).get("max_length")
    if kind == "string_pattern_mismatch" and name == "username":
        return USERNAME_CHARACTERS
    if kind == "too_long" and name == "principal_codes":
        return f"Ange högst {limit} huvudmän."
    if kind == "string_too_long":
        return f"{noun} får vara högst {limit} tecken."
    if kind in RANGE_ERRORS and name in UserCreate.model_fields:
        low, high = _bounds(name)
        return f"{noun} ska vara ett heltal från {low} till {high}."
    return write


def _bounds(name: str) -> tuple[Any, Any]:
    """The schema's bounds of a number field."""
    metadata = UserCreate.model_fields[name].metadata
    low = next((m.ge for m in metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in metadata if hasattr(m, "le")), None)
    return low, high


def read(
    session: Session, actor: Actor, model: type[Form], raw: dict[str, Any], prefix: str = ""
) -> tuple[Form | None, FormErrors]:
    """The form's values as `model`, or every problem with them: the schema's, then the
    service's rules run on the fields the schema took (a field the schema refused keeps
    its own message). The data comes back only when there is no problem."""
    errors = FormErrors()
    try:
        data = model.model_validate(raw)
    except ValidationError as error:
        add_errors(errors, error, prefix)
        refused = {str(p["loc"][0]) for p in error.errors() if p["loc"]}
        if "role" in refused:  # the rules depend on the role; the password's do not
            if "password" in raw and "password" not in refused:
                _policy(errors, str(raw["password"]), prefix)
            return None, errors
        kept = {k: v for k, v in raw.items() if k not in refused}
        # A refused required text (the user name, the password) stands as empty: its own
        # message is said, and the rules read it as nothing given.
        blank = {k: "" for k in ("username", "password") if k in refused}
        data = model.model_construct(**(kept | blank | {"role": Role(raw["role"])}))
    for problem in users.problems(session=session, actor=actor, data=data):
        if problem.status in (401, 403) and not problem.field:
            raise problem  # the account may not administer at all: the page's own refusal
        add_errors(errors, problem, prefix, data)
    return (None if errors else data), errors


def _policy(errors: FormErrors, password: str, prefix: str) -> None:
    try:
        check_policy(password)
    except InputError as refused:
        add_errors(errors, refused, prefix)


def in_form_order(errors: FormErrors, prefix: str = "") -> FormErrors:
    """The errors in the order of the form's fields, as the summary lists them."""
    order = [prefix + field for field in dict.fromkeys(FIELDS.values())]
    ordered = FormErrors()
    for field_id, message in sorted(
        errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)
    ):
        ordered.add(field_id, message)
    return ordered
