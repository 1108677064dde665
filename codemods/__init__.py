"""The codemods: one module each, registered with ``@codemod`` from
``async_test_upgrade.registry``. Modules whose name starts with ``_`` hold shared
helpers and register nothing."""
