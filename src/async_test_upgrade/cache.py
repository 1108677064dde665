"""Incremental reruns: what a file gave last time, kept while nothing it depends on moved.

A rerun of ``migrate --check`` on an unchanged tree, a pre-commit call on a few changed
files of a large repository, a rerun after a partial apply: most files are exactly what
they were, and so is what the run learns from them. Two answers are kept per project,
in the user's cache directory (``$ASYNC_TEST_UPGRADE_RUN_CACHE``, else
``$ASYNC_TEST_UPGRADE_CACHE`` or ``$XDG_CACHE_HOME`` or ``~/.cache`` with
``async-test-upgrade/runs``):

* the *scan* of a file (which codemods its bytes may trigger, and the facts it adds),
  keyed by its path and the digest of its bytes;
* the *transform* of a file (its new bytes, changes, notes, config requests), keyed by
  its path, the digest of its bytes, whether it is library code, and the digest of the
  whole project's facts: a change anywhere that moves a fact misses every file.

Both live under a key made of the tool's own code (a digest of the package's sources,
so an edited codemod never reuses an old answer), LibCST's version, the interpreter and
the options of the run. A cache file that is not ours, is damaged, belongs to another
user or can be written by others is ignored (never loaded) and replaced at the end of
the run. ``--no-cache`` turns all of it off.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from async_test_upgrade.model import FileResult, Options

_MAGIC = b"async-test-upgrade run cache 1\n"


def cache_root() -> Path:
    """Where the tool keeps what it may reuse: ``$ASYNC_TEST_UPGRADE_CACHE``, else
    ``$XDG_CACHE_HOME`` (or ``~/.cache``) + ``async-test-upgrade``."""
    explicit = os.environ.get("ASYNC_TEST_UPGRADE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "async-test-upgrade"


def runs_dir() -> Path:
    """Where runs are kept: ``$ASYNC_TEST_UPGRADE_RUN_CACHE``, else ``runs`` in
    :func:`cache_root` (which also holds ``verify``'s virtualenvs)."""
    explicit = os.environ.get("ASYNC_TEST_UPGRADE_RUN_CACHE")
    return Path(explicit) if explicit else cache_root() / "runs"


@cache
def code_digest() -> str:
    """The tool's own code, LibCST's version and the interpreter: a new build of any of
    them may answer differently."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    with contextlib.suppress(PackageNotFoundError):
        digest.update(version("libcst").encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def canonical(value: object) -> object:
    """``value`` in a form whose ``repr`` is the same in every process (sets sorted,
    dataclasses as their fields): string hashing differs between processes."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple((f.name, canonical(getattr(value, f.name))) for f in dataclasses.fields(value)),
        )
    if isinstance(value, Mapping):
        return tuple(sorted((repr(canonical(k)), canonical(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(canonical(item)) for item in value))
    if isinstance(value, (list, tuple)):
        return tuple(canonical(item) for item in value)
    return value


def digest_of(value: object) -> str:
    return hashlib.blake2b(repr(canonical(value)).encode(), digest_size=16).hexdigest()


ScanKey = tuple[str, str]  # relpath, digest of the bytes
TransformKey = tuple[str, str, bool, str]  # relpath, digest, library, facts digest


class RunCache:
    """The scan and transform answers of one project under one run key."""

    def __init__(self, path: Path | None) -> None:
        #: None: caching is off (``--no-cache``, or no cache directory can be had).
        self.path = path
        self.scans: dict[ScanKey, Any] = {}
        self.transforms: dict[TransformKey, FileResult] = {}
        self.hits = 0
        #: The digest of each file's bytes as this run read them, by relpath.
        self.digests: dict[str, str] = {}
        self._used_scans: set[ScanKey] = set()
        self._used_transforms: set[TransformKey] = set()
        self._dirty = False

    @classmethod
    def open(cls, root: Path, options: Options, codemods: Iterable[str]) -> RunCache:
        key = digest_of(
            (
                code_digest(),
                str(root.resolve()),
                dataclasses.replace(options, selected=frozenset(codemods)),
            )
        )
        opened = cls(runs_dir() / f"{key}.pickle")
        opened._load()
        return opened

    @classmethod
    def disabled(cls) -> RunCache:
        return cls(None)

    def _load(self) -> None:
        assert self.path is not None
        try:
            with open(self.path, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not _trusted(info):
                    return
                data = handle.read()
        except OSError:
            return
        if not data.startswith(_MAGIC):
            return
        body = data[len(_MAGIC) :]
        checksum, body = body[:32], body[32:]
        if hashlib.blake2b(body, digest_size=16).hexdigest().encode() != checksum:
            return  # damaged: a partial write, another program's file
        try:
            scans, transforms = pickle.loads(body)
        except Exception:
            return
        if isinstance(scans, dict) and isinstance(transforms, dict):
            self.scans, self.transforms = scans, transforms

    # --- lookups -----------------------------------------------------------------------

    def scan(self, key: ScanKey) -> Any:
        if self.path is None or key not in self.scans:
            return None
        self._used_scans.add(key)
        return self.scans[key]

    def keep_scan(self, key: ScanKey, value: Any) -> None:
        if self.path is not None:
            self.scans[key] = value
            self._used_scans.add(key)
            self._dirty = True

    def transform(self, key: TransformKey) -> FileResult | None:
        if self.path is None or key not in self.transforms:
            return None
        self._used_transforms.add(key)
        self.hits += 1
        return self.transforms[key]

    def keep_transform(self, key: TransformKey, value: FileResult) -> None:
        if self.path is not None and value.error is None:
            self.transforms[key] = value
            self._used_transforms.add(key)
            self._dirty = True

    # --- saving ------------------------------------------------------------------------

    def save(self) -> None:
        """Keep what this run used (entries of files gone or changed are dropped), in one
        atomic write; a cache that cannot be written only costs the next run time."""
        if self.path is None:
            return
        unused = len(self.scans) - len(self._used_scans) + len(self.transforms)
        unused -= len(self._used_transforms)
        if not self._dirty and not unused:
            return
        scans = {k: v for k, v in self.scans.items() if k in self._used_scans}
        transforms = {k: v for k, v in self.transforms.items() if k in self._used_transforms}
        body = pickle.dumps((scans, transforms), protocol=pickle.HIGHEST_PROTOCOL)
        checksum = hashlib.blake2b(body, digest_size=16).hexdigest().encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, scratch = tempfile.mkstemp(dir=self.path.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_MAGIC + checksum + body)
                os.replace(scratch, self.path)
            except BaseException:
                Path(scratch).unlink(missing_ok=True)
                raise
        except OSError:
            pass


def _trusted(info: os.stat_result) -> bool:
    """A regular file of this user that nobody else can write (loading a pickle runs
    code: a file someone else could have written is never loaded)."""
    if not stat.S_ISREG(info.st_mode):
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
