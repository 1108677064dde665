import asyncio
from typing import Awaitable, Callable, Dict, Iterable, List, Optional

from feedpoll import transport
from feedpoll.parse import Entry, parse_feed
from feedpoll.ratelimit import RateLimiter

OnEntry = Callable[[Entry], Awaitable[None]]


class FetchError(Exception):
    def __init__(self, url: str, attempts: int, cause: BaseException) -> None:
        super().__init__(f"{url}: gave up after {attempts} attempts: {cause}")
        self.url = url
        self.attempts = attempts


class Poller:
    def __init__(
        self,
        limiter: Optional[RateLimiter] = None,
        concurrency: int = 4,
        attempts: int = 3,
        backoff: float = 0.0,
    ) -> None:
        self.limiter = limiter
        self.concurrency = concurrency
        self.attempts = attempts
        self.backoff = backoff
        self.seen: Dict[str, set] = {}

    async def fetch(self, url: str) -> bytes:
        last: Optional[BaseException] = None
        for attempt in range(1, self.attempts + 1):
            if self.limiter is not None:
                await self.limiter.acquire()
            try:
                return await transport.fetch(url)
            except ConnectionError as error:
                last = error
                await asyncio.sleep(self.backoff * attempt)
        assert last is not None
        raise FetchError(url, self.attempts, last)

    async def poll(self, urls: Iterable[str], on_entry: Optional[OnEntry] = None) -> List[Entry]:
        """New entries of every feed, in the order of ``urls``; ``on_entry`` is awaited
        for each new entry."""
        semaphore = asyncio.Semaphore(self.concurrency)

        async def one(url: str) -> List[Entry]:
            async with semaphore:
                body = await self.fetch(url)
            seen = self.seen.setdefault(url, set())
            fresh = [e for e in parse_feed(url, body) if e.id not in seen]
            seen.update(e.id for e in fresh)
            return fresh

        results = await asyncio.gather(*(one(url) for url in urls))
        entries = [entry for batch in results for entry in batch]
        if on_entry is not None:
            for entry in entries:
                await on_entry(entry)
        return entries
