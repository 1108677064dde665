"""discover -> prefilter -> index -> transform -> config edits -> results.

The engine never prints; it returns a :class:`MigrationResult` that the CLI renders
(diff, writes, summary) and the harness reuses.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import dataclasses
import functools
import hashlib
import os
import pickle
import re
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, ProviderT

from async_test_upgrade import cache as cache_module
from async_test_upgrade import config as config_module
from async_test_upgrade import facts as facts_module
from async_test_upgrade import gate as gate_module
from async_test_upgrade import imports as imports_module
from async_test_upgrade import pool as pool_module
from async_test_upgrade import requirements as requirements_module
from async_test_upgrade import scope as scope_module
from async_test_upgrade.cst import CodemodTransformer, FileContext, ImportRequest
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.files import InputError, SourceFile, discover, display_path
from async_test_upgrade.locations import original_lines, to_disk_lines
from async_test_upgrade.model import (
    Change,
    ConfigEdit,
    FileResult,
    Note,
    Options,
    format_version,
)
from async_test_upgrade.names import NameResolver
from async_test_upgrade.providers import SourceView
from async_test_upgrade.registry import Codemod, catalogue
from async_test_upgrade.textsearch import trie_pattern
from async_test_upgrade.traversal import (
    SharedTraversal,
    UnsharedRoundError,
    must_follow,
    rounds,
)


@dataclass
class FileOutcome:
    path: Path
    relpath: str
    old: bytes
    new: bytes


@dataclass
class MigrationResult:
    root: Path
    files_scanned: int = 0
    files_parsed: int = 0
    #: Files whose transform was reused from the last run (``cache.py``): not parsed.
    files_cached: int = 0
    changed_files: list[FileOutcome] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    config_path: Path | None = None
    config_old: bytes | None = None
    config_new: bytes | None = None
    skipped_for_target: list[str] = field(default_factory=list)
    #: Python files outside the test suite (library code): read for facts, not rewritten.
    library_files: list[str] = field(default_factory=list)
    #: Python files matched by ``--exclude``: read for facts, never rewritten.
    excluded_files: list[str] = field(default_factory=list)
    #: Decisions a reviewer must see first (the summary prints them right after its
    #: first line), such as switching a mode the project chose explicitly.
    headlines: list[str] = field(default_factory=list)
    #: Wall-clock seconds per stage (discover, scan, transform, config), for --report.
    timings: dict[str, float] = field(default_factory=dict)
    #: Why each file given (and not rewritten nor left alone with an error) was not
    #: rewritten, by relpath: out of scope, excluded, no trigger, gated out, unchanged,
    #: a symbolic link (``-v`` lists them).
    not_rewritten: dict[str, str] = field(default_factory=dict)

    @property
    def out_of_scope(self) -> int:
        return len(self.library_files)

    @property
    def config_changed(self) -> bool:
        return self.config_new is not None and self.config_new != (self.config_old or b"")

    @property
    def anything_changed(self) -> bool:
        return bool(self.changed_files) or self.config_changed


def project_root(paths: Sequence[Path]) -> Path:
    """The directory pytest would treat as the root for these paths."""
    resolved = [p.resolve() for p in paths]
    dirs = [p if p.is_dir() else p.parent for p in resolved]
    common = Path(os.path.commonpath([str(d) for d in dirs])) if dirs else Path.cwd()
    located = config_module.locate(common)
    if located.exists and (located.path.parent == common or located.path.parent in common.parents):
        return located.path.parent
    return common


# --- prefilter --------------------------------------------------------------------------


class Prefilter:
    """One compiled byte pattern for every selected codemod's triggers (and, in the same
    pass, any ``also`` words the caller wants to know about)."""

    def __init__(self, codemods: Sequence[Codemod], also: Iterable[bytes] = ()) -> None:
        self.codemods = [c for c in codemods if c.transformer is not None]
        words = {t for c in self.codemods for t in c.triggers} | set(also)
        self.untriggered = [c for c in self.codemods if not c.triggers]
        self.pattern = re.compile(trie_pattern(words)) if words else None

    def scan(self, source: bytes) -> tuple[list[str], bool]:
        """Names of the codemods that may apply to ``source``, in pipeline order, and
        whether any word of the pattern occurs at all (if not, none of ``also`` does)."""
        found: set[bytes] = set()
        if self.pattern is not None:
            found = set(self.pattern.findall(source))
        if not found and not self.untriggered:
            return [], False
        names = []
        # What the codemods let through so far may write: a later one's trigger may only
        # appear in their output.
        produced: gate_module.CodeIndex | None = None
        for c in self.codemods:
            if (
                not c.triggers
                or any(t in found or t in source for t in c.triggers)
                or (produced is not None and gate_module.triggers_in_code(c, produced))
            ):
                names.append(c.name)
                if c.produces and (produced is None or not c.produces <= produced.words):
                    # Rebuilt only when the products grow, not once per later codemod.
                    words = c.produces if produced is None else produced.words | c.produces
                    produced = gate_module.CodeIndex(frozenset(words))
        return names, bool(found)


# --- work done in the worker processes ------------------------------------------------
#
# One pool serves both stages. The scan stage reads every file once: the byte
# prefilter and the file's contribution to the project facts. The transform stage gets
# the files the prefilter let through, with the merged facts, and gates each again
# before paying for LibCST: the codemods' own gates on the words of the raw text (a
# superset of the code's words, a twentieth of the cost of compiling), then triggers
# and gates on the words of the compiled code. It sends back results (bytes and
# records), never trees.


@dataclass
class ScanResult:
    path: str
    relpath: str
    names: list[str]
    #: What the file adds to the project facts; None when only its path does.
    facts: ProjectFacts | None
    error: str | None = None


@dataclass
class _WorkerState:
    options: Options
    codemods: dict[str, Codemod]
    prefilter: Prefilter
    shared: bool = True
    #: Contents given instead of the files on disk, by resolved path (in-process only).
    sources: dict[str, bytes] = field(default_factory=dict)
    facts_token: int = -1
    facts: ProjectFacts | None = None


_STATE: _WorkerState | None = None


def _init_worker(
    options: Options, codemods: Sequence[Codemod], shared: bool = True, parent: int = 0
) -> None:
    global _STATE
    if parent:
        _die_with(parent)
    # Compiling the user's files must not print their SyntaxWarnings ("invalid escape
    # sequence") on the user's terminal: they are not the migration's findings.
    warnings.filterwarnings("ignore", category=SyntaxWarning)
    _STATE = _WorkerState(
        options,
        {c.name: c for c in codemods},
        Prefilter(codemods, also=facts_module.FACT_WORDS),
        shared,
    )


def _die_with(parent: int) -> None:
    """In a pool worker: exit as soon as the process that started the pool is gone (it
    was killed, say), instead of working on for nobody while holding its pipes."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def scan_file(path: str, relpath: str) -> ScanResult:
    assert _STATE is not None
    partial = ProjectFacts()
    try:
        source = _read(path, _STATE.sources)
    except OSError as error:
        return ScanResult(path, relpath, [], partial, f"{relpath}: cannot read: {error}")
    names, any_word = _STATE.prefilter.scan(source)
    if not _STATE.options.gates:
        names = [c.name for c in _STATE.prefilter.codemods]
    if not facts_module.has_content_facts(source, fact_words_possible=any_word):
        return ScanResult(path, relpath, names, None)  # the parent indexes the path
    try:
        facts_module.index_file(partial, relpath, source)
    except Exception as error:  # one file's problem (a tree too deep to walk): its own
        return ScanResult(path, relpath, [], None, failure(relpath, error, "reading its facts"))
    return ScanResult(path, relpath, names, partial)


