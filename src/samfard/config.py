"""Settings, one place: read from the environment (SAMFARD_*) with documented defaults.

The defaults give the embedded first run: a SQLite file under ./var. Production sets
SAMFARD_DATABASE_URL to PostgreSQL (postgresql+psycopg://user@host/db).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from samfard.errors import InputError


def _env(name: str, default: str) -> str:
    return os.environ.get(f"SAMFARD_{name}", default)


def _env_int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise InputError(
            f"SAMFARD_{name} must be a whole number, got {raw!r}", field=f"SAMFARD_{name}"
        ) from None


@dataclass(frozen=True)
class Settings:
    """Every knob of a Samfard process. Build with `Settings.from_env()` or directly in tests."""

    database_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    osrm_url: str | None = None
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    late_cancellation_minutes: int = 120
    secure_cookies: bool = True
    request_log_sql: bool = False
    # The day the operator pages open on; None is tomorrow. `samfard demo` sets its day.
    default_day: date | None = None

    def __post_init__(self) -> None:
        if not self.database_url:
            raise InputError("database_url must not be empty", field="SAMFARD_DATABASE_URL")
        if not 0 < self.port < 65536:
            raise InputError(f"port must be 1-65535, got {self.port}", field="SAMFARD_PORT")
        if self.late_cancellation_minutes < 0:
            raise InputError(
                f"late_cancellation_minutes must be >= 0, got {self.late_cancellation_minutes}",
                field="SAMFARD_LATE_CANCELLATION_MINUTES",
            )

    @staticmethod
    def default_sqlite_url() -> str:
        data_dir = Path(_env("DATA_DIR", "var")).resolve()
        return f"sqlite:///{data_dir / 'samfard.sqlite3'}"

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=_env("DATABASE_URL", "") or cls.default_sqlite_url(),
            host=_env("HOST", "127.0.0.1"),
            port=_env_int("PORT", 8000),
            osrm_url=_env("OSRM_URL", "") or None,
            tile_url=_env("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            late_cancellation_minutes=_env_int("LATE_CANCELLATION_MINUTES", 120),
            secure_cookies=_env("SECURE_COOKIES", "1") not in ("0", "false", "no"),
            request_log_sql=_env("LOG_SQL", "0") in ("1", "true", "yes"),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
