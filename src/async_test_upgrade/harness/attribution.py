"""Which codemod, in which file, caused a regression; and the migration without it.

The project's pristine copy is migrated again with some codemods left out, or with one
codemod alone (each such migration is computed once, in memory). A *variant* tree is the
pristine copy with a mapping of file contents written over it, so a file can take its
content from one migration and its neighbour from another. Only the regressed tests are
re-run on variants: on the new stack with codemods left out, and on the old stack with
one codemod's edits alone (see :class:`Attributor` for the order and the evidence each
step gives).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import shutil
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from async_test_upgrade import engine
from async_test_upgrade.files import InputError
from async_test_upgrade.harness.compare import error_kind, failure_line, frames, still_failing
from async_test_upgrade.harness.envs import Stack, normalize
from async_test_upgrade.harness.missing import missing_edits
from async_test_upgrade.harness.runner import SESSION, RunResult, TestOutcome
from async_test_upgrade.harness.suspects import EditedLines, edited_lines, touches
from async_test_upgrade.model import Options, Version, format_version
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
        #: codemod -> the migration with only that codemod
        self._alone: dict[str, Contents] = {}

    def seed(self, result: engine.MigrationResult, root: Path) -> None:
        """Reuse the full migration already computed on an identical copy at ``root``."""
        names = frozenset(change.codemod for change in result.changes)
        self._cache[frozenset()] = (contents_of(result, root), names)

    def _migration(self, excluded: Collection[str]) -> tuple[Contents, frozenset[str]]:
        key = frozenset(excluded)
        if key not in self._cache:
            chosen = [silenced(c) if c.name in key else c for c in self.codemods]
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

    def alone(self, name: str) -> Contents:
        """Codemod ``name``'s edits alone: the others silenced (see :func:`silenced`)."""
        if name not in self._alone:
            chosen = [c if c.name == name else silenced(c) for c in self.codemods]
            result = engine.migrate([self.pristine], chosen, self.options)
            self._alone[name] = contents_of(result, self.pristine)
        return dict(self._alone[name])

    def record(self, name: str) -> Codemod | None:
        return next((c for c in self.codemods if c.name == name), None)

    def read(self, contents: Contents, relpath: str) -> bytes | None:
        """A file of the tree ``contents`` describes."""
        if relpath in contents:
            return contents[relpath]
        original = self.pristine / relpath
        return original.read_bytes() if original.is_file() else None

    def reader(self, contents: Contents) -> Callable[[str], bytes | None]:
        return lambda relpath: self.read(contents, relpath)

    def materialize(self, contents: Contents, dest: Path) -> Path:
        copy_tree(self.pristine, dest)
        apply_contents(dest, contents)
        return dest


def silenced(record: Codemod) -> Codemod:
    """``record`` with nothing left to do: it edits no file and asks for no setting, but
    it is still selected, so the codemods that ask ``options.runs`` about it decide as in
    the full migration. Leaving a codemod out this way leaves out its edits and nothing
    else: no other codemod takes its work over (``strict-markers`` marking the tests
    ``strict-to-auto`` would have put under auto mode), which would be a migration the
    user never saw."""
    return dataclasses.replace(record, transformer=None, configure=None, triggers=(), gate=None)


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


#: The kinds of evidence, strongest first. The first two come from re-runs that show the
#: edit breaking the test; the traceback only names a suspect.
NEW_STACK = "new stack"
OLD_STACK = "old stack"
#: The old-stack probe, on the legacy requirements installed on a newer interpreter: for
#: a codemod whose output needs a newer Python than the legacy stack's.
BRIDGE_STACK = "bridge stack"
#: pytest's own error names a construct a codemod exists to handle (``missing``).
MISSING_EDIT = "missing edit"
TRACEBACK = "traceback"
#: Not the migration's doing: the new stack breaks the legacy code the same way, or the
#: error is raised in library code the migration left alone.
ENVIRONMENT = "environment"
LIBRARY = "library"
_STRONG = (NEW_STACK, OLD_STACK, BRIDGE_STACK)
_ORDER = {
    NEW_STACK: 0,
    OLD_STACK: 1,
    BRIDGE_STACK: 2,
    MISSING_EDIT: 3,
    TRACEBACK: 4,
    ENVIRONMENT: 5,
    LIBRARY: 6,
}