def _read(path: str, sources: Mapping[str, bytes]) -> bytes:
    """The file's bytes: as given (read from stdin) or on disk."""
    return sources[path] if path in sources else Path(path).read_bytes()


def _merged(files: list[SourceFile], extra: list[SourceFile]) -> list[SourceFile]:
    known = {f.path for f in files}
    return files + [f for f in extra if f.path not in known]


def failure(relpath: str, error: BaseException, during: str) -> str:
    """One line for a file the run had to leave alone because of ``error``."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    kind = type(error).__name__
    if isinstance(error, RecursionError):
        message = "nested too deeply to walk"
    return f"{relpath}:1: error: {kind}: {message} ({during}); left alone"


def _scan_chunk(chunk: list[tuple[str, str]]) -> list[ScanResult]:
    # Most files have nothing to report beyond their path, which the parent indexes
    # itself: only the others travel back.
    results = (scan_file(path, relpath) for path, relpath in chunk)
    return [r for r in results if r.names or r.facts is not None or r.error]


#: One file for the transform stage: path, relpath, the codemods the prefilter let
#: through, and whether the file is out of scope (library code: findings become notes).
Task = tuple[str, str, list[str], bool]


def _transform_chunk(job: tuple[int, str, list[Task]]) -> list[FileResult]:
    assert _STATE is not None
    token, facts_path, tasks = job
    if _STATE.facts_token != token:  # load the facts once per worker, not per chunk
        _STATE.facts = pickle.loads(Path(facts_path).read_bytes())
        _STATE.facts_token = token
    assert _STATE.facts is not None
    results = []
    for path, relpath, names, library in tasks:
        try:
            source = _read(path, _STATE.sources)
        except OSError as error:
            results.append(FileResult(relpath, error=f"{relpath}: cannot read: {error}"))
            continue
        try:
            codemods = [_STATE.codemods[n] for n in names]
            if _STATE.options.gates:
                codemods = gated(codemods, source, relpath, _STATE.facts)
        except Exception as error:
            results.append(FileResult(relpath, error=failure(relpath, error, "reading its code")))
            continue
        if not codemods:
            results.append(FileResult(relpath, source_digest=digest(source)))
            continue
        result = transform_source(
            source, relpath, codemods, _STATE.facts, _STATE.options, library, _STATE.shared
        )
        result.source_digest = digest(source)
        results.append(result)
    return results


def digest(data: bytes) -> str:
    """What a file held when it was read, to tell a later edit from the migration's."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def gated(
    codemods: Sequence[Codemod], source: bytes, relpath: str, facts: ProjectFacts
) -> list[Codemod]:
    """The codemods (that the byte prefilter let through) that can apply to ``source``,
    judged on its words before paying for a LibCST parse."""
    rough = gate_module.TextIndex(source, relpath)
    kept = _passing(codemods, rough, facts, gate_module.own_gate_passes)
    if not kept:
        return []
    code = gate_module.parse_index(source, relpath)
    if code is None:
        return kept  # it does not compile: LibCST reports why
    return _passing(kept, code, facts, gate_module.lets_through)


def _passing(
    codemods: Sequence[Codemod],
    code: gate_module.CodeIndex,
    facts: ProjectFacts,
    test: Callable[[Codemod, gate_module.CodeIndex, ProjectFacts], bool],
) -> list[Codemod]:
    """The codemods (in pipeline order) that pass ``test`` on the file's words and what
    the codemods before them that passed may write (their ``produces``)."""
    kept: list[Codemod] = []
    produced: frozenset[str] = frozenset()
    for record in codemods:
        if test(record, gate_module.with_products(code, produced), facts):
            kept.append(record)
            produced |= record.produces
    return kept


