"""A page asks before an act that cannot be undone in its own dialog, in Swedish.

The browser's confirm() (htmx's hx-confirm asks with it) shows "OK" and "Cancel" in the
browser's language, in a box no page style or label reaches: every page carries the
shell's dialog and the script that asks in it instead, and no script of ours calls the
browser's boxes. The browser tests answer the dialog from the keyboard
(`browser_harness.Questions`).
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

import samfard.web

STATIC = Path(samfard.web.__file__).parent / "static"
BROWSER_BOX = re.compile(r"\b(?:window\.)?(?:confirm|alert|prompt)\s*\(")


def test_no_script_of_ours_asks_with_the_browsers_own_box() -> None:
    found = [
        f"{path.name}: {line.strip()}"
        for path in sorted(STATIC.glob("*.js"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if BROWSER_BOX.search(line.split("//", 1)[0])  # a call, not a comment naming one
    ]
    assert found == [], "ask in the page's dialog (fraga.js):\n" + "\n".join(found)


def test_every_page_carries_the_dialog_that_asks_hx_confirm(app_client: TestClient) -> None:
    page = app_client.get("/login").text
    dialog = page.split('<dialog id="fraga"', 1)[1].split("</dialog>", 1)[0]
    assert 'id="fraga-ja">Ja</button>' in dialog
    assert 'id="fraga-avbryt">Avbryt</button>' in dialog
    assert '<script src="/static/fraga.js"></script>' in page
    script = (STATIC / "fraga.js").read_text(encoding="utf-8")
    assert '"htmx:confirm"' in script and "issueRequest(true)" in script
