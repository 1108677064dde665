"""Plain data passed between the pipeline stages (picklable, no behaviour)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Literal

Version = tuple[int, int]

#: The newest pytest-asyncio release the codemods know about.
NEWEST_TARGET: Version = (1, 5)

AsyncioMode = Literal["auto", "strict"]


def parse_version(text: str) -> Version:
    """Parse ``"1.5"`` (or ``"1.5.0"``) into ``(1, 5)``; raise ValueError otherwise."""
    parts = text.strip().split(".")
    if len(parts) < 2 or not all(p.isdigit() for p in parts[:2]):
        raise ValueError(f"not a version of the form X.Y: {text!r}")
    return int(parts[0]), int(parts[1])


def format_version(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


@dataclass(frozen=True)
class Options:
    """What the user chose on the command line, as the codemods see it."""

    target_version: Version = NEWEST_TARGET
    #: "auto" or "strict"; None lets the mode codemods decide (auto unless a guard fires).
    asyncio_mode: AsyncioMode | None = None
    #: Names of the codemods selected for this run (some codemods defer to others).
    selected: frozenset[str] = frozenset()
    #: Rewrite library/application code too, not only the test suite (see ``scope.py``).
    include_source: bool = False
    #: False runs every selected codemod on every file, past the prefilter and the
    #: gates: the reference the gates are checked against (they only ever save work).
    gates: bool = True
    #: Files larger than this many bytes are left alone unread (0: no limit).
    max_file_bytes: int = 10_000_000
    #: Seconds one file's migration may take before it is left alone (0: no limit).
    file_timeout: float = 300.0
    #: The name of every codemod there is (the engine fills it from the catalogue):
    #: what :meth:`runs` may be asked about. Empty: not checked.
    known: frozenset[str] = frozenset()

    def runs(self, codemod: str) -> bool:
        """Whether the codemod named ``codemod`` is selected for this run. A name no
        codemod has raises: a renamed codemod cannot silently change another's behaviour
        (each record declares the names it asks about in ``defers_to``)."""
        if self.known and codemod not in self.known:
            raise UnknownCodemodError(f"no codemod is named {codemod!r}")
        return codemod in self.selected


class UnknownCodemodError(ValueError):
    """A codemod name that no codemod has (a typo, or a renamed codemod)."""


@dataclass(frozen=True)
class EventLoopOverride:
    """A user-defined ``event_loop`` (or ``event_loop_policy``) fixture."""

    path: str  # relative posix path of the defining file
    line: int
    name: str  # "event_loop" or "event_loop_policy"
    scope: str | None  # literal scope, None when absent or not a literal
    scope_is_literal: bool
    is_conftest: bool
    #: The body only creates, yields (or returns) and closes a plain asyncio loop.
    plain_loop: bool
    #: The body makes or fetches an event loop at all (plain, uvloop, a policy's): False
    #: means the project's ``event_loop`` fixture is something else that shares the name.
    makes_loop: bool = True
    #: Defined in a class body (it then only serves that class's tests).
    in_class: bool = False
    #: For the create/yield/close shape with another loop maker (``uvloop.new_event_loop``,
    #: ``asyncio.SelectorEventLoop``): that maker's qualified name.
    loop_factory: str | None = None
    #: Keyword arguments of the fixture decorator (``scope``, ``params``, ``autouse``...).
    fixture_arguments: tuple[str, ...] = ()
    #: The body also switches debug mode on (``loop.set_debug(True)``), or only wraps
    #: pytest-asyncio's own ``event_loop`` to do so.
    debug: bool = False
    #: The fixtures it requests (``request`` and ``event_loop`` aside): parametrized ones
    #: multiply every async test.
    requests: tuple[str, ...] = ()

    @property
    def directory(self) -> str:
        return str(PurePosixPath(self.path).parent)


@dataclass(frozen=True)
class AsyncFixture:
    path: str
    line: int
    name: str
    scope: str | None
    has_loop_scope: bool
    #: False when ``scope=`` is given but is not a string literal (a callable, a name).
    scope_is_literal: bool = True


@dataclass(frozen=True)
class Note:
    """Something a user must look at: a rewrite the tool was unsure of, or refused."""

    path: str
    line: int
    codemod: str
    message: str

    def render(self) -> str:
        return f"{location(self.path, self.line)}: {self.codemod}: {self.message}"


def location(path: str, line: int) -> str:
    """``path:line``, or just ``path`` for whole-file items such as config settings."""
    return f"{path}:{line}" if line else path


@dataclass(frozen=True)
class Change:
    """One rewrite a codemod made, with the evidence that justified it."""

    path: str
    line: int
    codemod: str
    description: str


@dataclass(frozen=True)
class ConfigEdit:
    """A pytest setting a codemod needs; ``value`` None removes the setting."""

    key: str
    value: str | None
    codemod: str
    reason: str
    #: Where the request came from (a file and line), for the summary.
    origin: str = ""


@dataclass
class FileResult:
    """What the transform stage returns for one file (never a tree)."""

    path: str
    new_source: bytes | None = None
    changes: list[Change] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    config_edits: list[ConfigEdit] = field(default_factory=list)
    error: str | None = None
    parsed: bool = False
    #: A digest of the bytes the transform read (``engine.digest``).
    source_digest: str = ""
    #: The last run's result for the same bytes, scope and facts (``cache.py``).
    reused: bool = False
