import pytest

pytestmark = pytest.mark.asyncio_event_loop


@pytest.mark.asyncio_event_loop
class TestShared:
    pytestmark = pytest.mark.asyncio_event_loop

    async def test_a(self):
        pass


@pytest.mark.asyncio_event_loop(policy=CustomPolicy())
class TestWithPolicy:
    async def test_b(self):
        pass
