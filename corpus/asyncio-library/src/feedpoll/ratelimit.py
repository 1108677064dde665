import asyncio
import time
from typing import Callable, Optional


class RateLimiter:
    """A token bucket: ``rate`` acquisitions a second, bursts up to ``burst``."""

    def __init__(
        self, rate: float, burst: int = 1, clock: Optional[Callable[[], float]] = None
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock or time.monotonic
        self._tokens = float(burst)
        self._updated = self._clock()
        self._lock: Optional[asyncio.Lock] = None

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    @property
    def tokens(self) -> float:
        self._refill()
        return self._tokens

    async def acquire(self) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            self._refill()
            while self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens -= 1
