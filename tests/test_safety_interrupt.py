"""A run killed while it writes (SIGKILL: nothing of ours runs) and run again ends where
an uninterrupted run ends: the same tree, the same decisions and notes, no temporary
files left."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from async_test_upgrade.cli import cli
from async_test_upgrade.write import JOURNAL_NAME

STRICT = "[pytest]\nasyncio_mode = strict\n"
MODULE = """\
import asyncio

import pytest


@pytest.fixture
async def resource_{n}():
    return {n}


@pytest.mark.asyncio
async def test_one_{n}():
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_two_{n}():
    await asyncio.sleep(0)
"""


def make(root: Path, files: int) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "pytest.ini").write_text(STRICT)
    for n in range(files):
        (root / "tests" / f"test_{n:03}.py").write_text(MODULE.format(n=n))
    return root


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def said(stderr: str) -> tuple[list[str], set[str]]:
    """The decisions (``!`` lines) and the review notes of a summary."""
    lines = stderr.splitlines()
    headlines = [line for line in lines if line.startswith("  ! ")]
    notes = {line for line in lines if line.startswith("  tests/") and ": strict-to-auto:" in line}
    return headlines, notes


def migrate(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "async_test_upgrade", "migrate", "-j", "2", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_a_rerun_after_a_kill_during_the_writes_ends_where_a_full_run_ends(
    tmp_path: Path,
) -> None:
    reference = make(tmp_path / "reference", 150)
    full = migrate(reference)
    assert full.returncode == 0, full.stderr
    expected_tree = tree(reference)
    expected_headlines, expected_notes = said(full.stderr)
    assert expected_headlines and expected_notes  # what a rerun must not lose
    chance = random.Random(os.getpid())
    stopped_midway = 0
    for attempt in range(3):
        root = make(tmp_path / f"killed-{attempt}", 150)
        process = subprocess.Popen(
            [sys.executable, "-m", "async_test_upgrade", "migrate", "-j", "2", str(root)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # The config is written first: once it changes, the writes are under way.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if "auto" in (root / "pytest.ini").read_text():
                break
            time.sleep(0.002)
        time.sleep(chance.uniform(0, 0.15))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        unwritten = sum(
            "@pytest.mark.asyncio" in (root / "tests" / f"test_{n:03}.py").read_text()
            for n in range(150)
        )
        stopped_midway += unwritten > 0
        rerun = migrate(root)
        assert rerun.returncode == 0, rerun.stderr
        assert "Traceback" not in rerun.stderr
        headlines, notes = said(rerun.stderr)
        if unwritten:
            # Stopped between two writes: the rerun finishes it and says what it said.
            assert headlines == expected_headlines
            assert notes == expected_notes
        else:
            # Every file was written before the kill landed: the run had finished, or
            # only its journal was left, which the rerun reports once.
            assert headlines in ([], expected_headlines)
        assert tree(root) == expected_tree  # no journal, no temporary file, same bytes
        # And a third run has nothing left to say about the stopped one.
        again = CliRunner().invoke(cli, ["migrate", "--check", str(root)])
        assert again.exit_code == 0, again.output
        assert "stopped here" not in again.stderr
        shutil.rmtree(root)
    assert stopped_midway, "no attempt stopped the run between two writes"


def test_temporary_files_of_a_stopped_run_are_removed_by_the_next(tmp_path: Path) -> None:
    root = make(tmp_path, 2)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    gone = int(dead.stdout)
    leftover = root / "tests" / f".test_000.py.{gone}.abcd_123.tmp"
    leftover.write_text("half a file")
    in_flight = root / "tests" / f".test_001.py.{os.getppid()}.abcd_123.tmp"
    in_flight.write_text("another run, writing now")
    unrelated = root / "tests" / ".notes.tmp"
    unrelated.write_text("the user's")
    result = CliRunner().invoke(cli, ["migrate", "--diff", str(root)])
    assert leftover.exists(), "a dry run removed a file"
    result = CliRunner().invoke(cli, ["migrate", str(root)])
    assert result.exit_code == 0, result.output
    assert not leftover.exists()
    assert in_flight.exists() and unrelated.exists()
    assert not (root / JOURNAL_NAME).exists()
