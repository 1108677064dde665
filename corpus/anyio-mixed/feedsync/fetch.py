"""Fetch many feeds at once with an anyio task group."""

from __future__ import annotations

import anyio

from feedsync.store import FeedStore


async def fetch_feed(name: str) -> list[str]:
    await anyio.sleep(0)  # the real client performs an HTTP request here
    return [f"{name}-1", f"{name}-2"]


async def fetch_all(store: FeedStore, names: list[str]) -> dict[str, list[str]]:
    async def one(name: str) -> None:
        await store.save(name, await fetch_feed(name))

    async with anyio.create_task_group() as group:
        for name in names:
            group.start_soon(one, name)
    return store.entries
