import pytest as pt
from pytest import mark

pytestmark = [mark.asyncio(scope="module"), pt.mark.timeout(5)]


@pt.mark.parametrize(
    "value",
    [
        pt.param(1, marks=pt.mark.asyncio(scope="module")),
        pt.param(2, marks=[mark.asyncio("module"), mark.slow]),
    ],
)
async def test_param(value):
    pass


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pt.mark.asyncio(scope="session"))
