"""Every whole number a client may send has a largest value: an id of 99999999999 overflowed
PostgreSQL's integer column (500), and one of twenty digits SQLite's, where a 422 naming
the field was the answer."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

from helpers import NOW, auth, token_for
from samfard.access.permissions import Role

REF = re.compile(r"#/components/schemas/([A-Za-z0-9_]+)")


def _unbounded(schema: Any, path: str, found: list[str]) -> None:
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "integer" and "maximum" not in schema:
        found.append(path)
    for name, child in (schema.get("properties") or {}).items():
        _unbounded(child, f"{path}.{name}", found)
    for key in ("anyOf", "oneOf", "allOf"):
        for child in schema.get(key) or []:
            _unbounded(child, path, found)
    _unbounded(schema.get("items"), f"{path}[]", found)


def test_every_integer_a_client_sends_has_a_maximum(app_client: TestClient) -> None:
    document = app_client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    found: list[str] = []
    sent: set[str] = set()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                sent.update(REF.findall(json.dumps(content.get("schema", {}))))
            for parameter in operation.get("parameters", []):
                name = f"{method.upper()} {path} {parameter['name']}"
                _unbounded(parameter.get("schema"), name, found)
    seen: set[str] = set()
    while sent:
        name = sent.pop()
        if name not in seen:
            seen.add(name)
            sent.update(REF.findall(json.dumps(schemas.get(name, {}))))
            _unbounded(schemas.get(name), name, found)
    assert len(seen) > 20, "the request bodies were found"
    assert found == []


def test_an_id_too_large_for_the_database_is_a_422(app_client: TestClient, session: Any) -> None:
    admin = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="bounds-admin")
    body = {"username": "big", "password": "Probe-pass-2026x", "role": "traveller",
            "principal_codes": ["2380"], "traveller_id": 99_999_999_999}  # fmt: skip
    answer = app_client.post("/api/v1/users", json=body, headers=auth(admin))
    assert answer.status_code == 422 and answer.json()["field"] == "traveller_id", answer.text
