"""Login rate limiting: a sliding window per client address and per username.

In-process on purpose: one Samfard process serves a centre, and the account lockout in
`access.service` (stored in the database) is the durable defence; this limiter only slows
down guessing before it reaches the password hash. With several worker processes each keeps
its own window, so the effective limit is the per-process limit times the number of workers
(documented in docs/security.md). Time is passed in, never read, so tests need no sleeping.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from samfard.errors import InputError, TooManyRequests


@dataclass(frozen=True)
class RateLimit:
    """At most `attempts` within any `window`."""

    attempts: int
    window: timedelta

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise InputError(
                f"rate limit attempts must be >= 1, got {self.attempts}", field="attempts"
            )
        if self.window <= timedelta(0):
            raise InputError(
                f"rate limit window must be positive, got {self.window}", field="window"
            )


class RateLimitExceeded(TooManyRequests):
    """Too many attempts; `retry_after` is the whole seconds until the next one is allowed."""

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


@dataclass
class SlidingWindowLimiter:
    """Counts attempts per key in the last `limit.window`; thread-safe."""

    limit: RateLimit
    _hits: dict[str, deque[datetime]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, key: str, *, now: datetime, what: str) -> None:
        """Count one attempt for `key`, or raise RateLimitExceeded without counting it."""
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            horizon = now - self.limit.window
            while hits and hits[0] <= horizon:
                hits.popleft()
            if len(hits) >= self.limit.attempts:
                wait = (hits[0] + self.limit.window - now).total_seconds()
                retry_after = max(1, math.ceil(wait))
                raise RateLimitExceeded(
                    f"too many login attempts for this {what}; wait {retry_after} s and try again",
                    retry_after=retry_after,
                    field=what,
                )
            hits.append(now)

    def take_back(self, key: str, *, at: datetime) -> None:
        """Stop counting the attempt counted for `key` at `at`."""
        with self._lock:
            hits = self._hits.get(key)
            if hits is not None and at in hits:
                hits.remove(at)


@dataclass
class LoginLimiter:
    """The two windows a login passes: one per client address, one per username; only
    attempts that fail stay counted."""

    per_address: SlidingWindowLimiter
    per_username: SlidingWindowLimiter

    @classmethod
    def default(cls) -> LoginLimiter:
        """20 attempts a minute from one address, 10 a minute for one username."""
        return cls(
            per_address=SlidingWindowLimiter(RateLimit(20, timedelta(minutes=1))),
            per_username=SlidingWindowLimiter(RateLimit(10, timedelta(minutes=1))),
        )

    def check(self, *, address: str, username: str, now: datetime) -> None:
        self.per_address.hit(address, now=now, what="address")
        self.per_username.hit(username.strip().lower(), now=now, what="username")

    def succeeded(self, *, address: str, username: str, now: datetime) -> None:
        """Uncount the attempt `check` counted at `now`: a login that succeeded was no guess.

        The attempt is counted before the password is checked, so guessing is slowed before
        it costs a password hash. Left counted, right passwords used up the windows too: a
        centre's operators share the office's one address, and at a shift's start the 21st
        to log in within a minute was refused (as were browser tests logging in often).
        """
        self.per_address.take_back(address, at=now)
        self.per_username.take_back(username.strip().lower(), at=now)
