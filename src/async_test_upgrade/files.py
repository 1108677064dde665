"""Discovery of the files to migrate, byte-faithful reading and atomic writing."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

#: Directories that never hold the user's own test code.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "build",
        "dist",
        "site-packages",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".eggs",
    }
)


class InputError(Exception):
    """Bad input from the user: reported in one line, exit code 2, nothing written."""


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    relpath: str  # posix, relative to the project root, for display


def _is_virtualenv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


def _gitignore_spec(directory: Path) -> pathspec.GitIgnoreSpec | None:
    ignore = directory / ".gitignore"
    if not ignore.is_file():
        return None
    lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(
    path: Path, is_dir: bool, specs: Sequence[tuple[Path, pathspec.GitIgnoreSpec]]
) -> bool:
    # Later (deeper) .gitignore files override earlier ones, as in git.
    verdict = False
    for base, spec in specs:
        rel = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        result = spec.check_file(rel)
        if result.include is not None:
            verdict = result.include
    return verdict


def discover(
    paths: Sequence[Path],
    root: Path,
    skipped: list[Path] | None = None,
    links: list[Path] | None = None,
) -> list[SourceFile]:
    """The Python files under ``paths`` that git would track, sorted, without duplicates.
    Paths named like Python files that are not regular files go to ``skipped``; symbolic
    links met in the walk (never followed) to ``links``."""
    root = root.resolve()
    found: dict[Path, SourceFile] = {}
    for given in paths:
        if not given.exists():
            raise InputError(f"path does not exist: {given}")
        start = given.resolve()
        if start.is_file():
            if start.suffix in (".py", ".pyi"):
                found[start] = SourceFile(start, display_path(start, root))
            continue
        if not start.is_dir():
            if skipped is not None:
                skipped.append(start)
            continue
        for file in _walk(start, root, skipped, links):
            found.setdefault(file, SourceFile(file, display_path(file, root)))
    return [found[p] for p in sorted(found)]


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to the project root (posix), or as it is when outside it."""
    text, prefix = str(path), str(root).rstrip(os.sep) + os.sep
    if text.startswith(prefix) and os.sep == "/":  # the common case, without pathlib
        return text[len(prefix) :]
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _inherited_specs(start: Path, root: Path) -> list[tuple[Path, pathspec.GitIgnoreSpec]]:
    """The .gitignore files between the project root and ``start`` (exclusive)."""
    specs: list[tuple[Path, pathspec.GitIgnoreSpec]] = []
    if start == root or root not in start.parents:
        return specs
    chain = [root, *reversed([p for p in start.parents if root in p.parents])]
    for directory in chain:
        spec = _gitignore_spec(directory)
        if spec is not None:
            specs.append((directory, spec))
    return specs


def _walk(
    start: Path, root: Path, skipped: list[Path] | None = None, links: list[Path] | None = None
) -> Iterator[Path]:
    boundary = root if (start == root or root in start.parents) else start
    stack: list[tuple[Path, list[tuple[Path, pathspec.GitIgnoreSpec]]]] = [
        (start, _inherited_specs(start, boundary))
    ]
    while stack:
        directory, specs = stack.pop()
        own = _gitignore_spec(directory)
        if own is not None:
            specs = [*specs, (directory, own)]
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink():
                # Never follow a link out of the project; a link to a file inside it is
                # reached through its real path anyway.
                if links is not None and entry.name.endswith((".py", ".pyi")):
                    links.append(path)
                continue
            if entry.is_dir():
                if entry.name in SKIPPED_DIRS or _is_virtualenv(path):
                    continue
                if _ignored(path, True, specs):
                    continue
                stack.append((path, specs))
            elif entry.name.endswith((".py", ".pyi")) and not _ignored(path, False, specs):
                if not entry.is_file():
                    # A FIFO, socket or device named *.py: reading it could block forever.
                    if skipped is not None:
                        skipped.append(path)
                    continue
                yield path


# --- reading and writing ------------------------------------------------------------


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step, keeping its permission bits, owner and
    group (an OSError when they cannot be kept: nothing is replaced then)."""
    try:
        found: os.stat_result | None = path.stat()
    except FileNotFoundError:
        found = None
    # The process id in the name tells a later run whether the writer is gone (write.py).
    prefix = f".{path.name}.{os.getpid()}."
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if found is not None:
            os.chmod(tmp, stat.S_IMODE(found.st_mode))
            _keep_owner(tmp, found)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _keep_owner(tmp: str, found: os.stat_result) -> None:
    """Give the new file the owner and group of the one it replaces."""
    if not hasattr(os, "chown"):
        return
    new = os.stat(tmp)
    if (new.st_uid, new.st_gid) == (found.st_uid, found.st_gid):
        return
    try:
        os.chown(tmp, found.st_uid, found.st_gid)
    except PermissionError as error:
        raise PermissionError(
            error.errno,
            f"cannot keep its owner and group (uid {found.st_uid}, gid {found.st_gid}): "
            "run as its owner or as root",
        ) from error
    # (chmod again: chown may clear set-user-ID and set-group-ID bits)
    os.chmod(tmp, stat.S_IMODE(found.st_mode))


def write_refusal(path: Path) -> str | None:
    """Why ``path`` must not be replaced by a new file, or None: the new file would split
    its hard links, or it would not keep its owner (another user's file, and we are not
    root)."""
    try:
        found = path.stat()
    except OSError:
        return None
    if found.st_nlink > 1:
        return (
            f"has {found.st_nlink} hard links; a rewrite would leave the other names with "
            "the old code; left alone (replace the links by one file, or apply the diff "
            "by hand)"
        )
    if hasattr(os, "geteuid") and os.geteuid() not in (0, found.st_uid):
        return (
            f"owned by another user (uid {found.st_uid}); rewriting it would make it "
            "yours; left alone (run as its owner or as root)"
        )
    return None


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# --- text views for diffs -------------------------------------------------------------


def decode_for_display(data: bytes) -> str:
    """Text of a source file for a diff: its declared encoding, BOM dropped."""
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    if encoding == "utf-8-sig":
        encoding = "utf-8"
        data = data.removeprefix(b"\xef\xbb\xbf")
    return data.decode(encoding, errors="replace")
