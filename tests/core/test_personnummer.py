"""Personnummer and samordningsnummer validation (Skatteverket's rules)."""

from __future__ import annotations

from datetime import date

import pytest

from samfard.errors import InputError
from samfard.travellers.personnummer import luhn_check_digit, parse_personal_number

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "canonical", "born"),
    [
        ("19121212-1212", "191212121212", date(1912, 12, 12)),
        ("191212121212", "191212121212", date(1912, 12, 12)),
        ("121212+1212", "191212121212", date(1912, 12, 12)),  # '+' means 100 or older
        ("121212-1212", "201212121212", date(2012, 12, 12)),
        ("1212121212", "201212121212", date(2012, 12, 12)),
        ("811218-9876", "198112189876", date(1981, 12, 18)),
        ("701063-2391", "197010632391", date(1970, 10, 3)),  # samordningsnummer: day + 60
        # Digits of other scripts are the digits they are: stored as typed they made a
        # second record of the same person (walk-through, seventh session of 2026-12-06).
        ("١٩١٢١٢١٢-١٢١٢", "191212121212", date(1912, 12, 12)),  # Arabic-Indic
        ("１９１２１２１２１２１２", "191212121212", date(1912, 12, 12)),  # full width
        ("۸۱۱۲۱۸-۹۸۷۶", "198112189876", date(1981, 12, 18)),  # Persian
    ],
)
def test_valid_numbers_are_normalised_to_twelve_digits(
    text: str, canonical: str, born: date
) -> None:
    number = parse_personal_number(text, today=TODAY)
    assert number.value == canonical
    assert number.birth_date == born


def test_coordination_number_is_flagged() -> None:
    assert parse_personal_number("701063-2391", today=TODAY).is_coordination_number
    assert not parse_personal_number("811218-9876", today=TODAY).is_coordination_number


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("19121212-1213", "check digit"),
        ("811318-9876", "no valid date"),  # month 13
        ("810230-1234", "no valid date"),  # 30 February
        ("12345", "10 or 12 digits"),
        ("19121212+1212", "already states the century"),
        ("20301212-1212", "future"),
        ("abcdefghij", "10 or 12 digits"),
    ],
)
def test_invalid_numbers_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        parse_personal_number(text, today=TODAY)
    assert caught.value.field == "personal_number"


def test_luhn_digit_of_the_skatteverket_example() -> None:
    assert luhn_check_digit("811218987") == 6


def test_ten_digit_number_born_later_this_year_is_from_the_last_century() -> None:
    """A 10-digit number with '-' whose birthday this century lies ahead is 100 years older."""
    number = parse_personal_number(
        "261231-0000"[:-1] + str(luhn_check_digit("261231000")), today=TODAY
    )
    assert number.birth_date == date(1926, 12, 31)
