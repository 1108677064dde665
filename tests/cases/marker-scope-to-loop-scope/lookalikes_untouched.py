import asyncio

import pytest


class Marks:
    def asyncio(self, scope):
        return scope


mark = Marks()


@pytest.mark.asyncio(loop_scope="module")
async def test_already_migrated():
    pass


@pytest.fixture(scope="module")
def resource():
    return mark.asyncio(scope="module")


def test_other_asyncio_calls():
    asyncio.run(asyncio.sleep(0))
    assert pytest.mark.timeout(scope="module")
