"""Which codemod, in which file, caused a regression; and the migration without it.

The project's pristine copy is migrated again with some codemods left out (each such
migration is computed once, in memory). A *variant* tree is the pristine copy with a
mapping of file contents written over it, so a file can take its content from one
migration and its neighbour from another. Re-running only the regressed tests on
variants, the search first finds the smallest set of codemods whose absence makes a test
pass again (bisection over the codemods that changed something), then, for each of those,
the smallest set of files where leaving that codemod's edits out is enough.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from async_test_upgrade import engine
from async_test_upgrade.harness.compare import still_failing
from async_test_upgrade.harness.runner import RunResult
from async_test_upgrade.model import Options
from async_test_upgrade.registry import Codemod

#: relpath -> content to write over the pristine copy (None: the file must not exist).
Contents = dict[str, bytes | None]
T = TypeVar("T")


def contents_of(result: engine.MigrationResult, root: Path) -> Contents:
    """A migration's output as contents keyed by path relative to ``root``."""
    contents: Contents = {}
    for outcome in result.changed_files:
        contents[outcome.path.resolve().relative_to(root.resolve()).as_posix()] = outcome.new
    if result.config_changed and result.config_path is not None:
        relpath = result.config_path.resolve().relative_to(root.resolve()).as_posix()
        contents[relpath] = result.config_new
    return contents


class Variants:
    """Migrations of one pristine tree with sets of codemods left out, each computed once."""

    def __init__(self, pristine: Path, codemods: Sequence[Codemod], options: Options) -> None:
        self.pristine = pristine
        self.codemods = tuple(codemods)
        self.options = options
        #: excluded codemods -> (contents, names of the codemods that changed something)
        self._cache: dict[frozenset[str], tuple[Contents, frozenset[str]]] = {}

    def seed(self, result: engine.MigrationResult, root: Path) -> None:
        """Reuse the full migration already computed on an identical copy at ``root``."""
        names = frozenset(change.codemod for change in result.changes)
        self._cache[frozenset()] = (contents_of(result, root), names)

    def _migration(self, excluded: Collection[str]) -> tuple[Contents, frozenset[str]]:
        key = frozenset(excluded)
        if key not in self._cache:
            chosen = [c for c in self.codemods if c.name not in key]
            result = engine.migrate([self.pristine], chosen, self.options)
            names = frozenset(change.codemod for change in result.changes)
            self._cache[key] = (contents_of(result, self.pristine), names)
        return self._cache[key]

    def edits(self, excluded: Collection[str] = ()) -> Contents:
        return dict(self._migration(excluded)[0])

    def active(self) -> list[str]:
        """The codemods that changed something in the full migration, in pipeline order."""
        names = self._migration(())[1]
        return [c.name for c in self.codemods if c.name in names]

    def materialize(self, contents: Contents, dest: Path) -> Path:
        copy_tree(self.pristine, dest)
        apply_contents(dest, contents)
        return dest


def copy_tree(source: Path, dest: Path) -> None:
    shutil.copytree(source, dest, symlinks=True)


def apply_contents(root: Path, contents: Contents) -> None:
    for relpath, data in contents.items():
        target = root / relpath
        if data is None:
            target.unlink(missing_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def with_reverted(base: Contents, source: Contents, paths: Collection[str]) -> Contents:
    """``base`` with each of ``paths`` taken from ``source`` (absent there: the original)."""
    merged = dict(base)
    for path in paths:
        if path in source:
            merged[path] = source[path]
        else:
            merged.pop(path, None)
    return merged


def minimal_removal(
    items: Sequence[T], fails_without: Callable[[frozenset[T]], bool]
) -> list[T] | None:
    """A small subset of ``items`` whose removal makes ``fails_without`` false, by bisection.

    None when removing all of them is not enough. With one culprit this takes about
    log2(n) probes; culprits that only break things together are all found.
    """
    if not items or fails_without(frozenset(items)):
        return None
    return _bisect(list(items), frozenset(), fails_without)


def _bisect(
    items: list[T], removed: frozenset[T], fails_without: Callable[[frozenset[T]], bool]
) -> list[T]:
    # Invariant: removing ``removed`` plus all of ``items`` makes it pass.
    if len(items) == 1:
        return items
    half = len(items) // 2
    left, right = items[:half], items[half:]
    if not fails_without(removed | frozenset(left)):
        return _bisect(left, removed, fails_without)
    if not fails_without(removed | frozenset(right)):
        return _bisect(right, removed, fails_without)
    # Both halves are involved: the left culprits with the right half removed, then the
    # right culprits with only those left ones removed.
    found_left = _bisect(left, removed | frozenset(right), fails_without)
    found_right = _bisect(right, removed | frozenset(found_left), fails_without)
    return found_left + found_right


@dataclass
class Attribution:
    nodeid: str
    #: codemod -> the files where its edits cause the regression.
    culprits: dict[str, list[str]] = field(default_factory=dict)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"nodeid": self.nodeid, "culprits": self.culprits, "note": self.note}

    def describe(self) -> str:
        if not self.culprits:
            return f"{self.nodeid}: {self.note}"
        parts = [f"{name} in {', '.join(files)}" for name, files in self.culprits.items()]
        return f"{self.nodeid}: caused by {'; '.join(parts)}"


