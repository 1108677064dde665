"""Missing-edit evidence: pytest's own error names a construct a codemod exists to handle.

When a migrated test fails with one of these errors, the edit that would have prevented
it was not made, and the failure says which construct and where:

- ``requested an async fixture 'X', with no plugin or hook that handled it`` (pytest 8.4
  warns, 9 fails): an async fixture strict mode does not see, which ``strict-markers``
  turns into ``@pytest_asyncio.fixture`` (or ``strict-to-auto`` hands to auto mode);
- pytest's "async def functions are not natively supported" (8.4+) or its unhandled
  coroutine skip: an unmarked async test, likewise;
- ``fixture 'X' not found`` for a fixture of the legacy stack that a codemod removes or
  renames (pytest-asyncio's ``event_loop``, pytest-aiohttp 0.x's ``loop``,
  ``test_client``, ...).

This is weaker than a re-run (nothing showed the codemod's edit would make it pass) and
stronger than a traceback suspect (pytest itself names the construct). Only codemods
selected for the run are named.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from async_test_upgrade.harness.runner import TestOutcome
from async_test_upgrade.harness.suspects import Reader, regions

_ASYNC_FIXTURE = re.compile(r"requested an async fixture '(?P<name>[^']+)'")
_NOT_FOUND = re.compile(r"fixture '(?P<name>[^']+)' not found")
_UNMARKED = (
    "async def functions are not natively supported",
    "async def function and no async plugin installed",
    "PytestUnhandledCoroutineWarning",
)
#: The codemods whose job a construct is, in the order they are named.
_MODE = ("strict-markers", "strict-to-auto")
_EVENT_LOOP = (
    "event-loop-arg-to-running-loop",
    "event-loop-sync-to-async",
    "remove-event-loop-override",
)
#: Legacy fixtures gone from the new stack -> the codemods that remove or rename them.
_GONE_FIXTURES: dict[str, tuple[str, ...]] = {
    "event_loop": _EVENT_LOOP,
    "loop": ("pytest-aiohttp-fixtures",),
    "proactor_loop": ("pytest-aiohttp-fixtures",),
    "test_client": ("pytest-aiohttp-fixtures",),
    "test_server": ("pytest-aiohttp-fixtures",),
    "raw_test_server": ("pytest-aiohttp-fixtures",),
    "unused_port": ("pytest-aiohttp-fixtures",),
    "aiohttp_unused_port": ("pytest-aiohttp-fixtures",),
}


@dataclass(frozen=True)
class MissingEdit:
    codemod: str
    #: Where the edit belongs: "path:line".
    path: str
    line: int
    #: What pytest said, and what was not rewritten.
    what: str

    @property
    def place(self) -> str:
        return f"{self.path}:{self.line}"


def missing_edits(
    test: TestOutcome, migrated: Reader, selected: Collection[str], active: Collection[str] = ()
) -> list[MissingEdit]:
    """The edits ``test``'s failure says were not made, by a codemod in ``selected``
    (read the migrated tree with ``migrated``). Among the codemods whose job a construct
    is, one that changed something (``active``) is named first: ``strict-markers`` defers
    to ``strict-to-auto`` when that one switches the mode."""

    def _named(path: str, line: int, what: str, candidates: Sequence[str]) -> list[MissingEdit]:
        ranked = [n for n in candidates if n in active] + list(candidates)
        chosen = next((name for name in ranked if name in selected), None)
        return [MissingEdit(chosen, path, line, what)] if chosen is not None else []

    texts = [test.message, *test.warnings]
    found: list[MissingEdit] = []
    for text in texts:
        for match in _ASYNC_FIXTURE.finditer(text):
            name = match.group("name")
            where = _fixture_definition(test.nodeid, name, migrated)
            if where is not None:
                found += _named(*where, f"async fixture {name!r}, which no plugin handled", _MODE)
        for match in _NOT_FOUND.finditer(text):
            name = match.group("name")
            if name in _GONE_FIXTURES:
                where = _requested(test.nodeid, name, migrated)
                if where is not None:
                    found += _named(
                        *where,
                        f"fixture {name!r}, which the new stack no longer has, still requested",
                        _GONE_FIXTURES[name],
                    )
    if not found and any(words in text for words in _UNMARKED for text in texts):
        where = _function(test.nodeid, migrated)
        if where is not None:
            found += _named(*where, "async test that no plugin ran (no mark)", _MODE)
    unique: dict[tuple[str, str, int], MissingEdit] = {}
    for edit in found:
        unique.setdefault((edit.codemod, edit.path, edit.line), edit)
    return list(unique.values())


def _fixture_definition(nodeid: str, name: str, read: Reader) -> tuple[str, int] | None:
    for region in regions(nodeid, read):
        if region.what == f"its fixture {name!r}":
            return region.path, region.start
    return None


def _function(nodeid: str, read: Reader) -> tuple[str, int] | None:
    for region in regions(nodeid, read):
        if region.what == "its function":
            return region.path, region.start
    return None


def _requested(nodeid: str, name: str, read: Reader) -> tuple[str, int] | None:
    """The line of the test, or of one of its fixtures, whose code names ``name``."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    for region in regions(nodeid, read):
        if region.what != "its function" and not region.what.startswith("its fixture"):
            continue
        data = read(region.path)
        lines = data.decode("utf-8", "replace").splitlines() if data else []
        for number in range(region.start, min(region.end, len(lines)) + 1):
            if word.search(lines[number - 1]):
                return region.path, number
    return None
