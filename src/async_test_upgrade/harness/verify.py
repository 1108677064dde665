"""verify: run the suite before and after migration on copies, compare, attribute, roll back.

The user's tree is read once (copied) and written only by ``rollback``. Everything else
happens in a temporary directory: the pristine copy (migrated in memory, never run), the
"before" copy, the migrated "after" copy (``engine.migrate`` + ``engine.write_result``),
and the variant trees the attribution re-runs.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from async_test_upgrade import engine
from async_test_upgrade.files import SKIPPED_DIRS, InputError, atomic_write
from async_test_upgrade.harness import envs
from async_test_upgrade.harness.attribution import (
    Attribution,
    Attributor,
    Contents,
    OldStack,
    Variants,
    contents_of,
    copy_tree,
    rolled_back,
)
from async_test_upgrade.harness.compare import (
    Comparison,
    compare,
    failure_line,
    frames,
    renamed_ids,
    still_failing,
)
from async_test_upgrade.harness.runner import (
    SESSION,
    RunResult,
    install_plugin,
    run_pytest,
)
from async_test_upgrade.model import Options, Version, format_version
from async_test_upgrade.registry import Codemod

Log = Callable[[str], None]
DEFAULT_TIMEOUT = 1800.0


@dataclass(frozen=True)
class Side:
    """Where one side runs: an interpreter (path or version) and/or a requirements file."""

    python: str | None = None
    requirements: Path | None = None


@dataclass
class VerifyRequest:
    path: Path
    codemods: Sequence[Codemod]
    options: Options = field(default_factory=Options)
    #: None runs only the "after" side (for suites whose legacy stack cannot run here).
    before: Side | None = field(default_factory=Side)
    after: Side = field(default_factory=Side)
    install_cmd: str | None = None
    pytest_args: Sequence[str] = ()
    timeout: float = DEFAULT_TIMEOUT
    attribute: bool = True
    rollback: bool = False
    cache_dir: Path | None = None
    #: Also run the unmigrated suite on the "after" side: what the new stack alone does to
    #: it, and so what the migration fixed.
    unmigrated_after: bool = False


@dataclass
class Rollback:
    #: file -> the codemods whose edits were left out of it.
    left_out: dict[str, list[str]]
    written: list[str]
    #: Files changed in the user's tree since verify copied it: not written.
    conflicts: list[str]
    #: Regressed tests that still fail on the rolled-back migration.
    still_failing: list[str]
    #: Regressions with no edit shown to cause them (only a traceback suspect, the new
    #: environment, library code, not attributed): node id -> the verdict. Listed, not
    #: acted on.
    not_acted_on: dict[str, str] = field(default_factory=dict)
    #: Regressions whose failure names an edit a codemod did not make: node id -> the
    #: verdict (codemod and place). Leaving edits out cannot make a missing one: they are
    #: listed for a hand edit.
    missing_edits: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "missing_edits": self.missing_edits,
            "left_out": self.left_out,
            "written": self.written,
            "conflicts": self.conflicts,
            "still_failing": self.still_failing,
            "not_acted_on": self.not_acted_on,
        }


@dataclass
class VerifyReport:
    before: RunResult | None
    after: RunResult
    comparison: Comparison
    environments: dict[str, str]
    changes: dict[str, int]
    changed_files: list[str]
    attributions: list[Attribution] = field(default_factory=list)
    rollback: Rollback | None = None
    probes: int = 0
    #: codemod -> why its edits were not tried alone on the legacy side.
    old_stack_skipped: dict[str, str] = field(default_factory=dict)
    #: codemod -> the bridge stack its edits were tried alone on instead (the legacy
    #: requirements on a newer interpreter), and why.
    bridged: dict[str, str] = field(default_factory=dict)
    #: Files the migration could not handle (left unchanged), and its review notes.
    migration_errors: list[str] = field(default_factory=list)
    review_notes: int = 0
    #: The unmigrated suite on the "after" side (``VerifyRequest.unmigrated_after``).
    unmigrated: RunResult | None = None
    #: The migration itself (its notes, out-of-scope files), for callers that report it.
    migration: engine.MigrationResult | None = None
    #: Tests failing after migration whose error is raised in library code, which the
    #: migration left alone: node id -> "path:line: error".
    library_failures: dict[str, str] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if self.comparison.regressions else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "exit_code": self.exit_code,
            "environments": self.environments,
            "migration": {
                "changes": self.changes,
                "changed_files": self.changed_files,
                "errors": self.migration_errors,
                "review_notes": self.review_notes,
            },
            "counts": self.comparison.counts,
            "comparison": self.comparison.to_json()["tests"],
            "before": self.before.to_json() if self.before else None,
            "unmigrated_after": self.unmigrated.to_json() if self.unmigrated else None,
            "after": self.after.to_json(),
            "library_failures": self.library_failures,
            "attribution": [a.to_json() for a in self.attributions],
            "attribution_runs": self.probes,
            "old_stack_skipped": self.old_stack_skipped,
            "bridge_stacks": self.bridged,
            "rollback": self.rollback.to_json() if self.rollback else None,
        }


def copy_project(source: Path, dest: Path) -> None:
    """Copy the project without version control, virtualenvs and caches."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = set()
        for name in names:
            path = Path(directory) / name
            is_venv = path.is_dir() and (path / "pyvenv.cfg").is_file()
            if name in SKIPPED_DIRS or name.endswith(".egg-info") or is_venv:
                skipped.add(name)
        return skipped

    shutil.copytree(source, dest, symlinks=True, ignore=ignore)