def transform_source(
    source: bytes,
    relpath: str,
    codemods: Sequence[Codemod],
    facts: ProjectFacts,
    options: Options,
    library: bool = False,
    shared: bool = True,
) -> FileResult:
    """Run ``codemods`` in order on one parsed module. Pure: bytes in, result out.

    ``shared``: codemods that need not see each other's output run together in one
    traversal (``traversal.py``); False runs each alone, one traversal each (the same
    output: a test compares the two on every golden case and corpus file).

    ``library``: the file is library code, out of the migration's scope. Each codemod
    then sees the file as it is, and what it would rewrite becomes a note with the
    codemod's ``library_note``; nothing is rewritten."""
    result = FileResult(relpath)
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        # Python's own message and line, which the user knows from their interpreter;
        # LibCST's only for syntax newer than the interpreter running the tool.
        line, message = compile_error(source, relpath) or (error.raw_line, error.message)
        result.error = f"{relpath}:{line}: cannot parse, left alone: {message}"
        return result
    except (UnicodeDecodeError, LookupError, SyntaxError) as error:
        result.error = f"{relpath}:1: cannot decode, left alone: {error}"
        return result
    except Exception as error:  # RecursionError, MemoryError: this file only
        result.error = failure(relpath, error, "parsing")
        return result
    result.parsed = True
    original = module
    module_name = facts.module_names.get(relpath) or facts_module.module_name(relpath)
    records = [record for record in codemods if record.transformer is not None]
    # Library code is only reported on: every codemod sees the file as it is, alone.
    grouped = (
        rounds(records, _follows(codemods))
        if shared and not library
        else [[record] for record in records]
    )
    try:
        module = _run_rounds(module, grouped, result, relpath, module_name, facts, options, library)
    except _RoundFailedError as failed:  # a codemod bug or a tree too deep: this file alone
        if len(failed.members) > 1:
            # Run again one codemod at a time, to name the one to blame.
            return transform_source(source, relpath, codemods, facts, options, library, False)
        blamed = f"in {failed.members[0].name}"
        return FileResult(relpath, error=failure(relpath, failed.error, blamed), parsed=True)
    if module is not original:
        new_source = module.bytes
        if new_source != source:
            # Errors only the compiler finds (``await`` outside a coroutine, a repeated
            # argument): the file does not run as it is; rewriting it would hide that.
            # (Syntax newer than this interpreter's fails both; LibCST read it, so it is not
            # the file's error.)
            invalid = compile_error(source, relpath)
            if invalid is not None and _ast_parses(source):
                line, message = invalid
                result.error = f"{relpath}:{line}: does not compile, left alone: {message}"
                result.changes, result.notes, result.config_edits = [], [], []
                return result
            problem = reparse_error(new_source)
            if problem is not None:  # a codemod bug: never write it
                result.error = f"{relpath}: internal error, output did not re-parse: {problem}"
                return result
            result.new_source = new_source
    return result


class _RoundFailedError(Exception):
    """A round of codemods raised on a file: which codemods, and what they raised."""

    def __init__(self, members: Sequence[Codemod], error: Exception) -> None:
        super().__init__(str(error))
        self.members = members
        self.error = error


def _run_rounds(
    module: cst.Module,
    grouped: Sequence[Sequence[Codemod]],
    result: FileResult,
    relpath: str,
    module_name: str,
    facts: ProjectFacts,
    options: Options,
    library: bool,
) -> cst.Module:
    wrapper: MetadataWrapper | None = None
    names: NameResolver | None = None
    view: SourceView | None = None
    first = module
    to_original: tuple[cst.Module, list[int]] | None = None
    pending = [list(members) for members in grouped]
    while pending:
        members = pending.pop(0)
        try:
            if wrapper is None:
                wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
                view = SourceView(module)
                names = NameResolver(view, relpath)
            contexts: list[FileContext] = []
            transformers: list[CodemodTransformer] = []
            for record in members:
                assert record.transformer is not None
                ctx = FileContext(relpath, module_name, facts, options, codemod=record.name)
                ctx.wrapper, ctx.names, ctx.view = wrapper, names, view
                transformer = record.transformer(ctx)
                # Metadata is computed on the first question that needs it, not before the
                # visit: most codemods that may apply find nothing to do and never ask.
                transformer.metadata = _LazyMetadata(wrapper)
                contexts.append(ctx)
                transformers.append(transformer)
            visitor = transformers[0] if len(transformers) == 1 else SharedTraversal(transformers)
            reported = (len(result.notes), len(result.changes), len(result.config_edits))
            try:
                new_module = module.visit(visitor)
            except UnsharedRoundError:
                pending[:0] = [[record] for record in members]
                continue
            changed = False
            to_add: list[ImportRequest] = []
            to_drop: list[ImportRequest] = []
            for record, ctx, transformer in zip(members, contexts, transformers, strict=True):
                transformer.metadata = {}
                if library:
                    result.notes.extend(_library_notes(ctx.changes, record))
                    continue
                result.notes.extend(ctx.notes)
                result.config_edits.extend(ctx.config_edits)
                if ctx.changes or ctx.imports_to_add:
                    changed = True
                    result.changes.extend(ctx.changes)
                    to_add.extend(ctx.imports_to_add)
                    to_drop.extend(ctx.imports_to_drop)
            if module is not first:  # lines of a rewritten tree: say where they were on disk
                assert view is not None
                if to_original is None or to_original[0] is not module:
                    to_original = (module, original_lines(first.code, view.code))
                to_disk_lines(result, reported, to_original[1])
            if not changed:
                continue  # nothing rewritten: keep the tree and its computed metadata
            module = imports_module.fix_imports(new_module, to_add, to_drop)
            wrapper = None
        except Exception as error:
            raise _RoundFailedError(members, error) from error
    return module


def _library_notes(changes: Sequence[Change], record: Codemod) -> list[Note]:
    return [
        Note(
            change.path,
            change.line,
            change.codemod,
            f"{scope_module.outside_kind(change.path)}, left alone ({record.library_note}): "
            f"would have {change.description} (--include-source rewrites it)",
        )
        for change in changes
    ]


