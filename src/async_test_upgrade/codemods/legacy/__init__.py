"""APIs a newer Python or pytest removed: ``@asyncio.coroutine``, ``loop=`` arguments,
``get_event_loop()`` in coroutines, and pytest's removed hooks and fixtures."""