def verify(request: VerifyRequest, log: Log = lambda _: None) -> VerifyReport:
    project = request.path
    if not project.is_dir():
        raise InputError(f"not a project directory: {project}")
    work = Path(tempfile.mkdtemp(prefix="async-test-upgrade-verify-"))
    try:
        return _verify(request, project.resolve(), work, log)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _verify(request: VerifyRequest, project: Path, work: Path, log: Log) -> VerifyReport:
    pristine = work / "source"
    copy_project(project, pristine)
    plugin_dir = install_plugin(work / "plugin")
    cache = request.cache_dir

    def run_side(name: str, side: Side, tree: Path) -> tuple[RunResult, envs.Environment]:
        env = envs.environment(side.python, _locate(side.requirements, project), log, cache)
        if request.install_cmd:
            env = envs.overlay(env, work / f"env-{name}")
            envs.run_install(env, request.install_cmd, tree)
        log(f"running the suite {name} migration ({env.label}) ...")
        result = run_pytest(tree, env, plugin_dir, request.pytest_args, request.timeout)
        return result, env

    environments: dict[str, str] = {}
    before: RunResult | None = None
    before_env: envs.Environment | None = None
    if request.before is not None:
        before_tree = work / "before"
        copy_tree(pristine, before_tree)
        before, before_env = run_side("before", request.before, before_tree)
        environments["before"] = before_env.label
        if before.collected_nothing:
            raise InputError(f"no tests to compare before migration: {before.describe_failure()}")

    after_tree = work / "after"
    copy_tree(pristine, after_tree)
    migration = engine.migrate([after_tree], request.codemods, request.options)
    migration.errors.extend(engine.write_result(migration))
    after, after_env = run_side("after", request.after, after_tree)
    environments["after"] = after_env.label
    unmigrated: RunResult | None = None
    if request.unmigrated_after:
        unmigrated_tree = work / "unmigrated"
        copy_tree(pristine, unmigrated_tree)
        log(f"running the unmigrated suite on the after side ({after_env.label}) ...")
        unmigrated = run_pytest(
            unmigrated_tree, after_env, plugin_dir, request.pytest_args, request.timeout
        )
    if after.collected_nothing and SESSION not in after.tests:
        raise InputError("no tests collected after migration")

    baseline = before if before is not None else RunResult({}, 0, False, 0.0, [])
    comparison = compare(baseline, after)
    changes = Counter(change.codemod for change in migration.changes)
    report = VerifyReport(
        before,
        after,
        comparison,
        environments,
        dict(sorted(changes.items())),
        sorted(contents_of(migration, after_tree)),
        migration_errors=list(migration.errors),
        review_notes=len(migration.notes),
        unmigrated=unmigrated,
        migration=migration,
        library_failures=library_failures(after, after_tree, migration.library_files),
    )
    regressed = [row.nodeid for row in comparison.regressions]
    # A session that fails as a whole is re-run whole: a selection could hide it.
    selected: list[str] | None = None if SESSION in regressed else regressed
    if before is None or not (request.attribute or request.rollback):
        return report

    variants = Variants(pristine, request.codemods, request.options)
    variants.seed(migration, after_tree)
    counter = iter(range(1, 1_000_000))

    def probe(contents: Contents) -> RunResult:
        tree = variants.materialize(contents, work / f"variant-{next(counter)}")
        try:
            return run_pytest(
                tree, after_env, plugin_dir, request.pytest_args, request.timeout, selected
            )
        finally:
            shutil.rmtree(tree, ignore_errors=True)

    assert before_env is not None
    old_stack = _old_stack(
        before, after, before_env, regressed, variants, work, plugin_dir, request, pristine, log
    )
    attributor = Attributor(variants, probe, before, log, old_stack, report.library_failures)
    if regressed:
        log(f"attributing {len(regressed)} regression(s) ...")
        report.attributions = attributor.attribute_all(regressed, after, str(after_tree))
        report.old_stack_skipped = dict(attributor.old_stack_skipped)
        report.bridged = dict(attributor.bridged)
    if request.rollback:
        # Every regression a re-run pinned on an edit is acted on; the others are listed.
        contents, left_out = rolled_back(variants, report.attributions)
        remaining = []
        if left_out:
            rerun = attributor.run(contents)
            remaining = [
                a.nodeid for a in report.attributions
                if a.culprits
                and still_failing(a.nodeid, before.tests.get(a.nodeid), rerun.tests.get(a.nodeid))
            ]  # fmt: skip
        written, conflicts = write_to_tree(project, pristine, contents)
        unexplained = [a for a in report.attributions if not a.culprits]
        not_acted_on = {a.nodeid: a.headline() for a in unexplained if not a.missing}
        missing = {a.nodeid: a.headline() for a in unexplained if a.missing}
        report.rollback = Rollback(left_out, written, conflicts, remaining, not_acted_on, missing)
    report.probes = attributor.probes
    return report