@dataclass
class Evidence:
    kind: str
    detail: str
    codemod: str | None = None
    files: list[str] = field(default_factory=list)

    @property
    def strong(self) -> bool:
        return self.kind in _STRONG

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "strong": self.strong,
            "codemod": self.codemod,
            "files": self.files,
            "detail": self.detail,
        }

    def describe(self) -> str:
        label = f"{self.kind} (weaker)" if self.kind == TRACEBACK else self.kind
        return f"{label}: {self.detail}"


@dataclass
class Attribution:
    nodeid: str
    #: codemod -> the files where its edits cause the regression, shown by a re-run.
    culprits: dict[str, list[str]] = field(default_factory=dict)
    #: codemod -> the files where the failing test passes through its edits (traceback,
    #: function, marks, fixtures): suspects no re-run has confirmed.
    suspects: dict[str, list[str]] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    note: str = ""
    #: codemod -> the places ("path:line") where pytest's error says an edit of its kind
    #: is missing (see ``missing``).
    missing: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "nodeid": self.nodeid,
            "culprits": self.culprits,
            "missing": self.missing,
            "suspects": self.suspects,
            "evidence": [e.to_json() for e in self.evidence],
            "note": self.note,
        }

    def describe(self) -> str:
        return f"{self.nodeid}: {self.headline()}"

    def headline(self) -> str:
        """The verdict, without the test's id."""
        if self.culprits:
            parts = [f"{name} in {', '.join(files)}" for name, files in self.culprits.items()]
            return f"caused by {'; '.join(parts)}"
        if self.missing:
            parts = [f"{name} at {', '.join(places)}" for name, places in self.missing.items()]
            return f"missing edit of {'; '.join(parts)}"
        if self.suspects:
            parts = [f"{name} in {', '.join(files)}" for name, files in self.suspects.items()]
            return f"suspect {'; '.join(parts)} ({self.note})"
        return self.note

    def blame(self, kind: str, codemod: str, files: Sequence[str], detail: str) -> None:
        known = self.culprits.setdefault(codemod, [])
        known.extend(f for f in files if f not in known)
        known.sort()
        self.evidence.append(Evidence(kind, detail, codemod, sorted(files)))


Probe = Callable[[Contents], RunResult]


#: The packages named when the report says which old stack a probe ran on.
_STACK_LABEL = ("pytest", "pytest-asyncio", "httpx", "pytest-aiohttp", "aiohttp")


@dataclass
class OldStack:
    """The legacy side, where single codemods' edits are tried alone."""

    #: Runs the regressed tests (by their ids before migration) on a variant tree.
    probe: Probe
    #: Lists what the legacy environment has installed (called once, when first needed).
    inventory: Callable[[], Stack]
    #: Test ids after migration -> before, where the new pytest spells them differently.
    ids: Mapping[str, str] = field(default_factory=dict)
    #: The legacy requirements on a newer interpreter: the oldest Python of at least the
    #: version given that is on this machine and installs them. Raises ``InputError``
    #: saying why there is none. Not set on a bridge itself.
    bridge: Callable[[Version], OldStack] | None = None
    #: For a bridge: what it is, in a few words ("the legacy requirements on Python 3.8").
    bridged: str = ""
    #: Runs on this stack so far: variant key -> result (the pristine tree's is the
    #: baseline a probe is compared with).
    runs: dict[str, RunResult] = field(default_factory=dict)

    @functools.cached_property
    def stack(self) -> Stack:
        return self.inventory()

    def unmet(self, record: Codemod) -> str | None:
        """Why ``record``'s output cannot run on the legacy stack, or None when it can."""
        return self.stack.unmet(record.output_needs())

    @property
    def label(self) -> str:
        """What the legacy environment runs, in a few words."""
        have = self.stack
        parts = [f"{n} {have.version_of(n)}" for n in _STACK_LABEL if have.version_of(n)]
        return ", ".join([*parts, f"Python {have.python}"])


