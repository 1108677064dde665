import asyncio
from unittest.mock import MagicMock, patch

import pytest

from feedpoll import Entry, FetchError, Poller
from feedpoll import transport

from .conftest import FEEDS, fake_fetch

NEWS = "http://feeds.test/news"
SPORT = "http://feeds.test/sport"


@pytest.mark.asyncio
async def test_polls_every_feed_in_order(poller):
    with patch("feedpoll.transport.fetch", new_callable=MagicMock) as fetch:
        fetch.side_effect = fake_fetch
        entries = await poller.poll([NEWS, SPORT])
    assert [e.id for e in entries] == ["1", "2", "10"]
    assert fetch.call_count == 2
    fetch.assert_any_call(SPORT)


@pytest.mark.asyncio
async def test_second_poll_returns_only_new_entries(poller):
    with patch("feedpoll.transport.fetch", new_callable=MagicMock) as fetch:
        fetch.side_effect = fake_fetch
        await poller.poll([NEWS])
        FEEDS[NEWS] += b"3\tLate edition\n"
        try:
            entries = await poller.poll([NEWS])
        finally:
            FEEDS[NEWS] = FEEDS[NEWS].replace(b"3\tLate edition\n", b"")
    assert entries == [Entry(NEWS, "3", "Late edition")]


@pytest.mark.asyncio
async def test_retries_then_gives_up(poller):
    with patch.object(transport, "fetch", new_callable=MagicMock) as fetch:
        fetch.side_effect = fake_fetch
        with pytest.raises(FetchError) as raised:
            await poller.fetch("http://feeds.test/missing")
    assert raised.value.attempts == 3
    assert fetch.call_count == 3


@pytest.mark.asyncio
async def test_on_entry_is_awaited_for_each_new_entry(poller):
    received = []

    async def collect(entry):
        received.append(entry.title)

    on_entry = MagicMock(side_effect=collect)
    with patch("feedpoll.transport.fetch", new_callable=MagicMock) as fetch:
        fetch.side_effect = fake_fetch
        await poller.poll([SPORT], on_entry=on_entry)
    assert received == ["Late winner"]
    on_entry.assert_called_once_with(Entry(SPORT, "10", "Late winner"))


@pytest.mark.asyncio
async def test_the_transport_stub_serves_the_feeds():
    fetch = MagicMock(side_effect=fake_fetch)
    assert await fetch(SPORT) == FEEDS[SPORT]
    fetch.assert_called_once_with(SPORT)


@pytest.mark.asyncio
async def test_concurrency_is_capped():
    running = 0
    peak = 0

    async def slow_fetch(url, timeout=10.0):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1
        return b"1\tx\n"

    poller = Poller(concurrency=2)
    with patch("feedpoll.transport.fetch", new_callable=MagicMock) as fetch:
        fetch.side_effect = slow_fetch
        await poller.poll([f"http://feeds.test/{i}" for i in range(5)])
    assert peak == 2


@pytest.mark.asyncio
async def test_fetch_returns_the_body(poller):
    body = asyncio.Future()
    body.set_result(FEEDS[SPORT])
    with patch("feedpoll.transport.fetch", new_callable=MagicMock, return_value=body) as fetch:
        assert await poller.fetch(SPORT) == FEEDS[SPORT]
    fetch.assert_called_once_with(SPORT)
