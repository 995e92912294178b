"""Settings, one place: read from the environment (SAMFARD_*) with documented defaults.

The defaults give the embedded first run: a SQLite file under ./var. Production sets
SAMFARD_DATABASE_URL to PostgreSQL (postgresql+psycopg://user@host/db).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
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


MAX_BEARER_TOKEN_HOURS = 30 * 24


@dataclass(frozen=True)
class Settings:
    """Every knob of a Samfard process. Build with `Settings.from_env()` or directly in tests."""

    database_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    osrm_url: str | None = None
    # A GTFS feed (zip or folder) for the public-transport check; None: the demo feed;
    # "off": no check (the authorisation decides alone).
    gtfs_path: str | None = None
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    late_cancellation_minutes: int = 120
    secure_cookies: bool = True
    request_log_sql: bool = False
    # Database connections per worker process: pool_size kept open, max_overflow more under
    # load; a request waits at most pool_timeout seconds for one, then gets 503 Retry-After.
    # Keep workers x (pool_size + max_overflow) below PostgreSQL's max_connections.
    db_pool_size: int = 10
    db_max_overflow: int = 5
    db_pool_timeout: int = 10
    # Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed;
    # empty: none, the client address is the TCP peer (the login rate limit keys on it).
    trusted_proxies: tuple[str, ...] = ()
    # Life of a bearer token from POST /auth/token; page sessions live 10 hours.
    bearer_token_hours: int = 12
    # The day the operator pages open on; None is tomorrow. `samfard demo` sets its day.
    default_day: date | None = None
    # Folder of scenario SPECs (TOML) the page /uppfoljning/scenario offers to run.
    scenario_dir: Path = Path("scenarios")

    def __post_init__(self) -> None:
        if not self.database_url:
            raise InputError("database_url must not be empty", field="SAMFARD_DATABASE_URL")
        for name, value, least in (
            ("DB_POOL_SIZE", self.db_pool_size, 1),
            ("DB_MAX_OVERFLOW", self.db_max_overflow, 0),
            ("DB_POOL_TIMEOUT", self.db_pool_timeout, 1),
            ("BEARER_TOKEN_HOURS", self.bearer_token_hours, 1),
        ):
            if value < least:
                raise InputError(
                    f"SAMFARD_{name} must be at least {least}, got {value}",
                    field=f"SAMFARD_{name}",
                )
        if self.bearer_token_hours > MAX_BEARER_TOKEN_HOURS:
            raise InputError(
                f"SAMFARD_BEARER_TOKEN_HOURS must be at most {MAX_BEARER_TOKEN_HOURS} (30 days), "
                f"got {self.bearer_token_hours}",
                field="SAMFARD_BEARER_TOKEN_HOURS",
            )
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
            gtfs_path=_env("GTFS", "") or None,
            tile_url=_env("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            late_cancellation_minutes=_env_int("LATE_CANCELLATION_MINUTES", 120),
            secure_cookies=_env("SECURE_COOKIES", "1") not in ("0", "false", "no"),
            request_log_sql=_env("LOG_SQL", "0") in ("1", "true", "yes"),
            db_pool_size=_env_int("DB_POOL_SIZE", 10),
            db_max_overflow=_env_int("DB_MAX_OVERFLOW", 5),
            db_pool_timeout=_env_int("DB_POOL_TIMEOUT", 10),
            trusted_proxies=tuple(
                p.strip() for p in _env("TRUSTED_PROXIES", "").split(",") if p.strip()
            ),
            bearer_token_hours=_env_int("BEARER_TOKEN_HOURS", 12),
            scenario_dir=Path(_env("SCENARIO_DIR", "scenarios")),
        )

    @property
    def bearer_token_lifetime(self) -> timedelta:
        return timedelta(hours=self.bearer_token_hours)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