def compile_error(source: bytes, relpath: str) -> tuple[int, str] | None:
    """The line and message of the error CPython reports compiling ``source``, or None."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(source, relpath, "exec", dont_inherit=True)
        except SyntaxError as error:
            return error.lineno or 1, error.msg
        except (ValueError, RecursionError, MemoryError) as error:  # NUL bytes, depth
            return 1, str(error)
    return None


def _ast_parses(source: bytes) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


def reparse_error(source: bytes) -> str | None:
    """Why ``source`` is not valid Python, or None. Python's own parser answers first (a
    tenth of LibCST's cost); LibCST's has the last word, for syntax newer than the
    running interpreter's."""
    try:
        ast.parse(source)
        return None
    except (SyntaxError, ValueError):
        pass
    try:
        cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        return str(error)
    return None


def _follows(codemods: Sequence[Codemod]) -> Mapping[str, frozenset[str]]:
    """``must_follow`` over the catalogue (relations pass through codemods not selected),
    computed once per catalogue."""
    from async_test_upgrade import registry

    catalogue = registry.catalogue()
    known = {id(record) for record in catalogue}
    if any(id(record) not in known for record in codemods):  # records made by tests
        return must_follow([*catalogue, *codemods])
    return _catalogue_follows(catalogue)


@functools.cache
def _catalogue_follows(catalogue: tuple[Codemod, ...]) -> Mapping[str, frozenset[str]]:
    return must_follow(catalogue)


class _LazyMetadata(Mapping[ProviderT, Mapping[cst.CSTNode, object]]):
    """A transformer's metadata, each provider resolved (once per tree) when first read."""

    def __init__(self, wrapper: MetadataWrapper) -> None:
        self.wrapper = wrapper

    def __getitem__(self, provider: ProviderT) -> Mapping[cst.CSTNode, object]:
        return self.wrapper.resolve(provider)

    def __contains__(self, provider: object) -> bool:
        return True  # get_metadata has checked that the transformer declared it

    def __iter__(self) -> Iterator[ProviderT]:
        return iter(())

    def __len__(self) -> int:
        return 0


# --- the whole run -----------------------------------------------------------------------


#: Called as the run goes: stage ("scan" or "transform"), files done, files in the stage,
#: files changed so far.
ProgressCallback = Callable[[str, int, int, int], None]


def migrate(
    paths: Sequence[Path],
    codemods: Sequence[Codemod],
    options: Options,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    shared: bool = True,
    exclude: Sequence[str] = (),
    sources: Mapping[Path, bytes] | None = None,
    cache: bool = False,
) -> MigrationResult:
    """The whole migration of ``paths``, nothing written. ``shared``: see
    :func:`transform_source`. ``exclude``: gitignore-style patterns (from the project
    root) of files never rewritten nor reported on; they are still read for facts.
    ``sources``: file contents to use instead of what is on disk (``-`` reads a file from
    stdin); the file need not exist. Such a run is in-process. ``cache``: reuse what
    the last run of the same tool, options and project learnt from unchanged files, and
    keep what this one learns (``cache.py``)."""
    options = dataclasses.replace(
        options,
        selected=frozenset(c.name for c in codemods),
        known=frozenset(c.name for c in (*catalogue(), *codemods)),
    )
    clock = time.perf_counter()
    given = {str(path.resolve()): data for path, data in (sources or {}).items()}
    root = project_root(paths)
    config = config_module.locate(root)
    on_disk = [p for p in paths if str(p.resolve()) not in given or p.exists()]
    special: list[Path] = []
    links: list[Path] = []
    targets = _merged(
        discover(on_disk, root, special, links) if on_disk else [],
        [SourceFile(Path(path), display_path(Path(path), root)) for path in given],
    )
    # Facts come from the whole project even when only some of its files are migrated
    # (pre-commit passes the changed files): a file gets the same answer either way.
    whole = root.resolve() in {p.resolve() for p in paths}
    files = targets if whole else _merged(discover([root], root), targets)
    asked = {f.relpath for f in targets}
    result = MigrationResult(root=root, files_scanned=len(targets))
    result.notes.extend(
        Note(
            display_path(path, root),
            0,
            "async-test-upgrade",
            "not a regular file (a FIFO, socket or device): skipped",
        )
        for path in special
    )
    clock = _lap(result, "discover", clock)

    runnable = []
    for record in codemods:
        if record.min_target > options.target_version:
            result.skipped_for_target.append(
                f"{record.name}: needs pytest-asyncio >= {format_version(record.min_target)}, "
                f"target is {format_version(options.target_version)}; not applied"
            )
        else:
            runnable.append(record)

    facts = ProjectFacts(root=str(root))
    facts.config_path = display_path(config.path, root)
    facts.config_exists = config.exists
    facts.asyncio_mode = config.get("asyncio_mode")
    facts.default_fixture_loop_scope = config.get("asyncio_default_fixture_loop_scope")
    facts.default_test_loop_scope = config.get("asyncio_default_test_loop_scope")
    requirements_module.index_requirements(facts, root)
    tasks: list[Task] = []
    in_scope = _scope_test(config, files, options)
    excluded = _excluded(exclude, files)
    result.excluded_files = sorted(excluded)
    library_files = [f.relpath for f in files if not in_scope(f.relpath)]
    result.library_files = [f for f in library_files if f not in excluded and f in asked]
    by_name = {c.name: c for c in runnable}

    for source_file in files:
        facts_module.index_path(facts, source_file.relpath)
    if given:
        jobs = 1  # the given contents live in this process
    run_cache = (
        cache_module.RunCache.open(root, options, [c.name for c in runnable])
        if cache and not given
        else cache_module.RunCache.disabled()
    )
    with _Workers(jobs, options, runnable, shared, given) as workers:
        for scanned in _scan_with_cache(workers, files, run_cache, progress):
            if scanned.facts is not None:
                _merge_facts(facts, scanned.facts)
            if scanned.relpath in excluded or scanned.relpath not in asked:
                continue  # read for facts only
            if scanned.error:
                result.errors.append(scanned.error)
            elif scanned.names and in_scope(scanned.relpath):
                tasks.append((scanned.path, scanned.relpath, scanned.names, False))
            elif scanned.names:
                noted = [n for n in scanned.names if by_name[n].library_note]
                if noted:
                    tasks.append((scanned.path, scanned.relpath, noted, True))
        facts.library_modules = {facts.module_names[r] for r in library_files}
        _refuse_auto_over_anyio(facts, options)
        clock = _lap(result, "scan", clock)
        file_results = _transform_with_cache(workers, tasks, facts, run_cache, progress)
        result.files_cached = run_cache.hits
        clock = _lap(result, "transform", clock)
    run_cache.save()
    result.not_rewritten = _not_rewritten(result, asked, tasks, file_results, links)
    edits: list[ConfigEdit] = []
    by_path = {f.relpath: f for f in files}
    for file_result in file_results:
        result.files_parsed += file_result.parsed
        result.changes.extend(file_result.changes)
        result.notes.extend(file_result.notes)
        edits.extend(file_result.config_edits)
        if file_result.error:
            result.errors.append(file_result.error)
        if file_result.new_source is not None:
            source_file = by_path[file_result.path]
            try:
                current = _read(str(source_file.path), given)
            except OSError as error:
                result.errors.append(f"{source_file.relpath}: cannot read: {error}")
                continue
            if digest(current) != file_result.source_digest:
                result.errors.append(
                    f"{source_file.relpath}: changed on disk while it was migrated; "
                    "left alone (run again)"
                )
                continue
            result.changed_files.append(
                FileOutcome(source_file.path, source_file.relpath, current, file_result.new_source)
            )

    for record in runnable:
        if record.configure is None:
            continue
        for item in record.configure(facts, options):
            if isinstance(item, ConfigEdit):
                edits.append(item)
            else:
                result.notes.append(item)
    edits.extend(_settings_the_result_needs(facts, result.changed_files, runnable, options, edits))

    result.headlines.extend(_headlines(edits, facts, config, root))
    if edits:
        result.notes.extend(config_module.apply_edits(config, edits))
        result.changes.extend(
            Change(display_path(config.path, root), 0, e.codemod, _describe_edit(e, config))
            for e in edits
        )
        if config.changed():
            result.config_path = config.path
            result.config_old = config.original
            result.config_new = config.render()
    result.changes = [c for c in result.changes if c.description]
    _lap(result, "config", clock)
    return result


