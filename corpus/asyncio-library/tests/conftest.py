import pytest
import pytest_asyncio

from feedpoll import Poller, RateLimiter

FEEDS = {
    "http://feeds.test/news": b"# news\n1\tRates unchanged\n2\tNew bridge opens\n",
    "http://feeds.test/sport": b"10\tLate winner\n",
    "http://feeds.test/empty": b"# nothing yet\n",
}


async def fake_fetch(url, timeout=10.0):
    """Stands in for feedpoll.transport.fetch: serves FEEDS, 404 for anything else."""
    if url not in FEEDS:
        raise ConnectionError(f"{url}: HTTP 404")
    return FEEDS[url]


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest_asyncio.fixture
async def poller():
    # Built inside the test's loop: the limiter's lock belongs to it.
    poller = Poller(limiter=RateLimiter(rate=1000, burst=10), concurrency=2, attempts=3)
    yield poller
    poller.seen.clear()
