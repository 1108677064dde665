import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.asyncio(loop_scope="class")
class TestShared:
    pytestmark = pytest.mark.asyncio(loop_scope="class")

    async def test_a(self):
        pass


@pytest.mark.asyncio_event_loop(policy=CustomPolicy())
class TestWithPolicy:
    async def test_b(self):
        pass
