from unittest import TestCase as Case

from library.loans import Loans


class LoanMixin:
    def make(self):
        return Loans()


class TestLoans(LoanMixin, Case):
    def setUp(self):
        self.loans = self.make()

    async def test_open(self):
        self.assertEqual(await self.loans.open_count(), 0)
