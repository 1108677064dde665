"""
**What it does**

Sets ``asyncio_default_fixture_loop_scope`` in the pytest config when it is unset:
``function`` when no async fixture with a caching scope wider than ``function`` is left
without an explicit ``loop_scope`` (after ``async-fixture-loop-scope`` gave them one),
otherwise ``fixture-scope`` when the target is pytest-asyncio 1.5 or newer.

**Why**

Since pytest-asyncio 0.24 every run with the option unset warns ``The configuration
option "asyncio_default_fixture_loop_scope" is unset.``, and a future release changes the
unset behaviour to ``function``. The migration guide says to set it to ``function``.
That value breaks a module- or session-scoped async fixture that has no ``loop_scope``
(``ScopeMismatch ... _function_scoped_runner``); ``fixture-scope`` (new in 1.5) keeps the
current unset behaviour for those, explicitly.

**Example**

Before (``pytest.ini``)::

    [pytest]
    asyncio_mode = auto

After::

    [pytest]
    asyncio_mode = auto
    asyncio_default_fixture_loop_scope = function

**When it refuses**

An existing value is never changed. When the root conftest's ``event_loop`` override is
carried over by ``remove-event-loop-override``, or the conftest hook that put every test
in one loop is replaced by ``session-hook-to-default-test-loop-scope``, that codemod sets
the option (to the override's or hook's scope) and this one stays out of its way. With
wider-scoped async fixtures still lacking ``loop_scope`` and a target older than 1.5 it
leaves the option unset and says why. A project that shows no sign of pytest-asyncio (no
async fixtures, no asyncio mode, no event_loop override, no async tests) is left alone:
the option would be an unknown setting there.
"""

from __future__ import annotations

from collections.abc import Sequence

from async_test_upgrade.codemods.event_loop._loop_scopes import root_settings_scope
from async_test_upgrade.facts import WIDE_SCOPES, ProjectFacts
from async_test_upgrade.model import ConfigEdit, Note, Options
from async_test_upgrade.registry import codemod

NAME = "default-fixture-loop-scope"
KEY = "asyncio_default_fixture_loop_scope"


@codemod(
    name=NAME,
    summary="set asyncio_default_fixture_loop_scope (function, or fixture-scope) where unset",
    after=("async-fixture-loop-scope", "session-hook-to-default-test-loop-scope"),
    safety="safe",
    defers_to=("session-hook-to-default-test-loop-scope", "async-fixture-loop-scope"),
    min_target=(0, 24),
)
def default_fixture_loop_scope(
    facts: ProjectFacts, options: Options
) -> Sequence[ConfigEdit | Note]:
    if facts.default_fixture_loop_scope is not None:
        return []
    if root_settings_scope(facts, options) is not None:
        return []  # remove-event-loop-override writes the override's scope
    if (
        facts.session_loop_hooks
        and options.runs("session-hook-to-default-test-loop-scope")
        and options.target_version >= (0, 26)
    ):
        return []  # that codemod writes the hook's scope
    if not _uses_pytest_asyncio(facts):
        return []
    given_by_codemod = options.runs("async-fixture-loop-scope")
    lacking = [
        f
        for f in facts.async_fixtures
        if not f.has_loop_scope
        and (
            not f.scope_is_literal  # async-fixture-loop-scope refuses these
            or (f.scope in WIDE_SCOPES and not given_by_codemod)
        )
    ]
    if not lacking:
        return [
            ConfigEdit(
                KEY,
                "function",
                NAME,
                "every async fixture wider than function scope has an explicit loop_scope; "
                "function is the value the migration guide recommends",
            )
        ]
    examples = ", ".join(f"{f.name} ({f.path}:{f.line})" for f in lacking[:3])
    if options.target_version >= (1, 5):
        return [
            ConfigEdit(
                KEY,
                "fixture-scope",
                NAME,
                f"async fixtures without loop_scope keep running in their caching scope's "
                f"loop, as before: {examples}",
            )
        ]
    return [
        Note(
            facts.config_path or ".",
            0,
            NAME,
            f"{KEY} left unset: 'function' would break async fixtures without loop_scope "
            f"({examples}) and 'fixture-scope' needs pytest-asyncio >= 1.5; give them "
            "loop_scope (async-fixture-loop-scope) or target 1.5",
        )
    ]


def _uses_pytest_asyncio(facts: ProjectFacts) -> bool:
    if facts.asyncio_mode is not None or facts.async_fixtures or facts.event_loop_overrides:
        return True
    if facts.uses_anyio_or_trio:
        return False  # their async tests are no evidence of pytest-asyncio
    return any(name.rpartition(".")[2].startswith("test") for name in facts.async_functions)
