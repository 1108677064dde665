"""Tests that want a loop of their own."""
import asyncio


async def test_fresh():
    await asyncio.sleep(0)
