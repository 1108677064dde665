"""
**What it does**

Replaces the removed ``asyncio_mode = legacy`` (in any pytest config file, or
``--asyncio-mode=legacy`` in ``addopts``) with ``asyncio_mode = auto``.

**Why**

pytest-asyncio 0.17 introduced modes with *legacy* as the default, 0.19 made *strict*
the default and 0.20 removed *legacy*. Since then every test run stops with
``'legacy' is not a valid asyncio_mode. Valid modes: auto, strict.``, unless
pytest-aiohttp is installed, which silently switches legacy to auto and only warns.
Legacy mode already handled every async fixture, so *auto* is the closest behaviour.

**Example**

Before (``setup.cfg``)::

    [tool:pytest]
    asyncio_mode = legacy

After::

    [tool:pytest]
    asyncio_mode = auto

With ``addopts = --asyncio-mode=legacy`` the flag is removed from ``addopts`` and
``asyncio_mode = auto`` is written as a setting, so the two can never disagree.

**When it refuses**

When the project also runs anyio or trio tests, or you chose ``--asyncio-mode strict``,
auto mode would take over fixtures that belong to another plugin: the setting becomes
``strict`` instead, with a note asking you to review the async fixtures (the mode
codemods then add the markers and decorators strict mode needs).
"""

from __future__ import annotations

from collections.abc import Sequence

from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.model import ConfigEdit, Note, Options
from async_test_upgrade.registry import codemod


@codemod(
    name="legacy-asyncio-mode",
    summary="asyncio_mode = legacy (removed in pytest-asyncio 0.20) becomes auto",
    safety="safe",
)
def legacy_asyncio_mode(facts: ProjectFacts, options: Options) -> Sequence[ConfigEdit | Note]:
    if (facts.asyncio_mode or "").strip().lower() != "legacy":
        return []
    if facts.uses_anyio_or_trio or options.asyncio_mode == "strict":
        why = (
            "you chose strict mode"
            if options.asyncio_mode == "strict"
            else "anyio/trio tests found (" + facts.anyio_trio_signals[0] + ")"
        )
        return [
            ConfigEdit(
                "asyncio_mode",
                "strict",
                "legacy-asyncio-mode",
                f"legacy mode was removed in pytest-asyncio 0.20; strict because {why}",
            ),
            Note(
                facts.config_path,
                0,
                "legacy-asyncio-mode",
                "legacy mode ran every async fixture; in strict mode async fixtures need "
                "@pytest_asyncio.fixture and async tests need @pytest.mark.asyncio",
            ),
        ]
    return [
        ConfigEdit(
            "asyncio_mode",
            "auto",
            "legacy-asyncio-mode",
            "legacy mode was removed in pytest-asyncio 0.20; auto is its closest successor",
        )
    ]
