import pytest


@pytest.mark.asyncio(loop_scope="module")
async def test_keyword():
    pass


@pytest.mark.asyncio(loop_scope="session")
async def test_positional():
    pass


@pytest.mark.asyncio(loop_scope="class")
class TestGroup:
    async def test_in_class(self):
        pass


@pytest.mark.asyncio
async def test_bare():
    pass
