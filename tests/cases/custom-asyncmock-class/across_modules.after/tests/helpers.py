"""Test helpers shared by the suite."""
from unittest.mock import AsyncMock


CoroMock = AsyncMock


def make_user(name="ada"):
    return {"name": name}
