"""What makes a stopped run end, when run again, where an uninterrupted run ends.

The config is written first, then the sources, each atomically. A run stopped in
between (SIGKILL, a power cut) leaves some files old and some new; the next run
rewrites the old ones. Two things it could not know by itself:

* what the stopped run had to say: the ``!`` decisions and the review notes were made on
  the files as they were (a strict config, say), which the next run no longer sees. They
  are kept in a journal beside the config while the writes go on
  (:data:`JOURNAL_NAME`), and the next run shows them again, then removes it when it
  has written everything;
* the temporary files of a write in flight (``.NAME.PID.XXXXXXXX.tmp``): the next run
  removes those whose process is gone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from async_test_upgrade.model import Note

if TYPE_CHECKING:
    from async_test_upgrade.engine import MigrationResult

JOURNAL_NAME = ".async-test-upgrade-unfinished.json"

#: A temporary file of :func:`files.atomic_write`: ``.NAME.PID.`` + mkstemp's 8 characters.
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[a-z0-9_]{8}\.tmp$")


def journal_path(root: Path) -> Path:
    return root / JOURNAL_NAME


def start_journal(root: Path, headlines: list[str], notes: list[Note]) -> Path:
    """Record what the run says before its first write."""
    from async_test_upgrade.files import atomic_write

    path = journal_path(root)
    data = {
        "headlines": headlines,
        "notes": [[n.path, n.line, n.codemod, n.message] for n in notes],
    }
    atomic_write(path, json.dumps(data, indent=1).encode())
    return path


def end_journal(root: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        journal_path(root).unlink()


def read_journal(root: Path) -> tuple[list[str], list[Note]] | None:
    """What a stopped run had to say, or None when no run was stopped here."""
    try:
        data = json.loads(journal_path(root).read_text(encoding="utf-8"))
        headlines = [str(h) for h in data["headlines"]]
        notes = [Note(str(p), int(line), str(c), str(m)) for p, line, c, m in data["notes"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return headlines, notes


def resume(result: MigrationResult) -> bool:
    """Add what a run stopped here had to say to ``result`` (its decisions first, then its
    notes, then this run's others). False when no run was stopped here."""
    found = read_journal(result.root)
    if found is None:
        return False
    merge(result, *found)
    return True


def merge(result: MigrationResult, headlines: list[str], notes: list[Note]) -> None:
    result.headlines[:0] = [h for h in headlines if h not in result.headlines]
    known = set(notes)
    result.notes = [*notes, *(n for n in result.notes if n not in known)]


def on_written_lines(result: MigrationResult, files: Iterable[tuple[str, bytes, bytes]]) -> None:
    """Give the notes and changes on ``files`` (relpath, old bytes, new bytes) the lines of
    the new contents: after the writes, the file as written is what the user opens."""
    from async_test_upgrade.files import decode_for_display
    from async_test_upgrade.locations import original_lines

    moved: dict[str, list[int]] = {}
    for relpath, old, new in files:
        # For each line of the old text, the line of the new one it became.
        moved[relpath] = original_lines(decode_for_display(new), decode_for_display(old))

    def line(path: str, number: int) -> int:
        lines = moved.get(path)
        if lines is None or number <= 0:
            return number
        return lines[min(number, len(lines)) - 1]

    result.notes = [dataclasses.replace(n, line=line(n.path, n.line)) for n in result.notes]
    result.changes = [dataclasses.replace(c, line=line(c.path, c.line)) for c in result.changes]


def remove_leftovers(directories: Iterable[Path]) -> list[Path]:
    """Remove the temporary files a stopped run left in ``directories``: those of a
    process that no longer runs. Returns what was removed."""
    removed: list[Path] = []
    for directory in set(directories):
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            match = _TEMPORARY.match(entry.name)
            if match is None or not entry.is_file(follow_symlinks=False):
                continue
            if _alive(int(match["pid"])):
                continue  # another run, writing right now
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # no harmless way to ask: keep the file
    if pid == os.getpid():
        return False  # ours, from before a fork or an earlier call: not in flight
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
