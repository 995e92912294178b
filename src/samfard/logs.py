"""No personal data in any log: what the application sets up so that its logs stay clean.

The server's access log would write every URL with its query string, and a search is
`/travellers?q=<personnummer or name>`; the log keeps method, path and status, never the
query. Database errors are cleaned at the engine (`db.make_engine`: statement parameters
hidden, PostgreSQL's row DETAIL dropped). The application's own log lines name records by
id, never by person.
"""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"


class AccessLogWithoutQuery(logging.Filter):
    """Drop the query string from uvicorn's access records ('%s - "%s %s HTTP/%s" %d')."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def keep_personal_data_out_of_logs() -> None:
    """Install the access-log filter once per process (idempotent; the factory calls it)."""
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, AccessLogWithoutQuery) for f in access.filters):
        access.addFilter(AccessLogWithoutQuery())
