"""The tool's own settings: a ``[tool.async-test-upgrade]`` table in ``pyproject.toml``.

Found from the first path given upward (the nearest ``pyproject.toml`` that has the
table), as ruff finds its configuration. Command-line
options win over it. An unknown key or a value of the wrong type is bad input.

.. code-block:: toml

    [tool.async-test-upgrade]
    select = ["strict-to-auto", "mock-to-asyncmock"]  # or skip = [...]
    target-version = "1.5"
    asyncio-mode = "auto"
    include-source = false
    exclude = ["tests/vendored/", "*_pb2.py"]     # replaces the default (none)
    extend-exclude = ["tests/fixtures/"]          # adds to it
    jobs = 2
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from async_test_upgrade.files import InputError

TABLE = "async-test-upgrade"


@dataclass(frozen=True)
class ToolSettings:
    path: Path | None = None
    select: tuple[str, ...] | None = None
    skip: tuple[str, ...] | None = None
    target_version: str | None = None
    asyncio_mode: str | None = None
    include_source: bool | None = None
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    jobs: int | None = None
    #: The keys as written, for messages.
    given: frozenset[str] = field(default_factory=frozenset)


_LISTS = ("select", "skip", "exclude", "extend-exclude")
_STRINGS = {"target-version": None, "asyncio-mode": ("auto", "strict")}


def _candidates(paths: Sequence[Path]) -> list[Path]:
    start = (paths[0] if paths else Path(".")).resolve()
    directory = start if start.is_dir() else start.parent
    found = (d / "pyproject.toml" for d in (directory, *directory.parents))
    return [path for path in found if path.is_file()]


def load(paths: Sequence[Path]) -> ToolSettings:
    """The settings of the nearest ``pyproject.toml`` above the first path (itself
    included) that holds a ``[tool.async-test-upgrade]`` table, as ruff finds its own."""
    for path in _candidates(paths):
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise InputError(f"{path}: cannot read: {error}") from error
        tool = document.get("tool", {})
        table = tool.get(TABLE) if isinstance(tool, dict) else None
        if table is not None:
            return _settings(path, table)
    return ToolSettings()


def _settings(path: Path, table: object) -> ToolSettings:
    where = f"{path}: [tool.{TABLE}]"
    if not isinstance(table, dict):
        raise InputError(f"{where} must be a table")
    values: dict[str, object] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if key in _LISTS:
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise InputError(f"{where}: {key} must be a list of strings")
            values[name] = tuple(value)
        elif key in _STRINGS:
            allowed = _STRINGS[key]
            if not isinstance(value, str) or (allowed and value not in allowed):
                expected = " or ".join(repr(a) for a in allowed) if allowed else "a string"
                raise InputError(f"{where}: {key} must be {expected}")
            values[name] = value
        elif key == "include-source":
            if not isinstance(value, bool):
                raise InputError(f"{where}: include-source must be true or false")
            values[name] = value
        elif key == "jobs":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InputError(f"{where}: jobs must be a whole number of at least 1")
            values[name] = value
        else:
            known = ", ".join(sorted([*_LISTS, *_STRINGS, "include-source", "jobs"]))
            raise InputError(f"{where}: unknown key {key!r} (known: {known})")
    return ToolSettings(path, **values, given=frozenset(table))  # type: ignore[arg-type]
