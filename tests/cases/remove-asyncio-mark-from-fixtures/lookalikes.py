import pytest

from jobs import mark

pytestmark = pytest.mark.asyncio


@pytest.mark.asyncio
async def test_async_keeps_its_mark():
    assert True


@pytest.mark.asyncio
class TestMixed:
    def test_sync_inherits_the_class_mark(self):
        assert True


@mark.asyncio
@pytest.fixture
def job():
    return "job"


@pytest.mark.asyncio
def build_payload():
    return {}


@pytest.mark.slow
@pytest.fixture
def slow_resource():
    return 1
