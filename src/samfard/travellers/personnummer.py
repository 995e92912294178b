"""Swedish personal identity numbers (personnummer) and coordination numbers
(samordningsnummer), validated as Skatteverket defines them.

Accepted: 10 digits (YYMMDDNNNC, with '-' or '+' before the last four, or none) and
12 digits (YYYYMMDDNNNC, optionally with '-'). '+' marks a person aged 100 or more, which is
how the century of a 10-digit number is known. A coordination number adds 60 to the day.
The check digit C is the Luhn digit over the 9 digits YYMMDDNNN. Stored as 12 digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from samfard.errors import InputError

_PATTERN = re.compile(r"^(\d{2})?(\d{6})([-+]?)(\d{4})$", re.ASCII)


@dataclass(frozen=True)
class PersonalNumber:
    """A validated number: `value` is the canonical 12 digits YYYYMMDDNNNC."""

    value: str
    birth_date: date
    is_coordination_number: bool

    def formatted(self) -> str:
        return f"{self.value[:8]}-{self.value[8:]}"


def luhn_check_digit(nine_digits: str) -> int:
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def parse_personal_number(
    text: str, *, today: date, field: str = "personal_number"
) -> PersonalNumber:
    """Validate and normalise; `today` decides the century of a 10-digit number."""
    # Digits of other scripts (Arabic-Indic "١٩٤٥…") are read as the digits they are: kept
    # as typed they were stored beside the same number in 0-9, a second record of one
    # person (walk-through of the seventh session of 2026-12-06).
    raw = "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text.strip()
    ).replace(" ", "")
    match = _PATTERN.match(raw)
    if match is None:
        raise InputError(
            f"personal number {text!r} must be 10 or 12 digits, e.g. 19121212-1212 or "
            "121212-1212 ('+' instead of '-' for people aged 100 or more)",
            field=field,
        )
    century, yymmdd, separator, last4 = match.groups()
    if century is not None and separator == "+":
        raise InputError(
            "a 12-digit personal number already states the century; use '-' not '+'",
            field=field,
        )
    month, day_part = int(yymmdd[2:4]), int(yymmdd[4:6])
    coordination = day_part > 60
    day = day_part - 60 if coordination else day_part
    if century is not None:
        year = int(century + yymmdd[:2])
    else:
        year = _infer_year(int(yymmdd[:2]), month, day, plus=separator == "+", today=today)
    try:
        birth = date(year, month, day)
    except ValueError:
        kind = "coordination number" if coordination else "personal number"
        raise InputError(
            f"{kind} {text!r} has no valid date of birth ({year:04d}-{month:02d}-{day:02d})",
            field=field,
        ) from None
    if birth > today:
        raise InputError(f"personal number {text!r} is born in the future", field=field)
    expected = luhn_check_digit(yymmdd + last4[:3])
    if int(last4[3]) != expected:
        raise InputError(
            f"personal number {text!r} has a wrong check digit: check for a typing error",
            field=field,
        )
    value = f"{year:04d}{yymmdd[2:]}{last4}"
    return PersonalNumber(value=value, birth_date=birth, is_coordination_number=coordination)


def _infer_year(yy: int, month: int, day: int, *, plus: bool, today: date) -> int:
    """The latest year ending in yy whose birthday is not in the future; 100 years more
    back when the number is written with '+'."""
    year = today.year - (today.year - yy) % 100
    try:
        birthday = date(year, month, day)
    except ValueError:  # an invalid date is reported by the caller; Feb 29 needs a leap year
        birthday = date(year, month, 28) if 1 <= month <= 12 else today
    if birthday > today:
        year -= 100
    return year - 100 if plus else year


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