class Attributor:
    """Finds each regression's cause with re-runs of only the regressed tests; every
    distinct variant tree runs at most once on each side.

    1. *New stack*: the migration with codemods left out. When the legacy code left in
       place passes on the new stack, bisection finds the smallest set of codemods to
       leave out; when it fails there too (the usual case across stacks: the code a
       codemod migrates does not run on the new stack), each codemod is left out alone.
       Then, for each codemod found, the smallest set of files to leave it out of.
    2. *Traceback*: the codemods whose edits the failing test passes through (weaker).
    3. *Old stack*, for the regressions step 1 did not explain: each codemod's edits
       alone on the pristine copy, run on the legacy side (skipped for a codemod whose
       output needs a newer stack); a test that passed before and fails there with the
       same kind of error as after migration is that codemod's, in the smallest set of
       its files that makes it fail. (Failing in another way proves nothing: a codemod's
       edits may need another's to run, such as auto mode beside a plugin line that
       another codemod removes.)
    4. Otherwise, a test that also fails on the new stack with the legacy code left in
       place, and whose run no edit touches, is broken by the new environment.
    """

    def __init__(
        self,
        variants: Variants,
        probe: Probe,
        before: RunResult,
        log: Callable[[str], None] = lambda _: None,
        old_stack: OldStack | None = None,
        library: Mapping[str, str] | None = None,
    ) -> None:
        self.variants = variants
        #: Failing tests whose error is raised in library code: node id -> where.
        self.library = dict(library or {})
        self._probe = probe
        self.before = before
        self.log = log
        self.old_stack = old_stack
        self._runs: dict[str, RunResult] = {}
        if old_stack is not None:
            old_stack.runs.setdefault(_key({}), before)
        #: Every legacy-side stack probed (the old stack, then any bridges).
        self._stacks: list[OldStack] = [old_stack] if old_stack is not None else []
        #: Python version needed -> its bridge stack, or why there is none.
        self._bridges: dict[Version, OldStack | str] = {}
        #: codemod -> the bridge stack its edits were tried alone on, and why.
        self.bridged: dict[str, str] = {}
        #: codemod -> its edits, file by file (see ``suspects``)
        self._edited: dict[str, dict[str, EditedLines]] = {}
        self._after: RunResult | None = None
        #: codemod -> why its edits were not tried alone on the legacy side.
        self.old_stack_skipped: dict[str, str] = {}

    def run(self, contents: Contents) -> RunResult:
        key = _key(contents)
        if key not in self._runs:
            self.log(f"re-running the regressed tests on variant {self.probes + 1}")
            self._runs[key] = self._probe(contents)
        return self._runs[key]

    def run_old(self, contents: Contents, stack: OldStack | None = None) -> RunResult:
        stack = stack or self.old_stack
        assert stack is not None
        key = _key(contents)
        if key not in stack.runs:
            where = stack.bridged or "the old stack"
            self.log(f"re-running the regressed tests on {where}, variant {self.probes + 1}")
            stack.runs[key] = stack.probe(contents)
        return stack.runs[key]

    @property
    def probes(self) -> int:
        """Runs made so far (the before run, reused, not counted)."""
        return len(self._runs) + sum(len(stack.runs) for stack in self._stacks) - 1

    def fails(self, nodeid: str, contents: Contents) -> bool:
        """Whether the regression is still there on the new stack with ``contents``. A
        run that stopped as a whole (a config that pytest or a plugin refuses) ran no
        test, so it shows the regression too."""
        run = self.run(contents)
        probe = run.tests.get(nodeid)
        stopped = run.tests.get(SESSION)
        if probe is None and stopped is not None and stopped.outcome in ("failed", "error"):
            return True
        return still_failing(nodeid, self.before.tests.get(nodeid), probe)

    def fails_old(self, nodeid: str, contents: Contents, stack: OldStack | None = None) -> bool:
        """Whether the test fails with ``contents`` on ``stack`` (the old stack by
        default), where it passes with the pristine code."""
        old_id, probe = self._old_result(nodeid, contents, stack)
        _, baseline = self._old_result(nodeid, {}, stack)
        return still_failing(old_id, baseline, probe)

    def _old_result(
        self, nodeid: str, contents: Contents, stack: OldStack | None = None
    ) -> tuple[str, TestOutcome | None]:
        """The test's id before migration, and its outcome on the old stack (or
        ``stack``) with ``contents``, under whichever id that variant gives it (a variant
        may rename it as the migration did)."""
        stack = stack or self.old_stack
        assert stack is not None
        old_id = stack.ids.get(nodeid, nodeid)
        tests = self.run_old(contents, stack).tests
        return old_id, tests.get(old_id) or tests.get(nodeid)

    def attribute_all(
        self, nodeids: Sequence[str], after: RunResult | None = None, root: str = ""
    ) -> list[Attribution]:
        """Attribute each regressed test; ``after`` (the run of the migrated tree at
        ``root``) gives the tracebacks."""
        attributions = [Attribution(nodeid) for nodeid in nodeids]
        self._after = after
        full = self.variants.edits()
        confirmed = []
        for attribution in attributions:
            if self.fails(attribution.nodeid, full):
                confirmed.append(attribution)
            else:
                attribution.note = "passes when re-run alone: flaky or order-dependent"
        if not confirmed:
            return attributions
        active = self.variants.active()
        legacy = self.variants.edits(active)
        for attribution in confirmed:
            self._leave_out(attribution, active, legacy)
        if after is not None:
            for attribution in confirmed:
                test = after.tests.get(attribution.nodeid)
                message = test.message if test is not None else ""
                self._traceback(attribution, active, frames(message, root))
        unexplained = [a for a in confirmed if not a.culprits]
        if unexplained and self.old_stack is not None:
            self._old_stack(unexplained, active)
        for attribution in confirmed:
            self._verdict(attribution, legacy)
        return attributions

    def _leave_out(self, attribution: Attribution, active: list[str], legacy: Contents) -> None:
        nodeid = attribution.nodeid
        if not active:
            return
        if not self.fails(nodeid, legacy):
            # Culprits that only break it together are left out together.
            codemods = minimal_removal(
                active, lambda out: self.fails(nodeid, self.variants.edits(out))
            )
            together = True
        else:
            # Each of these, left out alone, makes it pass.
            codemods = [n for n in active if not self.fails(nodeid, self.variants.edits([n]))]
            together = False
        for name in codemods or []:
            others = frozenset(codemods or []) - {name} if together else frozenset()
            with_it, without_it = self.variants.edits(others), self.variants.edits(others | {name})
            files = sorted(p for p in with_it.keys() | without_it.keys()
                           if with_it.get(p) != without_it.get(p))  # fmt: skip
            narrowed = minimal_removal(files, self._file_check(nodeid, with_it, without_it))
            blamed = sorted(narrowed) if narrowed else files
            also = f" (with {', '.join(sorted(others))} also left out)" if others else ""
            attribution.blame(
                NEW_STACK,
                name,
                blamed,
                f"leaving {name}'s edits out of {', '.join(blamed)}{also} makes it pass",
            )

    def _traceback(
        self, attribution: Attribution, active: list[str], frames: Sequence[tuple[str, int]]
    ) -> None:
        migrated = self.variants.reader(self.variants.edits())
        for name in active:
            without = self.variants.reader(self.variants.edits([name]))
            found = touches(attribution.nodeid, frames, migrated, without, self._edits_of(name))
            if not found:
                continue
            attribution.suspects[name] = sorted({touch.path for touch in found})
            what = "; ".join(touch.describe() for touch in found)
            attribution.evidence.append(
                Evidence(TRACEBACK, f"{name} rewrote {what}", name, attribution.suspects[name])
            )

    def _edits_of(self, name: str) -> dict[str, EditedLines]:
        """Codemod ``name``'s edits: where the migration differs from the one without it."""
        if name not in self._edited:
            full, without = self.variants.edits(), self.variants.edits([name])
            read = self.variants.read
            self._edited[name] = {
                path: edited_lines(read(without, path), read(full, path))
                for path in full.keys() | without.keys()
                if full.get(path) != without.get(path)
            }
        return self._edited[name]

    def _old_stack(self, attributions: Sequence[Attribution], active: list[str]) -> None:
        old = self.old_stack
        assert old is not None
        pending = [a for a in attributions if self._passed_on(old, a.nodeid)]
        for name in active:
            if not pending:
                return
            record = self.variants.record(name)
            if record is None:
                self.old_stack_skipped[name] = "not in this run's codemods"
                continue
            stack = old
            why = old.unmet(record)
            if why is not None:
                bridge, why = self._bridge(record, why)
                if bridge is None:
                    self.old_stack_skipped[name] = why
                    continue
                stack = bridge
            alone = self.variants.alone(name)
            if not alone:
                continue
            for attribution in pending:
                nodeid = attribution.nodeid
                if stack is not old and not self._passed_on(stack, nodeid):
                    self.log(f"{nodeid} does not pass on {stack.bridged} without edits")
                    continue
                if not self.fails_old(nodeid, alone, stack):
                    continue
                files = sorted(alone)
                narrowed = minimal_removal(files, self._old_file_check(nodeid, alone, stack))
                blamed = sorted(narrowed) if narrowed else files
                if not self._same_failure(nodeid, alone, stack):
                    # A codemod's edits can need another's to run (auto mode beside a
                    # plugin line another codemod removes): failing alone in another way
                    # says nothing about this regression.
                    self.log(
                        f"{name}'s edits alone break {nodeid} on the old stack in another "
                        "way than after migration: not counted"
                    )
                    continue
                outcome = self._old_outcome(nodeid, alone, stack)
                if stack is old:
                    attribution.blame(
                        OLD_STACK,
                        name,
                        blamed,
                        f"with only {name}'s edits, in {', '.join(blamed)}, it {outcome} on "
                        f"the old stack ({old.label}), where it passed before: the way it "
                        "fails after migration",
                    )
                else:
                    attribution.blame(
                        BRIDGE_STACK,
                        name,
                        blamed,
                        f"with only {name}'s edits, in {', '.join(blamed)}, it {outcome} on "
                        f"{stack.bridged} ({stack.label}), where it passes without them: "
                        f"the way it fails after migration (the old stack, Python "
                        f"{old.stack.python}, cannot run its output)",
                    )
            pending = [a for a in pending if not a.culprits]

    def _bridge(self, record: Codemod, why: str) -> tuple[OldStack | None, str]:
        """The stack to try ``record``'s edits alone on when the old stack cannot run
        them (``why``): the legacy requirements on the oldest interpreter its output
        allows, when Python is all the old stack lacks. None, and why, when there is none."""
        old = self.old_stack
        assert old is not None
        needs = record.output_needs()
        python = next((v for k, v in needs.items() if normalize(k) == "python"), None)
        others = {k: v for k, v in needs.items() if normalize(k) != "python"}
        if python is None or old.bridge is None or old.stack.unmet({"python": python}) is None:
            return None, why
        if old.stack.unmet(others) is not None:
            return None, why
        if python not in self._bridges:
            self.log(f"{record.name}'s output needs Python >= {format_version(python)}: "
                     "building a bridge stack")  # fmt: skip
            try:
                bridge = old.bridge(python)
            except InputError as error:
                self._bridges[python] = str(error)
            else:
                self._bridges[python] = bridge
                self._stacks.append(bridge)
        found = self._bridges[python]
        if isinstance(found, str):
            return None, f"{why}; no bridge stack: {found}"
        still = found.unmet(record)
        if still is not None:
            return None, f"{why}; {found.bridged} lacks {still}"
        self.bridged[record.name] = (
            f"{found.bridged.removeprefix('a bridge stack (').removesuffix(')')} "
            f"({found.label}), since its output needs Python >= {format_version(python)} "
            f"and the old stack has Python {old.stack.python}"
        )
        return found, ""

    def _same_failure(self, nodeid: str, contents: Contents, stack: OldStack | None = None) -> bool:
        """Whether the test fails on the old stack (or ``stack``) with ``contents`` the
        way it fails after migration (the same kind of error)."""
        after = self._after.tests.get(nodeid) if self._after else None
        if after is None:
            return True  # nothing to compare with: it disappeared after migration
        _, probe = self._old_result(nodeid, contents, stack)
        return probe is not None and error_kind(after) == error_kind(probe)

    def _old_file_check(
        self, nodeid: str, alone: Contents, stack: OldStack | None = None
    ) -> Callable[[frozenset[str]], bool]:
        def fails_without(paths: frozenset[str]) -> bool:
            return self.fails_old(nodeid, with_reverted(alone, {}, paths), stack)

        return fails_without

    def _passed_on(self, stack: OldStack, nodeid: str) -> bool:
        """Whether the test passes on ``stack`` with the pristine code (on the old
        stack: whether it passed before migration)."""
        _, test = self._old_result(nodeid, {}, stack)
        return test is not None and test.outcome == "passed"

    def _old_outcome(self, nodeid: str, contents: Contents, stack: OldStack | None = None) -> str:
        _, test = self._old_result(nodeid, contents, stack)
        if test is None:
            return "disappears"
        verb = {"failed": "fails", "error": "errors", "skipped": "is skipped"}.get(test.outcome)
        line = failure_line(test)
        said = verb or f"is {test.outcome}"
        return f"{said} ({line})" if line != test.outcome else said

    def _verdict(self, attribution: Attribution, legacy: Contents) -> None:
        attribution.evidence.sort(key=lambda e: _ORDER[e.kind])
        if attribution.culprits:
            # The traceback then only corroborates: other codemods it passes through
            # stay in ``suspects``, out of the way of the cause a re-run showed.
            attribution.evidence = [
                e for e in attribution.evidence
                if e.kind != TRACEBACK or e.codemod in attribution.culprits
            ]  # fmt: skip
            return
        nodeid = attribution.nodeid
        if self._missing(attribution):
            return
        unrelated = self._unrelated(nodeid, legacy)
        if unrelated is not None:
            # Not the migration's doing: no codemod is a suspect, whatever edits the
            # test passes through.
            attribution.suspects = {}
            attribution.evidence = [unrelated]
            attribution.note = (
                "the new environment breaks it"
                if unrelated.kind == ENVIRONMENT
                else "it fails in library code, which the migration leaves alone"
            )
            return
        if attribution.suspects:
            attribution.note = "only its traceback points there; no re-run confirmed it"
            return
        if self.fails(nodeid, legacy):
            test = self.run(legacy).tests.get(nodeid)
            shown = failure_line(test) if test is not None else "not collected"
            attribution.note = "the new environment breaks it"
            attribution.evidence.append(
                Evidence(
                    ENVIRONMENT,
                    f"it also fails on the new stack with the legacy code left in place "
                    f"({shown}), and no edit touches its traceback, function, marks or "
                    "fixtures",
                )
            )
            return
        attribution.note = (
            "not attributed: no codemod left out alone makes it pass, none alone breaks it "
            "on the old stack, and no edit touches its traceback, function, marks or fixtures"
        )

    def _missing(self, attribution: Attribution) -> bool:
        """Whether pytest's error names an edit a codemod of this run should have made;
        if so that is the verdict, and other suspects step aside."""
        test = self._after.tests.get(attribution.nodeid) if self._after else None
        if test is None:
            return False
        selected = {c.name for c in self.variants.codemods}
        migrated = self.variants.reader(self.variants.edits())
        found = missing_edits(test, migrated, selected, self.variants.active())
        if not found:
            return False
        for edit in found:
            places = attribution.missing.setdefault(edit.codemod, [])
            if edit.place not in places:
                places.append(edit.place)
            attribution.evidence.append(
                Evidence(
                    MISSING_EDIT,
                    f"pytest's error names an {edit.what} ({edit.place}): what {edit.codemod} "
                    "exists to rewrite, left as it was",
                    edit.codemod,
                    [edit.path],
                )
            )
        attribution.suspects = {
            name: files
            for name, files in attribution.suspects.items()
            if name in attribution.missing
        }
        attribution.evidence = [
            e for e in attribution.evidence
            if e.kind != TRACEBACK or e.codemod in attribution.missing
        ]  # fmt: skip
        attribution.evidence.sort(key=lambda e: _ORDER[e.kind])
        attribution.note = "pytest's error names an edit this codemod should have made"
        return True

    def _unrelated(self, nodeid: str, legacy: Contents) -> Evidence | None:
        """The evidence that a regression is none of the migration's doing: it fails the
        same way on the new stack with the whole migration left out, or its error is
        raised in library code."""
        after = self._after.tests.get(nodeid) if self._after else None
        if after is not None and self.fails(nodeid, legacy):
            probe = self.run(legacy).tests.get(nodeid)
            if probe is not None and error_kind(probe) == error_kind(after):
                return Evidence(
                    ENVIRONMENT,
                    f"it fails the same way ({failure_line(probe)}) on the new stack with the "
                    "whole migration left out: the legacy code breaks there too",
                )
        where = self.library.get(nodeid)
        if where is not None:
            return Evidence(
                LIBRARY,
                f"its error is raised in library code, which the migration did not edit ({where})",
            )
        return None

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
    "BRIDGE_STACK",
    "ENVIRONMENT",
    "LIBRARY",
    "MISSING_EDIT",
    "NEW_STACK",
    "OLD_STACK",
    "TRACEBACK",
    "Attribution",
    "Attributor",
    "Contents",
    "Evidence",
    "OldStack",
    "Variants",
    "apply_contents",
    "contents_of",
    "copy_tree",
    "minimal_removal",
    "rolled_back",
]
