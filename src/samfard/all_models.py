"""Imports every feature's tables so that `Base.metadata` is complete (for migrations)."""

from samfard import changes as change_models
from samfard import jobs as job_models
from samfard.access import models as access_models
from samfard.booking import models as booking_models
from samfard.costs import fee_ledger as fee_ledger_models
from samfard.costs import models as costs_models
from samfard.course import models as course_models
from samfard.dispatch import live_models as dispatch_live_models
from samfard.dispatch import models as dispatch_models
from samfard.dispatch.driver import models as driver_models
from samfard.geo import models as geo_models
from samfard.goods import models as goods_models
from samfard.lines import models as lines_models
from samfard.notify import models as notify_models
from samfard.principals import models as principals_models
from samfard.quality import models as quality_models
from samfard.reports import models as reports_models
from samfard.travellers import models as travellers_models

__all__ = [
    "access_models",
    "change_models",
    "driver_models",
    "job_models",
    "booking_models",
    "fee_ledger_models",
    "costs_models",
    "course_models",
    "dispatch_live_models",
    "dispatch_models",
    "geo_models",
    "goods_models",
    "lines_models",
    "notify_models",
    "principals_models",
    "quality_models",
    "reports_models",
    "travellers_models",
]
