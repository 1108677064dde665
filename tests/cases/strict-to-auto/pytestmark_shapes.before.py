import pytest

# every test here talks to the fake bank
pytestmark = (pytest.mark.asyncio, pytest.mark.bank)


class TestTransfers:
    # shared by the class
    pytestmark = [
        pytest.mark.asyncio,
    ]

    async def test_transfer(self):
        assert True


class TestRefunds:
    pytestmark = pytest.mark.asyncio()
    limit = 3

    async def test_refund(self):
        assert self.limit
