"""Large files and lost workers: the cost of a file grows with its size, not its
square; a file over the size or time limit, or one that kills its worker, is left
alone with a reason (exit 3), never a hang or a traceback."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from async_test_upgrade.cli import EXIT_BAD_INPUT, EXIT_LEFT_ALONE, cli

STRICT = "[pytest]\nasyncio_mode = strict\n"
HEADER = "import asyncio\n\nimport pytest\nfrom fastapi.testclient import TestClient\n"
MARKED = (
    "\n\n@pytest.mark.asyncio\nasync def test_{n}():\n"
    "    assert await asyncio.sleep(0, result={n}) == {n}\n"
)
CLIENT = "\n\n@pytest.mark.asyncio\nasync def test_client():\n    client = TestClient(object())\n"
SMALL = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n"
#: Nested deeper than LibCST's native parser has stack for: it crashes the process.
CRASHER = (
    "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_deep():\n    x = "
    + "(" * 20_000
    + "1"
    + ")" * 20_000
    + "\n"
)


def big_module(tests: int) -> str:
    return HEADER + "".join(MARKED.format(n=n) for n in range(tests)) + CLIENT


def project(root: Path, files: dict[str, str]) -> Path:
    for name, text in {"pytest.ini": STRICT, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "async_test_upgrade", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.slow
def test_a_large_module_costs_its_size_not_its_square(tmp_path: Path) -> None:
    # 250 KB: mapping the notes back to lines with a quadratic diff took minutes.
    text = big_module(2500)
    root = project(tmp_path, {"tests/test_big.py": text})
    started = time.monotonic()
    completed = run("migrate", "--check", "-j", "1", str(root), timeout=100)
    elapsed = time.monotonic() - started
    assert completed.returncode == 1, completed.stderr
    line = text.splitlines().index("    client = TestClient(object())") + 1
    assert f"tests/test_big.py:{line}: testclient-in-async-test" in completed.stderr
    assert "strict-to-auto: 2502 changes" in completed.stderr
    assert elapsed < 100


def test_a_file_over_the_size_limit_is_left_alone(tmp_path: Path) -> None:
    big = big_module(20)
    root = project(tmp_path, {"tests/test_big.py": big, "tests/test_small.py": SMALL})
    result = CliRunner().invoke(cli, ["migrate", "--diff", "--max-file-size", "1KB", str(root)])
    assert result.exit_code == EXIT_LEFT_ALONE, result.output
    assert "tests/test_big.py:1: too large, left alone" in result.stderr
    assert "(--max-file-size)" in result.stderr
    assert "+++ b/tests/test_small.py" in result.stdout
    assert "+++ b/tests/test_big.py" not in result.stdout
    # Without the limit, the same file is migrated.
    result = CliRunner().invoke(cli, ["migrate", "--max-file-size", "0", str(root)])
    assert result.exit_code == 0, result.output
    assert "@pytest.mark.asyncio" not in (root / "tests/test_big.py").read_text()


def test_a_bad_size_limit_is_bad_input(tmp_path: Path) -> None:
    root = project(tmp_path, {"tests/test_small.py": SMALL})
    result = CliRunner().invoke(cli, ["migrate", "--max-file-size", "ten", str(root)])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "is not a size" in result.output
    assert "@pytest.mark.asyncio" in (root / "tests/test_small.py").read_text()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_over_the_time_limit_is_left_alone(tmp_path: Path, jobs: str) -> None:
    big = big_module(1500)
    root = project(tmp_path, {"tests/test_big.py": big, "tests/test_small.py": SMALL})
    completed = run("migrate", "--file-timeout", "0.2", "-j", jobs, str(root))
    assert completed.returncode == EXIT_LEFT_ALONE, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "tests/test_big.py:1: took too long, left alone: more than 0.2 s" in completed.stderr
    assert (root / "tests/test_big.py").read_text() == big
    assert "@pytest.mark.asyncio" not in (root / "tests/test_small.py").read_text()


def test_a_file_that_kills_its_worker_is_left_alone(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "tests/test_deep.py": CRASHER,
            **{f"tests/test_{n}.py": SMALL for n in range(6)},
        },
    )
    completed = run("migrate", "-j", "2", str(root))
    assert completed.returncode == EXIT_LEFT_ALONE, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "BrokenProcessPool" not in completed.stderr
    assert "tests/test_deep.py:1: error: the worker process migrating it died" in completed.stderr
    assert (root / "tests/test_deep.py").read_text() == CRASHER
    for n in range(6):
        assert "@pytest.mark.asyncio" not in (root / f"tests/test_{n}.py").read_text()


def _children(pid: int) -> set[int]:
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            found.add(int(status.parent.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_worker_killed_by_the_system_costs_nothing(tmp_path: Path) -> None:
    files = {f"tests/test_big_{n}.py": big_module(300 + n) for n in range(4)}
    files.update({f"tests/test_{n}.py": SMALL for n in range(40)})
    root = project(tmp_path / "killed", files)
    reference = project(tmp_path / "reference", files)
    expected = run("migrate", "-j", "2", str(reference))
    assert expected.returncode == 0, expected.stderr
    process = subprocess.Popen(
        [sys.executable, "-m", "async_test_upgrade", "migrate", "-j", "2", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait for the pool, let it work, then kill one worker as the OOM killer would.
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        time.sleep(0.02)
    assert workers, "the pool never started"
    time.sleep(0.3)
    os.kill(min(workers), signal.SIGKILL)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    for name in files:
        assert (root / name).read_bytes() == (reference / name).read_bytes(), name
    assert (root / "pytest.ini").read_bytes() == (reference / "pytest.ini").read_bytes()
    shutil.rmtree(tmp_path / "reference")