def _scan_with_cache(
    workers: _Workers,
    files: Sequence[SourceFile],
    run_cache: cache_module.RunCache,
    progress: ProgressCallback | None,
) -> Iterator[ScanResult]:
    """Scan results in file order: the last run's for files whose bytes it saw (read and
    digested here, never parsed), the workers' for the others."""
    if run_cache.path is None:
        yield from workers.scan([(str(f.path), f.relpath) for f in files], progress)
        return
    known: dict[str, ScanResult] = {}
    missing: list[SourceFile] = []
    for source_file in files:
        try:
            data = source_file.path.read_bytes()
        except OSError:
            missing.append(source_file)  # the scan reports it
            continue
        run_cache.digests[source_file.relpath] = digest(data)
        hit = run_cache.scan((source_file.relpath, run_cache.digests[source_file.relpath]))
        if hit is None:
            missing.append(source_file)
        else:
            names, partial = hit
            known[source_file.relpath] = ScanResult(
                str(source_file.path), source_file.relpath, list(names), partial
            )
    fresh = {
        scanned.relpath: scanned
        for scanned in workers.scan([(str(f.path), f.relpath) for f in missing], progress)
    }
    for source_file in missing:
        found = run_cache.digests.get(source_file.relpath)
        scanned = fresh.get(source_file.relpath)
        if found is None or (scanned is not None and scanned.error):
            continue  # unread here, or the scan failed: nothing to keep
        # No result at all: the scan had nothing to say beyond the file's path.
        kept = (scanned.names, scanned.facts) if scanned is not None else ([], None)
        run_cache.keep_scan((source_file.relpath, found), kept)
    for source_file in files:
        scanned = known.get(source_file.relpath) or fresh.get(source_file.relpath)
        if scanned is not None:
            yield scanned


def _transform_with_cache(
    workers: _Workers,
    tasks: list[Task],
    facts: ProjectFacts,
    run_cache: cache_module.RunCache,
    progress: ProgressCallback | None,
) -> list[FileResult]:
    """The transform of every task, in task order: the last run's for a file whose bytes,
    scope and project facts are the same, the workers' for the others."""
    if run_cache.path is None:
        return workers.transform(tasks, facts, progress)
    facts_key = cache_module.digest_of(facts)
    keys: list[cache_module.TransformKey | None] = []
    results: list[FileResult | None] = []
    for _path, relpath, _names, library in tasks:
        found = run_cache.digests.get(relpath)
        key = None if found is None else (relpath, found, library, facts_key)
        keys.append(key)
        results.append(None if key is None else run_cache.transform(key))
    missing = [task for task, done in zip(tasks, results, strict=True) if done is None]
    # The pool hands out the largest files first: results come back in its order.
    fresh = {made.path: made for made in workers.transform(missing, facts, progress)}
    for index, done in enumerate(results):
        if done is None:
            made = fresh.get(tasks[index][1])
            if made is None:
                continue
            results[index] = made
            key = keys[index]
            if key is not None and made.source_digest == key[1]:
                run_cache.keep_transform(key, made)
        else:
            results[index] = dataclasses.replace(done, parsed=False, reused=True)
    return [r for r in results if r is not None]


