"""Feed synchronisation: concurrent fetching on anyio, rate limiting on plain asyncio."""

from feedsync.fetch import fetch_all, fetch_feed
from feedsync.limiter import RateLimiter
from feedsync.store import FeedStore

__all__ = ["FeedStore", "RateLimiter", "fetch_all", "fetch_feed"]