Probe = Callable[[Contents], RunResult]


class Attributor:
    """Bisection for each regressed test; every distinct variant tree runs at most once."""

    def __init__(
        self,
        variants: Variants,
        probe: Probe,
        before: RunResult,
        log: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.variants = variants
        self._probe = probe
        self.before = before
        self.log = log
        self._runs: dict[str, RunResult] = {}

    def run(self, contents: Contents) -> RunResult:
        key = _key(contents)
        if key not in self._runs:
            self.log(f"re-running the regressed tests on variant {len(self._runs) + 1}")
            self._runs[key] = self._probe(contents)
        return self._runs[key]

    @property
    def probes(self) -> int:
        return len(self._runs)

    def fails(self, nodeid: str, contents: Contents) -> bool:
        probe = self.run(contents).tests.get(nodeid)
        return still_failing(nodeid, self.before.tests.get(nodeid), probe)

    def attribute(self, nodeid: str) -> Attribution:
        full = self.variants.edits()
        if not self.fails(nodeid, full):
            return Attribution(nodeid, note="passes when re-run alone: flaky or order-dependent")
        candidates = self.variants.active()
        codemods = minimal_removal(
            candidates, lambda out: self.fails(nodeid, self.variants.edits(out))
        )
        if codemods is None:
            return Attribution(
                nodeid,
                note="still fails with every codemod left out: the new environment breaks "
                "it, and no applied edit is the cause",
            )
        attribution = Attribution(nodeid)
        for name in codemods:
            others = frozenset(codemods) - {name}
            with_it, without_it = self.variants.edits(others), self.variants.edits(others | {name})
            files = sorted(p for p in with_it.keys() | without_it.keys()
                           if with_it.get(p) != without_it.get(p))  # fmt: skip
            narrowed = minimal_removal(files, self._file_check(nodeid, with_it, without_it))
            attribution.culprits[name] = sorted(narrowed) if narrowed else files
        return attribution

    def _file_check(
        self, nodeid: str, with_it: Contents, without_it: Contents
    ) -> Callable[[frozenset[str]], bool]:
        def fails_without(paths: frozenset[str]) -> bool:
            return self.fails(nodeid, with_reverted(with_it, without_it, paths))

        return fails_without


def _key(contents: Contents) -> str:
    digest = hashlib.sha256()
    for path in sorted(contents):
        data = contents[path]
        digest.update(path.encode() + b"\0")
        digest.update(b"-" if data is None else hashlib.sha256(data).digest())
    return digest.hexdigest()


def rolled_back(
    variants: Variants, attributions: Sequence[Attribution]
) -> tuple[Contents, dict[str, list[str]]]:
    """The full migration minus the attributed edits; and, per file, the codemods left out."""
    left_out: dict[str, set[str]] = {}
    for attribution in attributions:
        for name, files in attribution.culprits.items():
            for path in files:
                left_out.setdefault(path, set()).add(name)
    contents = variants.edits()
    for path, names in left_out.items():
        contents = with_reverted(contents, variants.edits(names), [path])
    return contents, {path: sorted(names) for path, names in sorted(left_out.items())}


__all__ = [
    "Attribution",
    "Attributor",
    "Contents",
    "Variants",
    "apply_contents",
    "contents_of",
    "copy_tree",
    "minimal_removal",
    "rolled_back",
]