def _headlines(
    edits: Sequence[ConfigEdit],
    facts: ProjectFacts,
    config: config_module.PytestConfig,
    root: Path,
) -> list[str]:
    """One line for a strict mode the project configured on purpose and the run switches."""
    configured = (facts.asyncio_mode or "").strip().lower()
    switch = next((e for e in edits if e.key == "asyncio_mode" and e.value == "auto"), None)
    if configured != "strict" or switch is None:
        return []
    where = display_path(config.path, root)
    given = (
        "--asyncio-mode=strict in addopts"
        if config.addopts_sets("asyncio_mode")
        else "asyncio_mode = strict"
    )
    return [
        f"asyncio mode switched from strict to auto: {where} sets {given} explicitly; "
        f"{switch.reason} (--asyncio-mode strict keeps strict mode)"
    ]


def _scope_test(
    config: config_module.PytestConfig, files: Sequence[SourceFile], options: Options
) -> Callable[[str], bool]:
    """Whether a file (by relpath) is in the migration's scope."""
    if options.include_source:
        return lambda relpath: True
    scope = scope_module.build(
        config.raw("python_files"), config.raw("testpaths"), (f.relpath for f in files)
    )
    return scope.in_scope


def _refuse_auto_over_anyio(facts: ProjectFacts, options: Options) -> None:
    """``--asyncio-mode auto`` asked for what this project cannot have: auto mode would
    take over the async fixtures of its anyio/trio tests. Say so before anything runs,
    rather than quietly giving the default's strict-mode output."""
    if options.asyncio_mode != "auto" or not facts.uses_anyio_or_trio:
        return
    if (facts.asyncio_mode or "").strip().lower() == "auto":
        return  # already auto: nothing is switched
    first = facts.anyio_trio_signals[0]
    more = len(facts.anyio_trio_signals) - 1
    raise InputError(
        f"--asyncio-mode auto: anyio/trio tests found ({first}"
        + (f" and {more} more" if more else "")
        + "); auto mode would take over their async fixtures. Leave the option out (the "
        "suite stays strict, with the marks it needs) or pass --asyncio-mode strict"
    )


def _settings_the_result_needs(
    facts: ProjectFacts,
    changed: Sequence[FileOutcome],
    runnable: Sequence[Codemod],
    options: Options,
    requested: Sequence[ConfigEdit],
) -> list[ConfigEdit]:
    """Settings the migrated code needs that the code as it was did not: a sync test the
    migration made async needs the mode and loop-scope settings a second run would ask
    for. The configure step is asked again with the facts of the rewritten files added;
    only keys nobody requested yet are taken, so a second run has nothing left to do."""
    if not changed and not requested:
        return []
    later = copy.deepcopy(facts)
    for outcome in changed:
        if facts_module.has_content_facts(outcome.new):
            part = ProjectFacts()
            try:
                facts_module.index_file(part, outcome.relpath, outcome.new)
            except Exception:  # too deep to walk: the first run's facts stand
                continue
            _merge_facts(later, part)
    # ... and with the settings this run writes, as the second run would read them.
    written = {edit.key: edit.value for edit in requested}
    later.asyncio_mode = written.get("asyncio_mode", later.asyncio_mode)
    later.default_fixture_loop_scope = written.get(
        "asyncio_default_fixture_loop_scope", later.default_fixture_loop_scope
    )
    later.default_test_loop_scope = written.get(
        "asyncio_default_test_loop_scope", later.default_test_loop_scope
    )
    later.config_exists = later.config_exists or bool(written)
    taken = set(written)
    added: list[ConfigEdit] = []
    for record in runnable:
        if record.configure is None:
            continue
        for item in record.configure(later, options):
            if isinstance(item, ConfigEdit) and item.key not in taken:
                taken.add(item.key)
                added.append(item)
    return added


def _excluded(patterns: Sequence[str], files: Sequence[SourceFile]) -> set[str]:
    if not patterns:
        return set()
    import pathspec

    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    return {f.relpath for f in files if spec.match_file(f.relpath)}


def _lap(result: MigrationResult, stage: str, since: float) -> float:
    now = time.perf_counter()
    result.timings[stage] = round(now - since, 4)
    return now


def _describe_edit(edit: ConfigEdit, config: config_module.PytestConfig) -> str:
    where = config.section_name
    if edit.value is None:
        return f"removed {edit.key} from {where}: {edit.reason}"
    return f"set {edit.key} = {edit.value} in {where}: {edit.reason}"


def _merge_facts(into: ProjectFacts, part: ProjectFacts) -> None:
    """Add one file's facts to the project's, as indexing it in place would have."""
    for item in dataclasses.fields(ProjectFacts):
        mine, theirs = getattr(into, item.name), getattr(part, item.name)
        if isinstance(mine, set):
            mine |= theirs
        elif isinstance(mine, list):
            mine.extend(theirs)
        elif isinstance(mine, dict):
            for key, value in theirs.items():
                existing = mine.get(key)
                if isinstance(existing, set):
                    existing |= value
                elif isinstance(existing, list):
                    existing.extend(value)
                else:
                    # A copy: a later file's entries must never grow this file's own
                    # facts (the run cache keeps them as this file gave them).
                    mine[key] = copy.copy(value)
        # Scalars are project settings, set by the parent from the config.


