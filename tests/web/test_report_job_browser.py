"""In the browser: an analyst starts the monthly report in the background on /uppfoljning,
sees its progress (htmx polling, no reload), and downloads the finished PDF; on SQLite a
thread runs the job, on PostgreSQL a real `samfard worker` process."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import date

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    new_page,
    screenshot,
    serve,
)
from playwright.sync_api import Browser, expect

from helpers import STRONG_PASSWORD
from report_job_fixtures import SAMFARD, report_database

pytestmark = pytest.mark.browser

__all__ = ["report_database"]  # the fixture, imported for pytest


@pytest.fixture(scope="module")
def report_server(report_database: str) -> Iterator[LiveServer]:
    """The application on the report database, with a worker beside it on PostgreSQL."""
    worker = None
    if report_database.startswith("postgresql"):
        environment = dict(os.environ, SAMFARD_DATABASE_URL=report_database)
        worker = subprocess.Popen([SAMFARD, "worker"], env=environment)
    yield from serve(report_database, date(2026, 11, 1))
    if worker is not None:
        worker.terminate()
        worker.wait(timeout=30)


def test_an_analyst_builds_the_report_in_the_background_and_downloads_it(
    report_server: LiveServer, browser: Browser
) -> None:
    page = new_page(browser)
    errors = ConsoleErrors(page)
    page.goto(report_server.url("/login"))
    page.get_by_label("Användarnamn").fill("analys-23")
    page.get_by_label("Lösenord").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: not url.endswith("/login"))
    page.goto(report_server.url("/uppfoljning?manad=2026-10&huvudman=23"))
    page.get_by_role("button", name="Ta fram i bakgrunden").click()
    expect(page.locator("#jobb .job")).to_be_visible()
    assert "/uppfoljning?" in page.url, "htmx swapped the progress in; the page stayed"
    done = page.get_by_role("status").filter(has_text="är klar")
    expect(done).to_contain_text("Månadsrapport oktober 2026", timeout=60_000)
    assert_no_axe_violations(page)
    errors.assert_none()
    if report_server.database_url.startswith("sqlite"):
        screenshot(page, "uppfoljning-jobb")
    with page.expect_download() as download:
        page.locator("#jobb").get_by_role("link", name="PDF", exact=True).click()
    assert download.value.suggested_filename == "manadsrapport-23-2026-10.pdf"
    page.context.close()
