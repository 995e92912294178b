"""The workspace pages in a real browser (Debian's Chromium): an assessor's decision,
moving a leg and re-planning the day, reading the monthly report, the administration page,
and a read-only /trafik at phone width. axe-core finds no serious or critical violation,
and no page logs a console error. Screenshots go to docs/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    Questions,
    assert_no_axe_violations,
    book_a_case_for_an_assessor,
    login,
    reader_engine,
    screenshot,
)
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from samfard.costs.service import load_contract_files
from samfard.demo.history import HistorySettings, load_history
from samfard.timeutil import STOCKHOLM

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def with_history(live_server: LiveServer) -> Iterator[LiveServer]:
    """The served database with a thin year of settled history, for the monthly report."""
    engine = reader_engine(live_server.database_url)
    with Session(engine) as session:
        load_contract_files(session)
        load_history(
            session,
            end_day=live_server.day,
            seed=2,
            now=datetime.now(STOCKHOLM),
            settings=HistorySettings(weekday_trips=2),
        )
    engine.dispose()
    yield live_server


def _check(page: Page, errors: ConsoleErrors, shot: str | None = None) -> None:
    assert_no_axe_violations(page)
    if shot:
        screenshot(page, shot)
    errors.assert_none()


def test_the_demo_operator_opens_each_workspace_page_and_sees_its_heading(
    live_server: LiveServer, browser: Browser
) -> None:
    page = login(browser, live_server, "operator")
    errors = ConsoleErrors(page)
    for path, name in (
        ("/bedomning", "Bedömning"),
        ("/trafik", "Trafik"),
        ("/uppfoljning", "Uppföljning"),
    ):
        response = page.goto(live_server.url(path))
        assert response is not None and response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
        assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()


def test_an_assessor_decides_a_case_and_reads_the_letter(
    live_server: LiveServer, browser: Browser
) -> None:
    book_a_case_for_an_assessor(live_server)
    page = login(browser, live_server, "assessor")
    errors = ConsoleErrors(page)
    page.goto(live_server.url("/bedomning"))
    expect(page.get_by_role("heading", name="Regelmotorns förslag")).to_be_visible()
    _check(page, errors, "bedomning")
    reference = page.locator("#case-title").inner_text().removeprefix("Ärende ").strip()
    # Keyboard first: choose with the arrow keys, type the reason, submit with Enter.
    page.get_by_label("Bevilja").focus()
    page.keyboard.press("Space")
    page.get_by_label("Motivering").fill("Intyg från vårdenheten finns i akten")
    page.get_by_role("button", name="Spara beslut").press("Enter")
    expect(page.get_by_role("status")).to_contain_text(reference)
    expect(page.get_by_role("status")).to_contain_text("beviljad")
    page.get_by_role("link", name="Visa beslutsbrevet", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beslutsbrev")
    expect(page.locator(".letter")).to_contain_text("Intyg från vårdenheten finns i akten")
    _check(page, errors, "beslutsbrev")
    href = page.get_by_role("link", name="Ladda ner som PDF").get_attribute("href")
    pdf = page.request.get(live_server.url(href or ""))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    page.context.close()


def test_a_controller_moves_a_leg_and_replans_the_day(
    live_server: LiveServer, browser: Browser
) -> None:
    page = login(browser, live_server, "operator", viewport={"width": 1280, "height": 900})
    errors = ConsoleErrors(page)
    page.goto(live_server.url(f"/trafik?datum={live_server.day.isoformat()}"))
    runs = page.locator(".tl-row")
    assert runs.count() >= 3
    assert page.locator("#map path.leaflet-interactive").count() == runs.count()
    _check(page, errors, "trafik")

    run_urls = [
        live_server.url(href)
        for href in page.locator(".tl-label").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    ]
    page.locator(".tl-label").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Körning")
    assert_no_axe_violations(page)
    # The first run whose leg another run takes (on some days no leg of the first run fits
    # elsewhere); each refusal is shown on the form (axe checks the first one shown).
    moved = refusal_checked = False
    for run_url in run_urls:
        page.goto(run_url)
        for index in range(page.get_by_role("link", name=re.compile("^Flytta")).count()):
            page.goto(run_url)
            page.get_by_role("link", name=re.compile("^Flytta")).nth(index).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Flytta resa till en annan körning"
            )
            choices = page.get_by_label("Till körning").locator("option[value]:not([value=''])")
            values = [choices.nth(i).get_attribute("value") for i in range(choices.count())]
            for value in values:
                page.get_by_label("Till körning").select_option(value or "")
                page.get_by_role("button", name="Flytta").click()
                if "/trafik/flytta" not in page.url:  # redirected: the move was saved
                    moved = True
                    break
                expect(page.locator(".error-summary")).to_contain_text("Välj en annan körning")
                if not refusal_checked:
                    assert_no_axe_violations(page)
                    refusal_checked = True
            if moved:
                break
        if moved:
            break
    assert moved, "no leg of the demo day could be moved to another run"
    expect(page.locator("#flyttad")).to_contain_text("kontrollerad och sparad")
    # The page came from the move's redirect: until htmx has bound the button, a press
    # would post the form as a page without JavaScript does, without the question.
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")

    page.get_by_label("Beräkningstid").select_option("5")
    questions = Questions(page)
    page.get_by_role("button", name="Planera om", exact=True).click()
    asked = questions.answer(yes=True)
    expect(page.locator("#jobb > *").first).to_be_attached()
    assert asked.startswith("Planera om hela dagen?"), "the whole day: asked first"
    # The progress bar shows while the job runs; a small day may be re-planned before the
    # page is looked at, so either is the page's answer to the click.
    done = page.get_by_text("Omplaneringen är klar")
    expect(page.locator("progress").or_(done).first).to_be_visible()
    assert_no_axe_violations(page)
    expect(done).to_be_visible(timeout=90_000)
    page.get_by_role("link", name="Visa den nya planen").click()
    expect(page.locator(".plan-meta")).to_contain_text("omplanerad")
    _check(page, errors, "trafik-omplanerad")

    page.get_by_role("link", name=re.compile("^Körlista")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Körlista")
    page.emulate_media(media="print")
    # the print style hides the shell (waited for: under load the style may apply late)
    expect(page.locator("header.top")).to_be_hidden()
    page.emulate_media(media="screen")
    _check(page, errors, "korlista")
    page.context.close()


def test_traffic_reads_at_phone_width(live_server: LiveServer, browser: Browser) -> None:
    page = login(browser, live_server, "operator", viewport={"width": 390, "height": 844})
    errors = ConsoleErrors(page)
    page.goto(live_server.url(f"/trafik?datum={live_server.day.isoformat()}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trafik")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide: it must not scroll sideways"
    assert page.locator(".tl-row").count() >= 3
    _check(page, errors, "trafik-mobil")
    page.context.close()


def test_an_analyst_reads_the_monthly_report_and_downloads_it(
    with_history: LiveServer, browser: Browser
) -> None:
    page = login(browser, with_history, "analyst")
    errors = ConsoleErrors(page)
    page.goto(with_history.url("/uppfoljning"))
    expect(page.get_by_role("heading", level=2)).to_contain_text("Månadsrapport")
    assert page.locator(".charts svg").count() == 3
    expect(page.locator("table.kpis")).to_contain_text("Mål")
    _check(page, errors, "uppfoljning")
    for kind in ("CSV", "XLSX", "PDF"):
        with page.expect_download() as download:
            page.get_by_role("link", name=kind, exact=True).click()
        assert download.value.suggested_filename.endswith("." + kind.lower())
    # exact: the report's table "Per huvudman, månaden" is a region of that name too
    page.get_by_label("Huvudman", exact=True).select_option("22")
    page.get_by_role("button", name="Visa rapporten").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Region Västernorrland")
    errors.assert_none()
    page.context.close()


def test_the_administration_page(live_server: LiveServer, browser: Browser) -> None:
    page = login(browser, live_server, "admin")
    errors = ConsoleErrors(page)
    page.goto(live_server.url("/admin"))
    expect(page.get_by_role("heading", name="Regelverk i kraft")).to_be_visible()
    expect(page.locator("table.users")).to_contain_text("assessor")
    _check(page, errors, "admin")
    page.context.close()
