"""Feeds served from memory, then the database, then the network."""

from feedcache import db, http


class FeedCache:
    def __init__(self, fetch=None):
        self._fetch = fetch if fetch is not None else http.get
        self._memory = {}
        self.misses = 0

    async def get(self, url):
        if url in self._memory:
            return self._memory[url]
        body = await db.stored(url)
        if body is None:
            self.misses += 1
            try:
                body = await self._fetch(url)
            except http.HttpError as error:
                if error.status != 503:
                    raise
                body = await self._fetch(url)  # one retry on 503
            await db.store(url, body)
        self._memory[url] = body
        return body
