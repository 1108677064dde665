"""Poll many feeds concurrently, politely: a rate limit, a concurrency cap, retries."""

from feedpoll.parse import Entry, parse_feed
from feedpoll.poller import FetchError, Poller
from feedpoll.ratelimit import RateLimiter

__all__ = ["Entry", "FetchError", "Poller", "RateLimiter", "parse_feed"]
