"""Incremental reruns through the real command line: a second run reuses what the first
learnt from unchanged files and says so, gives exactly the same output, misses whatever
an edit can change, and never trusts a cache file it did not write."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PROJECT = ROOT / "corpus" / "legacy-mode-worker"


def run(project: Path, cache: Path, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "ASYNC_TEST_UPGRADE_RUN_CACHE": str(cache)}
    done = subprocess.run(
        [sys.executable, "-m", "async_test_upgrade", "migrate", *args, str(project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    return done.returncode, done.stdout, done.stderr


def reused(stderr: str) -> int:
    found = re.search(r"(\d+) reused from the last run", stderr)
    return int(found.group(1)) if found else 0


def parsed(stderr: str) -> int:
    found = re.search(r"(\d+) parsed", stderr)
    assert found, stderr
    return int(found.group(1))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(PROJECT, copy, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    return copy


def test_a_second_run_reuses_every_file_and_prints_the_same(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(project, cache, "--diff")
    assert first[0] == 0 and first[1], first[2]
    assert reused(first[2]) == 0 and parsed(first[2]) > 0
    second = run(project, cache, "--diff")
    assert second[1] == first[1]  # the same diff
    # Every file the first run parsed (and those its gates turned away) is reused.
    assert reused(second[2]) >= parsed(first[2]) and parsed(second[2]) == 0
    assert second[2].splitlines()[1:] == first[2].splitlines()[1:]  # notes, counts


def test_an_edit_misses_and_gives_what_a_fresh_run_gives(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(project, cache, "--diff")
    test_file = next(p for p in sorted((project / "tests").rglob("test_*.py")))
    # A new async function changes the project facts: every file's transform may change.
    test_file.write_text(
        test_file.read_text()
        + '\n\n@pytest.mark.asyncio(scope="module")\nasync def test_added():\n    assert True\n'
    )
    again = run(project, cache, "--diff")
    fresh = run(project, tmp_path / "other-cache", "--diff", "--no-cache")
    assert again[1] == fresh[1]
    assert "test_added" in again[1]
    assert reused(again[2]) == 0  # the facts moved: nothing transformed is reused


def test_no_cache_keeps_nothing(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(project, cache, "--diff", "--no-cache")
    assert not cache.exists() or not any(cache.iterdir())
    second = run(project, cache, "--diff")
    assert reused(second[2]) == 0


@pytest.mark.parametrize("damage", ["truncated", "foreign", "writable-by-others"])
def test_a_damaged_or_foreign_cache_is_ignored(project: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    first = run(project, cache, "--diff")
    (stored,) = list(cache.iterdir())
    if damage == "truncated":
        stored.write_bytes(stored.read_bytes()[:-100])
    elif damage == "foreign":
        # Another program's pickle that would run code when loaded.
        stored.write_bytes(
            b"\x80\x04cos\nsystem\n(S'touch " + bytes(tmp_path / "owned") + b"'\ntR."
        )
    else:
        stored.chmod(0o666)
    again = run(project, cache, "--diff")
    assert again[1] == first[1]
    assert reused(again[2]) == 0
    assert not (tmp_path / "owned").exists()
    third = run(project, cache, "--diff")  # the ignored file was replaced by a good one
    assert reused(third[2]) > 0 and third[1] == first[1]


def test_apply_then_check_reuses_the_unchanged_files(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert run(project, cache)[0] == 0
    code, out, err = run(project, cache, "--check")
    assert code == 0 and not out, err
    code, out, err = run(project, cache, "--check", "-v")
    assert code == 0 and parsed(err) == 0, err
    # -v says why each reused file was not rewritten: it was not looked at again.
    assert "unchanged since the last run" in err
    assert "gated out" not in err and "unchanged: parsed" not in err


def test_reused_with_a_pool_that_hands_out_the_largest_files_first(tmp_path: Path) -> None:
    """Files sorted by path from the smallest to the largest: the pool's order is the
    reverse of the tasks', and every result must still be kept under its own file."""
    project = tmp_path / "sized"
    (project / "tests").mkdir(parents=True)
    (project / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    for index, name in enumerate("abcd"):
        tests = "".join(
            f'\n\n@pytest.mark.asyncio(scope="module")\nasync def test_{name}{n}():\n'
            f"    assert {n} == {n}\n"
            for n in range(5 * (index + 1) ** 2)
        )
        (project / "tests" / f"test_{name}.py").write_text(f"import pytest{tests}")
    cache = tmp_path / "cache"
    first = run(project, cache, "--diff", "-j", "2")
    assert parsed(first[2]) == 4, first[2]
    second = run(project, cache, "--diff", "-j", "2")
    assert parsed(second[2]) == 0 and reused(second[2]) == 4, second[2]
    assert second[1] == first[1]


def test_facts_merged_from_several_files_are_reused(tmp_path: Path) -> None:
    """Two files add to the same project fact (sync tests requesting one fixture): what
    the cache keeps of each file must be that file's facts alone, or the next run's
    facts differ and nothing is reused."""
    project = tmp_path / "shared-fact"
    (project / "tests").mkdir(parents=True)
    (project / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (project / "tests" / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef db():\n    return {}\n"
    )
    for name in ("a", "b", "c"):
        (project / "tests" / f"test_{name}.py").write_text(
            "import pytest\n\n\n"
            f"def test_{name}_sync(db):\n    assert db == {{}}\n\n\n"
            f'@pytest.mark.asyncio(scope="module")\nasync def test_{name}_async(db):\n'
            "    assert db == {}\n"
        )
    cache = tmp_path / "cache"
    first = run(project, cache, "--diff", "-j", "1")
    assert parsed(first[2]) == 3, first[2]
    for _ in range(2):
        again = run(project, cache, "--diff", "-j", "1")
        assert parsed(again[2]) == 0 and reused(again[2]) == 3, again[2]
        assert again[1] == first[1]
