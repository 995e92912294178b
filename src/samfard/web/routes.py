"""Every feature's page router, in one list the application includes.

Each feature keeps its pages in its own `pages.py` (templates under
`web/templates/<feature>/`); add the router here, one line each.
"""

from __future__ import annotations

from fastapi import APIRouter

from samfard.access.admin_pages import router as admin_pages
from samfard.access.own_password_pages import router as own_password_pages
from samfard.access.own_password_pages import traveller_router as traveller_password_pages
from samfard.access.pages import router as access_pages
from samfard.assessment.letter_pages import router as letter_pages
from samfard.assessment.pages import router as assessment_pages
from samfard.booking.pages import router as booking_pages
from samfard.care.pages import router as care_pages
from samfard.care.unit_pages import router as care_unit_pages
from samfard.course.pages import router as course_pages
from samfard.dispatch.driver.pages import router as driver_pages
from samfard.dispatch.live_pages import router as live_pages
from samfard.dispatch.pages import router as dispatch_pages
from samfard.dispatch.stream import router as stream_pages
from samfard.goods.pages import router as goods_pages
from samfard.mypages.login import router as mypages_login
from samfard.mypages.pages import router as mypages
from samfard.quality.pages import router as quality_pages
from samfard.reports.pages import router as report_pages
from samfard.reports.scenario_pages import router as scenario_pages
from samfard.travellers.pages import router as traveller_pages
from samfard.web.pages import router as overview_pages

PAGE_ROUTERS: tuple[APIRouter, ...] = (
    overview_pages,
    access_pages,
    booking_pages,
    goods_pages,
    traveller_pages,
    admin_pages,
    own_password_pages,
    assessment_pages,
    letter_pages,
    course_pages,
    care_pages,
    care_unit_pages,
    dispatch_pages,
    driver_pages,
    stream_pages,
    live_pages,
    report_pages,
    scenario_pages,
    quality_pages,
    mypages_login,
    mypages,
    traveller_password_pages,
)
