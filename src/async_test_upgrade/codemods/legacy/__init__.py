"""APIs a newer Python or pytest removed: ``@asyncio.coroutine``, ``loop=`` arguments,
``get_event_loop()`` in coroutines, global regex flags not at the start of a pattern, and
pytest's removed hooks and fixtures."""
