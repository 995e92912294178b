"""The traveller's language as the desk types it: a code (ISO 639, as stored), or the
language's Swedish name, which an operator on the phone writes sooner than a code.

The names are the languages most spoken in the two regions beside Swedish, the national
minority languages (Finnish, Meänkieli, the Sami languages, Romani, Yiddish) and Swedish
sign language, which an interpreter booking needs as much as a spoken one."""

from __future__ import annotations

from samfard.geo.places import search_key

LANGUAGE_CODES: dict[str, str] = {
    "svenska": "sv",
    "engelska": "en",
    "finska": "fi",
    "meänkieli": "fit",
    "samiska": "se",
    "nordsamiska": "se",
    "lulesamiska": "smj",
    "sydsamiska": "sma",
    "umesamiska": "sju",
    "romani": "rom",
    "jiddisch": "yi",
    "svenskt teckenspråk": "swl",
    "teckenspråk": "swl",
    "arabiska": "ar",
    "somaliska": "so",
    "tigrinja": "ti",
    "persiska": "fa",
    "dari": "prs",
    "pashto": "ps",
    "kurdiska": "ku",
    "turkiska": "tr",
    "polska": "pl",
    "ryska": "ru",
    "ukrainska": "uk",
    "bosniska": "bs",
    "kroatiska": "hr",
    "serbiska": "sr",
    "albanska": "sq",
    "tyska": "de",
    "franska": "fr",
    "spanska": "es",
    "thai": "th",
    "norska": "no",
    "danska": "da",
    "estniska": "et",
    "amhariska": "am",
}
_BY_KEY = {search_key(name): code for name, code in LANGUAGE_CODES.items()}


def language_code(typed: str) -> str:
    """The code for what was typed: a known Swedish name's code, whatever its case and
    accents; else the text as typed in lower case, for the schema to judge as a code."""
    text = typed.strip()
    return _BY_KEY.get(search_key(text), text.lower())
