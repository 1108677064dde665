"""A tiny async database facade (the real one wraps an async driver)."""

import asyncio


class Database:
    def __init__(self):
        self.rows = {}

    async def execute(self, query, *params):
        await asyncio.sleep(0)
        if query.startswith("SELECT"):
            return [self.rows[params[0]]] if params[0] in self.rows else []
        if query.startswith("INSERT"):
            self.rows[params[0]] = params[1]
            return []
        raise ValueError(query)


db = Database()


async def stored(url):
    rows = await db.execute("SELECT body FROM feeds WHERE url = ?", url)
    return rows[0] if rows else None


async def store(url, body):
    await db.execute("INSERT INTO feeds VALUES (?, ?)", url, body)
