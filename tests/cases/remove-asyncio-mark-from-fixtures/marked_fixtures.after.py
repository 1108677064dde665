import pytest
import pytest_asyncio

from billing import Invoice, make_client


@pytest.fixture
async def client():
    return await make_client()


# one invoice per test
@pytest_asyncio.fixture
async def invoice(client):
    return await client.invoice(1)


def test_total():
    assert Invoice(3).total == 3


@pytest.mark.asyncio
async def test_fetch(invoice):
    assert invoice.number == 1