def _old_stack(
    before: RunResult,
    after: RunResult,
    environment: envs.Environment,
    regressed: Sequence[str],
    variants: Variants,
    work: Path,
    plugin_dir: Path,
    request: VerifyRequest,
    pristine: Path,
    log: Log,
) -> OldStack:
    """The legacy side as the attribution re-runs it: the regressed tests, by the ids
    they had before migration, on variant trees in the environment of the run before;
    and the bridge stacks built on demand (:func:`_bridge`)."""
    to_after = renamed_ids(before, after)
    ids = {after_id: before_id for before_id, after_id in to_after.items()}
    # Both spellings: a variant tree may rename a test as the migration did.
    selected: list[str] | None = sorted(
        {*regressed, *(ids.get(nodeid, nodeid) for nodeid in regressed)}
    )
    if SESSION in regressed:
        selected = None
    counter = iter(range(1, 1_000_000))

    def prober(env: envs.Environment) -> Callable[[Contents], RunResult]:
        def probe(contents: Contents) -> RunResult:
            tree = variants.materialize(contents, work / f"old-variant-{next(counter)}")
            try:
                return run_pytest(
                    tree, env, plugin_dir, request.pytest_args, request.timeout, selected
                )
            finally:
                shutil.rmtree(tree, ignore_errors=True)

        return probe

    def bridge(python: Version) -> OldStack:
        env, version = _bridge(python, request, request.path.resolve(), pristine, work, log)
        return OldStack(
            prober(env),
            lambda: envs.installed(env),
            ids,
            bridged=f"a bridge stack (the legacy requirements on Python {version})",
        )

    return OldStack(prober(environment), lambda: envs.installed(environment), ids, bridge)


