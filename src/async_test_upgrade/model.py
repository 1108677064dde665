"""Plain data passed between the pipeline stages (picklable, no behaviour)."""

from __future__ import annotations

from dataclasses import dataclass, field
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

    def runs(self, codemod: str) -> bool:
        """Whether the codemod named ``codemod`` is selected for this run. A name no
        codemod has raises: a renamed codemod cannot silently change another's behaviour
        (each record declares the names it asks about in ``defers_to``)."""
        from async_test_upgrade.registry import UnknownCodemodError, by_name

        if codemod not in by_name():
            raise UnknownCodemodError(f"no codemod is named {codemod!r}")
        return codemod in self.selected


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
