"""`samfard notify deliver` sends the due messages with the sender the environment names
(here the log sender) and says how many went."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.cli import main
from samfard.config import get_settings
from samfard.db import make_engine, upgrade
from samfard.notify.models import OutboxMessage


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'notify.sqlite3'}"
    monkeypatch.setenv("SAMFARD_DATABASE_URL", url)
    monkeypatch.delenv("SAMFARD_SMS_URL", raising=False)
    get_settings.cache_clear()
    upgrade(url)
    yield url
    get_settings.cache_clear()


def test_deliver_sends_what_is_due_once(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    engine = make_engine(database)
    past = datetime(2026, 11, 1, 8, tzinfo=UTC)
    with Session(engine) as session:
        session.add(
            OutboxMessage(
                created_at=past,
                kind="eta",
                channel="sms",
                traveller_id=1,
                recipient="070-1",
                text="Bilen är på väg",
                status="pending",
                attempts=0,
                next_attempt_at=past,
            )  # fmt: skip
        )
        session.commit()
    assert main(["notify", "deliver"]) == 0
    assert "sent 1, to retry 0, failed 0" in capsys.readouterr().out
    assert main(["notify", "deliver"]) == 0
    assert "sent 0" in capsys.readouterr().out
    with Session(engine) as session:
        assert session.scalars(select(OutboxMessage.status)).all() == ["sent"]
    engine.dispose()
