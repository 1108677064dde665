"""Which files a test-suite migration may rewrite: test code, not the library.

Test code is what pytest collects (its ``python_files`` patterns, default ``test_*.py``
and ``*_test.py``), every ``conftest.py``, and every module inside a test directory
(helpers the tests import). A test directory is one named ``tests``, ``test`` or
``testing``, one listed in ``testpaths``, or one (below the project root) that directly
holds a collected test file; directories inside a test directory are test directories
too. Everything else is read for facts (which functions are coroutines, which classes
are async) but only rewritten when the user asks (``--include-source``): library or
application code, and the examples, documentation and scripts a project keeps beside it,
which notes call by what they are (``outside_kind``).
"""

from __future__ import annotations

import fnmatch
import shlex
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")
TEST_DIRECTORY_NAMES = frozenset({"tests", "test", "testing"})

#: Directories whose files are neither test code nor the library, and what notes call them.
OUTSIDE_DIRECTORY_KINDS = {
    "examples": "example code",
    "example": "example code",
    "docs": "documentation code",
    "doc": "documentation code",
    "scripts": "a script",
    "script": "a script",
}


def outside_kind(relpath: str) -> str:
    """What a file outside the test suite is, in a note's words: example code,
    documentation code or a script when a directory on its path says so (the nearest to
    the project root first), library code otherwise."""
    for part in relpath.split("/")[:-1]:
        kind = OUTSIDE_DIRECTORY_KINDS.get(part.lower())
        if kind is not None:
            return kind
    return "library code"


def _words(value: object) -> tuple[str, ...]:
    """A pytest ``args``-type setting: a TOML list, or a whitespace-separated ini value."""
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    try:
        return tuple(shlex.split(str(value)))
    except ValueError:
        return tuple(str(value).split())


@dataclass(frozen=True)
class TestScope:
    __test__ = False  # not a test class, whatever pytest thinks of the name

    python_files: tuple[str, ...]
    #: Directories (relative posix paths, "" never) whose files are all test code.
    test_directories: frozenset[str]

    def is_test_file(self, name: str) -> bool:
        return name == "conftest.py" or any(
            fnmatch.fnmatchcase(name, pattern) for pattern in self.python_files
        )

    def in_scope(self, relpath: str) -> bool:
        directory, _, name = relpath.rpartition("/")
        if self.is_test_file(name):
            return True
        while directory:
            if directory in self.test_directories:
                return True
            directory = directory.rpartition("/")[0]
        return False


def build(python_files: object, testpaths: object, relpaths: Iterable[str]) -> TestScope:
    """The scope of a project from its pytest settings and the files found in it."""
    patterns = tuple(p.rpartition("/")[2] for p in _words(python_files)) or DEFAULT_PYTHON_FILES
    directories: set[str] = set()
    for entry in _words(testpaths):
        cleaned = entry.strip("/").removeprefix("./")
        if cleaned and cleaned != "." and not any(c in cleaned for c in "*?["):
            directories.add(cleaned)
    scope = TestScope(patterns, frozenset())
    for relpath in relpaths:
        directory, _, name = relpath.rpartition("/")
        parts = directory.split("/") if directory else []
        for index, part in enumerate(parts):
            if part in TEST_DIRECTORY_NAMES:
                directories.add("/".join(parts[: index + 1]))
                break
        if directory and name != "conftest.py" and scope.is_test_file(name):
            directories.add(directory)
    return TestScope(patterns, frozenset(directories))
