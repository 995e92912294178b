"""Engine, sessions, transactions and column types shared by every feature's tables.

One transaction per use case: service functions run inside `transaction(session)` so a
booking and its event, or a whole series, are stored together or not at all.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, inspect
from sqlalchemy.engine import Dialect, ExceptionContext
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from samfard.errors import DomainError

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike.

    SQLite has no time zones; storing naive UTC and re-attaching UTC on the way out keeps
    comparisons and ordering correct on both databases. A naive value is a bug: refused.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to a time zone aware column")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# How long a SQLite transaction waits for another one's write lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 15_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin; otherwise
    # SAVEPOINTs (used for nested transactions and by the test suite) silently misbehave.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()
    # SQLite's own lower() folds ASCII only, so a search for "östlund" missed "Östlund"
    # (and every name starting with Å, Ä or Ö); PostgreSQL folds by its locale.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_begin(connection: Any) -> None:
    """Every SQLite transaction takes the write lock when it begins (BEGIN IMMEDIATE).

    Almost every request writes, reads included (each read of personal data writes its audit
    entry). A deferred transaction reads first and asks for the write lock later; if another
    connection wrote in between, SQLite refuses at once with "database is locked" and the
    busy timeout cannot help, because waiting would not make the stale read fresh. Taking the
    lock first makes writers queue (up to the busy timeout) instead. SQLite then runs one
    transaction at a time, which suits the embedded first run; PostgreSQL is for more.
    A connection that only reads may say so with `execution_options(sqlite_begin="DEFERRED")`.
    """
    mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {'DEFERRED' if mode == 'DEFERRED' else 'IMMEDIATE'}")


def make_engine(
    url: str,
    *,
    echo: bool = False,
    pool_size: int = 10,
    max_overflow: int = 5,
    pool_timeout: int = 10,
) -> Engine:
    """An engine for a URL; SQLite gets foreign keys and WAL, its folder and file are
    created for the owner alone (0700, 0600: the file holds every personal record, a
    protected identity's too, and was readable by any user of the machine).

    Statement parameters are never written into logs or error messages
    (hide_parameters): they are names, personal numbers and addresses.
    """
    pool = {"pool_size": pool_size, "max_overflow": max_overflow, "pool_timeout": pool_timeout}
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # a new folder only
            if not path.exists():
                path.touch(mode=0o600)  # SQLite gives its -wal and -shm files the same
        engine = create_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"check_same_thread": False},
            **(pool if str(path) != ":memory:" else {}),
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, echo=echo, hide_parameters=True, pool_pre_ping=True, **pool)
    event.listen(engine, "handle_error", _without_row_detail)
    return engine


def _without_row_detail(context: ExceptionContext) -> None:
    """Keep only PostgreSQL's primary error message, in the error and so in any log.

    PostgreSQL adds a DETAIL to many errors that quotes the data: "Failing row contains (...)"
    is the whole row of a traveller, "Key (personal_number)=(...)" a personal number. That
    text would reach tracebacks and logs whatever hide_parameters says; the primary message
    ("null value in column ... violates not-null constraint") is what a developer needs.
    """
    original = context.original_exception
    primary = getattr(getattr(original, "diag", None), "message_primary", None)
    if not isinstance(primary, str):
        return
    original.args = (primary,)
    wrapped = context.sqlalchemy_exception
    if wrapped is not None:
        wrapped.args = (f"({type(original).__module__}.{type(original).__name__}) {primary}",)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Commit on success, roll back everything on any error, so nothing is half-written."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def dry_run(session: Session) -> Iterator[Session]:
    """A session whose every commit is undone at the end: use cases run in full (rules,
    live insertion, audit) to show what they would do, and nothing is kept. It shares the
    connection (and so the view of the data) of `session`; the use cases' own commits
    become savepoints inside one savepoint that is rolled back."""
    connection = session.connection()
    outer = connection.begin_nested()
    try:
        with Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as trial:
            yield trial
    finally:
        outer.rollback()


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision stamped in the database, or None when it was never migrated."""
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return None if row is None else str(row[0])


@functools.cache
def head_revision() -> str:
    """The newest revision of the migrations this code ships: read once per process (every
    migration module is compiled to find it, about 30 ms, and the files do not change
    under a running process)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(None))
    head = script.get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def alembic_config(url: str | None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


_UPGRADING = threading.Lock()


def upgrade(url: str) -> None:
    """Migrate the database at `url` to the newest schema (idempotent).

    One at a time in a process: alembic runs a migration through module-level proxies
    (`alembic.context`, `alembic.op`) that a second thread's run would rebind, so two
    simulations started together each migrating their own database broke each other's.
    """
    from alembic import command

    with _UPGRADING:
        command.upgrade(alembic_config(url), "head")


class NotMigrated(DomainError):
    status = 503
    title = "Database not migrated"


def check_migrated(engine: Engine) -> None:
    """Refuse to work on a database whose schema is not the one this code needs."""
    have, want = current_revision(engine), head_revision()
    if have != want:
        raise NotMigrated(
            f"the database {engine.url.render_as_string(hide_password=True)} is at revision "
            f"{have or 'none (empty)'}, this Samfard needs {want}: run `samfard db upgrade` "
            "first (with the same SAMFARD_DATABASE_URL)",
            field="SAMFARD_DATABASE_URL",
        )
