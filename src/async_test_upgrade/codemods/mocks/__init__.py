"""Mocks standing for coroutines: ``AsyncMock`` for MagicMock, Future and coroutine
wrappers, ``assert_awaited*``, and asynctest's mocks and test cases."""