class _Workers:
    """The scan and transform stages, in one process pool started once (or in-process
    for ``-j 1``). A worker that dies is replaced and its files tried again
    (``pool.py``); files over the size limit are left alone unread, and each file's
    transform has a time limit (``Options.max_file_bytes``, ``Options.file_timeout``)."""

    def __init__(
        self,
        jobs: int | None,
        options: Options,
        codemods: Sequence[Codemod],
        shared: bool,
        sources: dict[str, bytes] | None = None,
    ) -> None:
        self.sources = sources or {}
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.options = options
        self.codemods = codemods
        self.shared = shared
        self.pool: pool_module.Pool | None = None

    def __enter__(self) -> _Workers:
        _init_worker(self.options, self.codemods, self.shared)
        assert _STATE is not None
        _STATE.sources = self.sources
        if self.jobs > 1:
            self.pool = pool_module.Pool(
                self.jobs,
                _init_worker,
                (self.options, self.codemods, self.shared, os.getpid()),
            )
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pool is not None:
            self.pool.shutdown()

    def scan(
        self, files: list[tuple[str, str]], progress: ProgressCallback | None = None
    ) -> Iterator[ScanResult]:
        """Scan results in file order, streamed: the caller keeps only what it needs.
        Files with no trigger, no facts beyond their path and no error may be left out."""
        if self.pool is None or len(files) < 64:
            for done, (path, relpath) in enumerate(files, 1):
                if progress and done % 50 == 0:
                    progress("scan", done, len(files), 0)
                yield scan_file(path, relpath)
            return

        def lost(item: tuple[str, str]) -> list[ScanResult]:
            return [ScanResult(item[0], item[1], [], None, _worker_died(item[1], "reading"))]

        size = max(32, len(files) // (self.jobs * 8))
        work = pool_module.chunks(files, size)
        for index, chunk in enumerate(self.pool.map(_scan_chunk, work, lost), 1):
            if progress:
                progress("scan", min(index * size, len(files)), len(files), 0)
            yield from chunk

    def transform(
        self,
        tasks: list[Task],
        facts: ProjectFacts,
        progress: ProgressCallback | None,
    ) -> list[FileResult]:
        token = id(facts)
        done: dict[str, FileResult] = {}
        tasks, too_large = self._within_size_limit(tasks)
        done.update((result.path, result) for result in too_large)

        def report(results: Iterable[FileResult]) -> None:
            done.update((result.path, result) for result in results)
            if progress:
                changed = sum(r.new_source is not None for r in done.values())
                progress("transform", len(done), len(tasks) + len(too_large), changed)

        if self.pool is None:
            # In-process: the facts are already here, nothing to pickle. (With a pool, even
            # one file goes to a worker: a file that crashes LibCST takes only the worker.)
            _STATE.facts, _STATE.facts_token = facts, token  # type: ignore[union-attr]
            for task in tasks:
                report(_transform_limited((token, "", [task])))
            return [done[relpath] for relpath in self._order]
        # The facts travel once to each worker, through a file, not with every chunk.
        with tempfile.TemporaryDirectory(prefix="async-test-upgrade-") as scratch:
            facts_path = Path(scratch) / "facts.pickle"
            facts_path.write_bytes(pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL))
            # Parsing is the heavy part and file costs vary: the largest files first, in
            # small chunks, so that no core waits for one big file at the end.
            tasks = sorted(tasks, key=lambda task: -self._size(task[0]))
            size = max(1, min(16, len(tasks) // (self.jobs * 8)))
            jobs = [(token, str(facts_path), chunk) for chunk in pool_module.chunks(tasks, size)]

            def lost(job: tuple[int, str, list[Task]]) -> list[FileResult]:
                relpath = job[2][0][1]
                return [FileResult(relpath, error=_worker_died(relpath, "migrating"))]

            for chunk_result in self.pool.map(_transform_jobs, _one_job_per_file(jobs), lost):
                report(chunk_result)
        return [done[relpath] for relpath in self._order]

    def _within_size_limit(self, tasks: list[Task]) -> tuple[list[Task], list[FileResult]]:
        """The tasks to run, and a result for each file over the size limit."""
        self._order = [task[1] for task in tasks]
        limit = self.options.max_file_bytes
        if not limit:
            return tasks, []
        kept, refused = [], []
        for task in tasks:
            size = self._size(task[0])
            if size > limit:
                refused.append(
                    FileResult(
                        task[1],
                        error=f"{task[1]}:1: too large, left alone: {size:,} bytes, more "
                        f"than the limit of {limit:,} (--max-file-size)",
                    )
                )
            else:
                kept.append(task)
        return kept, refused

    def _size(self, path: str) -> int:
        if path in self.sources:
            return len(self.sources[path])
        try:
            return os.stat(path).st_size
        except OSError:
            return 0


def _not_rewritten(
    result: MigrationResult,
    asked: set[str],
    tasks: Sequence[Task],
    file_results: Sequence[FileResult],
    links: Sequence[Path],
) -> dict[str, str]:
    """Why each file given was not rewritten (those left alone are in the errors)."""
    excluded, library = set(result.excluded_files), set(result.library_files)
    triggered = {task[1] for task in tasks if not task[3]}
    outcome = {r.path: r for r in file_results}
    reasons: dict[str, str] = {}
    for relpath in sorted(asked):
        found = outcome.get(relpath)
        if relpath in excluded:
            reasons[relpath] = "excluded (--exclude): read for facts only"
        elif relpath in library:
            reasons[relpath] = (
                "out of scope: library code, read for facts (--include-source rewrites it)"
            )
        elif relpath not in triggered:
            reasons[relpath] = "no trigger: no word any selected codemod looks for"
        elif found is None or found.error or found.new_source is not None:
            continue  # rewritten, or left alone with its reason among the errors
        elif found.reused:
            reasons[relpath] = "unchanged since the last run: its result was reused"
        elif not found.parsed:
            reasons[relpath] = "gated out: its code has nothing the triggered codemods rewrite"
        else:
            reasons[relpath] = "unchanged: parsed, nothing to rewrite"
    for link in links:
        reasons[display_path(link, result.root)] = (
            "a symbolic link: skipped (the file it points to is migrated where it lives, "
            "when that is among the paths given)"
        )
    return reasons


def _one_job_per_file(
    jobs: list[tuple[int, str, list[Task]]],
) -> list[list[tuple[int, str, list[Task]]]]:
    """Each chunk of tasks as work for :meth:`pool.Pool.map`: one item per file, so that
    a file lost with its worker can be tried again alone."""
    return [[(token, path, [task]) for task in tasks] for token, path, tasks in jobs]


def _transform_jobs(jobs: list[tuple[int, str, list[Task]]]) -> list[FileResult]:
    return [result for job in jobs for result in _transform_limited(job)]


def _transform_limited(job: tuple[int, str, list[Task]]) -> list[FileResult]:
    """:func:`_transform_chunk`, each file within the time limit (``--file-timeout``)."""
    assert _STATE is not None
    limit = _STATE.options.file_timeout
    token, facts_path, tasks = job
    results: list[FileResult] = []
    for task in tasks:
        try:
            with pool_module.deadline(limit):
                results.extend(_transform_chunk((token, facts_path, [task])))
        except pool_module.DeadlineExceededError:
            relpath = task[1]
            results.append(
                FileResult(
                    relpath,
                    error=f"{relpath}:1: took too long, left alone: more than {limit:g} s "
                    "(--file-timeout)",
                )
            )
    return results


def _worker_died(relpath: str, during: str) -> str:
    return (
        f"{relpath}:1: error: the worker process {during} it died twice (killed by the "
        "system, out of memory?), the second time with this file alone; left alone"
    )


def write_plan(result: MigrationResult) -> list[tuple[Path, bytes | None, bytes]]:
    """Every write of a migration, in order: path, the bytes it must still hold (None: it
    must not exist yet), the new bytes. The config comes first: a run stopped between the
    two leaves settings that the old sources still run under (auto mode runs marked tests
    too), where the other order would leave unmarked tests under a strict config."""
    plan: list[tuple[Path, bytes | None, bytes]] = []
    if result.config_changed and result.config_path is not None and result.config_new:
        plan.append((result.config_path, result.config_old, result.config_new))
    plan.extend((outcome.path, outcome.old, outcome.new) for outcome in result.changed_files)
    return plan


class WriteInterruptedError(Exception):
    """SIGINT or SIGTERM arrived while writing: the file in flight was finished or left
    as it was (never torn); ``written`` files hold their new content."""

    def __init__(self, written: list[Path], pending: list[Path]) -> None:
        super().__init__(
            f"interrupted after writing {len(written)} of {len(written) + len(pending)}"
        )
        self.written = written
        self.pending = pending


def write_result(result: MigrationResult, renumber: bool = False) -> list[str]:
    """Apply a migration, each file atomically, and return what could not be written.

    Nothing is written unless every target's directory is writable. A file whose bytes
    are no longer those the migration read (an edit saved meanwhile) is left alone and
    reported, and so is one whose replacement would split its hard links or change its
    owner (another user's file, not run as root). SIGTERM is handled like SIGINT
    meanwhile: the write in flight completes or is undone, no temporary file stays, and
    :class:`WriteInterruptedError` says what was written.

    ``renumber``: the notes and changes on the files written name the lines of the files
    as written (the command line's summary after an apply), not those the run read."""
    from async_test_upgrade import write as write_module
    from async_test_upgrade.files import atomic_write, write_refusal

    root = result.root
    plan = write_plan(result)
    blocked = sorted(
        {display_path(path, root) for path, _, _ in plan if not os.access(path.parent, os.W_OK)}
    )
    if blocked:
        return [f"{where}: cannot write there; nothing was written" for where in blocked]
    problems: list[str] = []
    refused = {path: why for path, _, _ in plan if (why := write_refusal(path)) is not None}
    if result.config_path in refused:
        # The sources need the new settings: without them, nothing is written.
        why = refused[result.config_path]
        return [f"{display_path(result.config_path, root)}: {why}; nothing was written"]
    for path, why in refused.items():
        problems.append(f"{display_path(path, root)}: {why}")
    plan = [step for step in plan if step[0] not in refused]
    write_module.remove_leftovers({path.parent for path, _, _ in plan})
    # Notes name the lines of the files as they will be written (the journal too); those
    # of a file that ends up not written get their old lines back.
    before = (list(result.notes), list(result.changes))
    planned = {path for path, _, _ in plan}
    if renumber:
        write_module.on_written_lines(
            result,
            [
                (display_path(path, root), old or b"", new)
                for path, old, new in write_plan(result)
                if path in planned
            ],
        )
    # What a run stopped here had to say (its notes on the lines as written) joins ours.
    stopped = write_module.read_journal(root)
    if stopped is not None:
        write_module.merge(result, *stopped)
    if plan:
        with contextlib.suppress(OSError):  # without it, a rerun still finishes the tree
            write_module.start_journal(root, result.headlines, result.notes)
    written: list[Path] = []
    with _interrupts_as_keyboard_interrupt():
        try:
            for path, expected, new in plan:
                try:
                    current: bytes | None = path.read_bytes()
                except FileNotFoundError:
                    current = None
                except OSError as error:
                    problems.append(f"{display_path(path, root)}: cannot read: {error}")
                    continue
                if current != expected:
                    problems.append(
                        f"{display_path(path, root)}: changed on disk since it was read; "
                        "left alone (run again)"
                    )
                    continue
                try:
                    atomic_write(path, new)
                except OSError as error:
                    problems.append(f"{display_path(path, root)}: cannot write: {error}")
                    continue
                written.append(path)
        except KeyboardInterrupt:
            done = set(written)
            raise WriteInterruptedError(
                written, [path for path, _, _ in plan if path not in done]
            ) from None
    write_module.end_journal(root)
    unwritten = {display_path(path, root) for path in planned - set(written)}
    if renumber and unwritten:  # their notes on the lines they still have
        result.notes = [n for n in result.notes if n.path not in unwritten]
        result.notes += [n for n in before[0] if n.path in unwritten]
        result.changes = [c for c in result.changes if c.path not in unwritten]
        result.changes += [c for c in before[1] if c.path in unwritten]
    return problems


@contextlib.contextmanager
def _interrupts_as_keyboard_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt (as SIGINT does) in the main thread meanwhile."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


__all__ = [
    "MigrationResult",
    "SourceFile",
    "WriteInterruptedError",
    "migrate",
    "project_root",
    "write_plan",
    "write_result",
]
