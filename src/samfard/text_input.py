"""Text the databases can store: a NUL character (U+0000) is refused at the door.

PostgreSQL cannot keep NUL in a text column and fails the whole statement; SQLite keeps it
and silently cuts names short in some clients. No name, address or note needs one, so every
request is checked once, here, for every route (query, path, JSON or form body) instead of
giving each of the many text fields its own rule, and the answer is 422 naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request

from samfard.errors import InputError

NUL = "\x00"
FORM_MEDIA = "application/x-www-form-urlencoded"
MULTIPART_MEDIA = "multipart/form-data"


def is_json(media: str) -> bool:
    """Whether FastAPI reads a body of `media` as JSON: application/json and every
    application/…+json (merge-patch+json, vnd.api+json, …), as its own check does, so no
    JSON body slips past the NUL check under another name."""
    kind, _, subtype = media.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def request_form_parsed(request: Request) -> bool:
    """True when Starlette holds the parsed form (its body stream is then used up)."""
    return getattr(request, "_form", None) is not None


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every (field path, text) in a parsed JSON document, keys included."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            yield path, str(key)
            yield from _strings(item, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


async def _body_strings(request: Request) -> Iterator[tuple[str, str]]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == MULTIPART_MEDIA or (media == FORM_MEDIA and request_form_parsed(request)):
        # FastAPI parsed the form already for a route's Form() fields (the stream is read,
        # the parsed form is cached): look at that. Multipart is only ever read this way.
        form = await request.form()
        return iter([(k, v) for k, v in form.multi_items() if isinstance(v, str)])
    if media == FORM_MEDIA:  # a route that reads the raw body itself, e.g. login
        body = await request.body()
        return iter(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    if not is_json(media):
        return iter(())
    body = await request.body()
    if b"\\u0000" not in body and b"\x00" not in body:
        return iter(())  # the common case: no NUL can be in this document
    try:
        return _strings(json.loads(body), "")
    except (ValueError, RecursionError):
        return iter(())  # not JSON, or nested too deep: the route's own parsing says so


async def refuse_nul_characters(request: Request) -> None:
    """Dependency of the whole application: 422 when any text of the request holds NUL."""
    found = [
        *request.query_params.multi_items(),
        *((name, str(value)) for name, value in request.path_params.items()),
        *await _body_strings(request),
    ]
    for field, text in found:
        if NUL in text or NUL in field:
            name = field.replace(NUL, "\\u0000") or "body"
            raise InputError(
                f"{name}: text must not contain the NUL character (\\u0000); remove it",
                field=name,
            )
