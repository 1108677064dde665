"""The codemods: one module each, registered with ``@codemod`` from
``async_test_upgrade.registry``, grouped in one sub-package per family (``event_loop``,
``mode``, ``mocks``, ``frameworks``, ``legacy``). Modules whose name starts with ``_``
hold a family's shared helpers and register nothing."""
