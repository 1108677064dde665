def unittest_run_loop(func):
    """The project's own helper of the same name."""
    return func


class TestA:
    @unittest_run_loop
    async def test_a(self):
        pass
