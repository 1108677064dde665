import pytest

# every test here talks to the fake bank
pytestmark = (pytest.mark.bank,)


class TestTransfers:
    # shared by the class

    async def test_transfer(self):
        assert True


class TestRefunds:
    limit = 3

    async def test_refund(self):
        assert self.limit
