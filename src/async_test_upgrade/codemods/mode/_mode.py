"""The asyncio mode the migrated suite will run in, as every codemod must assume it."""

from __future__ import annotations

from typing import Literal

from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.model import Options

Mode = Literal["auto", "strict"]


def configured_mode(facts: ProjectFacts) -> str:
    """The mode the legacy configuration asks for: auto, strict (also when unset) or legacy."""
    return (facts.asyncio_mode or "strict").strip().lower()


def target_mode(facts: ProjectFacts, options: Options) -> Mode:
    """auto or strict after migration.

    * ``--asyncio-mode strict`` always means strict (strict-mode code also runs in auto).
    * A project already in auto mode stays auto; legacy becomes auto (its successor,
      written by ``legacy-asyncio-mode``) unless anyio/trio tests are found.
    * A strict (or unset) project becomes auto only when ``strict-to-auto`` runs and no
      anyio/trio tests are found: auto mode would take over their async fixtures, so the
      guard wins even over ``--asyncio-mode auto`` (``strict-to-auto`` says so in a note).
      Without ``strict-to-auto`` nothing writes the setting, so the suite stays strict.
    """
    if options.asyncio_mode == "strict":
        return "strict"
    configured = configured_mode(facts)
    if configured == "auto":
        return "auto"
    if facts.uses_anyio_or_trio:
        return "strict"
    if configured == "legacy" or options.runs("strict-to-auto"):
        return "auto"
    return "strict"


def has_asyncio_tests(facts: ProjectFacts) -> bool:
    """Whether pytest-asyncio has anything to run here, so an ``asyncio_mode`` matters.

    A project without a configured mode, async fixtures or async tests gets no setting
    (pytest would warn about an option no installed plugin knows).
    """
    if facts.asyncio_mode is not None or facts.async_fixtures or facts.event_loop_overrides:
        return True
    return any(name.rpartition(".")[2].startswith("test") for name in facts.async_functions)


def guard_reason(facts: ProjectFacts) -> str:
    """Why auto mode is refused for this project (empty when it is not)."""
    if not facts.anyio_trio_signals:
        return ""
    more = len(facts.anyio_trio_signals) - 1
    return facts.anyio_trio_signals[0] + (f" and {more} more" if more else "")


def legacy_ran_bare_async_fixtures(facts: ProjectFacts) -> str | None:
    """Why the legacy suite ran ``async def`` fixtures under a plain ``@pytest.fixture``
    itself, if it did; None when it ran them in strict mode or that is unknown.

    It did in legacy or auto mode, under pytest-asyncio before 0.19 with no mode set
    (legacy was the default), and wherever aiohttp's own pytest plugin was loaded (it
    ran every async fixture on its ``loop``)."""
    from async_test_upgrade.requirements import allows_only_below

    configured = (facts.asyncio_mode or "").strip().lower()
    if configured in ("legacy", "auto"):
        return f"asyncio_mode = {configured}"
    if facts.aiohttp_plugin_loaded:
        return f"aiohttp's pytest plugin, loaded at {facts.aiohttp_plugin_loaded[0]}"
    pytest_aiohttp = facts.declared_packages.get("pytest-aiohttp")
    if pytest_aiohttp and allows_only_below(pytest_aiohttp, (1, 0)):
        return f"pytest-aiohttp{pytest_aiohttp}, which loads aiohttp's pytest plugin"
    pytest_asyncio = facts.declared_packages.get("pytest-asyncio")
    if not configured and pytest_asyncio and allows_only_below(pytest_asyncio, (0, 19)):
        return f"pytest-asyncio{pytest_asyncio}, whose default mode was legacy"
    return None


def bare_fixture_history(facts: ProjectFacts) -> str:
    """What an async fixture under a plain ``@pytest.fixture`` did in the legacy suite, as
    a clause that is true of it."""
    ran = legacy_ran_bare_async_fixtures(facts)
    if ran is not None:
        return f"ran in the legacy suite ({ran})"
    if (facts.asyncio_mode or "").strip().lower() == "strict":
        return "never ran in strict mode (its tests got a coroutine object)"
    return (
        "never ran if the legacy suite was in strict mode, the default since "
        "pytest-asyncio 0.19 (its tests then got a coroutine object)"
    )
