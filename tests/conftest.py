"""Shared fixtures: every database test runs on SQLite and on the real PostgreSQL.

Each test runs inside an outer transaction that is rolled back at its end; the services'
own commits become savepoints (join_transaction_mode="create_savepoint"), so tests see real
commit/rollback behaviour and still leave the database clean.

PostgreSQL is required, never skipped: if it cannot be reached the tests fail with a message
saying how to start it (the README's test command starts it first).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session
from starlette.datastructures import State

from helpers import CHROMIUM, CHROMIUM_FLAGS, NOW
from samfard.access import passwords
from samfard.access.actor import SYSTEM, Actor
from samfard.app import create_app, install_state
from samfard.clock import FixedClock
from samfard.config import Settings
from samfard.db import make_engine, upgrade
from samfard.deps import get_session
from samfard.reference import load_reference_data

# Tests check correctness, never wall time: Hypothesis's default deadline (200 ms per
# example) fails a correct property when two workers share a loaded 2-core machine.
hypothesis_settings.register_profile("samfard", deadline=None)
hypothesis_settings.load_profile("samfard")

# argon2 is slow on purpose (about 0.2 s a hash on a CI core) and the tests create and log in
# hundreds of accounts: in-process they hash with the same algorithm at its lowest cost, so a
# login still checks the password. The commands the tests start as processes keep the real cost.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

PG_ADMIN_URL = os.environ.get("SAMFARD_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
# One database per test process, so parallel runs (developers, CI) never drop each other's.
PG_TEST_DB = f"samfard_test_{os.getpid()}"


def _fresh_postgres() -> str:
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_TEST_DB} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {PG_TEST_DB}")
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({error}). Start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or run "
            "the README's test command, which starts it.",
            pytrace=False,
        )
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{base}/{PG_TEST_DB}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database with reference data, one per backend for the whole run."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'samfard.sqlite3'}"
    else:
        url = _fresh_postgres()
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference_data(session=session)
    engine.dispose()
    if request.param == "postgresql":
        request.addfinalizer(_drop_postgres)
    return url


def _drop_postgres() -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_TEST_DB} WITH (FORCE)")


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@contextmanager
def _rolled_back(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that is rolled back when the block ends."""
    with engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()


@contextmanager
def _savepoint_session(connection: Connection) -> Iterator[Session]:
    """A session on `connection` whose commits become savepoints of its transaction."""
    with Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    ) as session:
        yield session


@pytest.fixture
def connection(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Connection]:
    """The test's connection, in a transaction rolled back at its end. In a module marked
    `world_per_module` the test runs in a savepoint of the module's connection instead, so
    the world the module built once (`module_session`) is there for every test and what a
    test changes is gone before the next."""
    if request.node.get_closest_marker("world_per_module"):
        shared: Connection = request.getfixturevalue("module_connection")
        savepoint = shared.begin_nested()
        yield shared
        savepoint.rollback()
        return
    with _rolled_back(engine) as connection:
        yield connection


@pytest.fixture(scope="module")
def module_connection(engine: Engine) -> Iterator[Connection]:
    """One transaction for a whole module, rolled back when its last test is done."""
    with _rolled_back(engine) as connection:
        yield connection


@pytest.fixture(scope="module")
def module_session(module_connection: Connection) -> Iterator[Session]:
    """A session for building a module's world once, as `session` is for one test."""
    with _savepoint_session(module_connection) as session:
        yield session


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    with _savepoint_session(connection) as session:
        yield session


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secure_cookies=False)


# One application per database and use in a test process. FastAPI (0.165) builds each
# route's dependencies on an application's first request: 0.1-0.3 s that every test paid
# again with an application of its own, a fifth of the suite's time. Each test gets the
# shared one with a new state (settings, clock, and nothing a test or a route left there,
# such as the login limiter's counts) and its own session.
_APPS: dict[tuple[str, int, str], FastAPI] = {}


def _client(
    settings: Settings, engine: Engine, session: Session, clock: FixedClock, *, use: str
) -> TestClient:
    key = (settings.database_url, id(engine), use)
    app = _APPS.get(key)
    if app is None:
        app = _APPS[key] = create_app(settings, engine=engine, clock=clock)
    else:
        app.state = State()
        install_state(app, settings, engine, clock)

    def _session() -> Iterator[Session]:
        yield session

    app.dependency_overrides = {get_session: _session}
    return TestClient(app, raise_server_exceptions=True)


@pytest.fixture
def app_client(
    settings: Settings, engine: Engine, session: Session, clock: FixedClock
) -> Iterator[TestClient]:
    """The application over HTTP, sharing the test's rolled-back session."""
    with _client(settings, engine, session, clock, use="test") as client:
        yield client


@pytest.fixture(scope="module")
def module_client(
    database_url: str, engine: Engine, module_session: Session
) -> Iterator[TestClient]:
    """The application over HTTP on `module_session`, for building a module's world."""
    settings = Settings(database_url=database_url, secure_cookies=False)
    with _client(settings, engine, module_session, FixedClock(NOW), use="module") as client:
        yield client


@pytest.fixture
def system() -> Actor:
    return SYSTEM


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium per test process, for every folder: Playwright's sync API allows one
    running instance per thread, so a second one started beside it would fail."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: scripts/test installs Debian's chromium", pytrace=False
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Close the pages a browser test opened, as soon as it ends. The browser and the demo
    server live for the whole test process, and a page left open kept polling that server
    (the live day's event streams, the alarms) from the test's own process until the run
    ended, taking time from the later tests' requests (one likely cause of a late test that
    waited past its expect timeout in CI on 2026-12-07: "avbokad" never shown after Avboka)."""
    try:
        return (yield)
    finally:
        browser = getattr(item, "funcargs", {}).get("browser")
        if isinstance(browser, Browser):
            for context in browser.contexts:
                context.close()