#: How many interpreters a bridge stack tries before giving up.
BRIDGE_ATTEMPTS = 3


def _bridge(
    python: Version, request: VerifyRequest, project: Path, pristine: Path, work: Path, log: Log
) -> tuple[envs.Environment, str]:
    """The legacy requirements installed on the oldest interpreter of at least version
    ``python`` on this machine that installs them (pyenv's or on PATH), and its version.
    Raises ``InputError`` saying why there is none."""
    side = request.before
    requirements = _locate(side.requirements, project) if side is not None else None
    if requirements is None:
        raise InputError(
            "the legacy side names no requirements file to install on a newer interpreter"
        )
    #: the installer's last words -> the versions it said them on
    failures: dict[str, list[str]] = {}
    major, minor = python
    for candidate in range(minor, minor + 20):
        spec = f"{major}.{candidate}"
        try:
            interpreter = envs.resolve_python(spec)
        except envs.MissingInterpreterError:
            continue
        log(f"bridge stack: installing {requirements.name} on Python {spec} ...")
        try:
            env = envs.environment(str(interpreter), requirements, log, request.cache_dir)
            if request.install_cmd:
                env = envs.overlay(env, work / f"env-bridge-{spec}")
                tree = work / f"bridge-{spec}"
                copy_tree(pristine, tree)
                envs.run_install(env, request.install_cmd, tree)
        except InputError as error:
            failures.setdefault(_last_words(str(error)), []).append(spec)
            if sum(len(specs) for specs in failures.values()) >= BRIDGE_ATTEMPTS:
                break
            continue
        return env, spec
    if failures:
        said = "; ".join(
            f"on Python {', '.join(specs)}: {words}" for words, specs in failures.items()
        )
        raise InputError(f"{requirements.name} does not install {said}")
    raise InputError(f"no Python >= {format_version(python)} interpreter found (pyenv or PATH)")


def _last_words(error: str) -> str:
    """An installer's error in one line: its last one, without the decorations."""
    lines = [line.strip() for line in error.splitlines() if line.strip()]
    last = lines[-1] if lines else error
    return re.sub(r"^(?:[^\w(]+\s*)?(?:cause:|error:)?\s*", "", last)


def library_failures(run: RunResult, tree: Path, library: Sequence[str]) -> dict[str, str]:
    """The failing tests of ``run`` whose innermost traceback entry inside the project is
    in one of the ``library`` files: node id -> "path:line: error"."""
    out_of_scope = set(library)
    found = {}
    for nodeid, test in run.tests.items():
        if test.outcome not in ("failed", "error"):
            continue
        inside = frames(test.message, str(tree))
        if inside and inside[-1][0] in out_of_scope:
            path, line = inside[-1]
            found[nodeid] = f"{path}:{line}: {failure_line(test)}"
    return found


def _locate(requirements: Path | None, project: Path) -> Path | None:
    """A relative requirements file not found from here is looked for in the project."""
    if requirements is None or requirements.is_absolute() or requirements.exists():
        return requirements
    inside = project / requirements
    return inside if inside.exists() else requirements


def write_to_tree(project: Path, pristine: Path, contents: Contents) -> tuple[list[str], list[str]]:
    """Write ``contents`` into the user's tree, atomically, file by file.

    A file that no longer matches the copy verify started from was edited meanwhile: it
    is left alone and listed, never overwritten.
    """
    written, conflicts = [], []
    for relpath, data in sorted(contents.items()):
        target, original = project / relpath, pristine / relpath
        current = target.read_bytes() if target.exists() else None
        expected = original.read_bytes() if original.exists() else None
        if current != expected:
            conflicts.append(relpath)
        elif data is not None and data != current:
            atomic_write(target, data)
            written.append(relpath)
    return written, conflicts
