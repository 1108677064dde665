"""One bad file never costs the run, a write never loses an edit, and the exit code says
which of those happened: the real CLI on real files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import ClassVar

import libcst as cst
import pytest
from click.testing import CliRunner

from async_test_upgrade import engine, registry
from async_test_upgrade.cli import EXIT_BAD_INPUT, EXIT_CHANGES, EXIT_LEFT_ALONE, cli
from async_test_upgrade.cst import CodemodTransformer
from async_test_upgrade.model import Options

MARKED = """\
import asyncio

import pytest


@pytest.mark.asyncio
async def test_sleeps():
    await asyncio.sleep(0)
"""


def project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def deep_module() -> str:
    """Valid Python that recursive walks cannot follow at the default limit."""
    terms = " + ".join(["1"] * 3000)
    return f"{MARKED}\n\nTOTAL = {terms}\n"


def test_a_file_too_deep_to_walk_is_left_alone_and_the_rest_migrated(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "pytest.ini": "[pytest]\nasyncio_mode = strict\n",
            "tests/test_deep.py": deep_module(),
            "tests/test_plain.py": MARKED,
        },
    )
    deep_before = (root / "tests/test_deep.py").read_bytes()
    code, output = run("migrate", str(root), "-j", "1")
    assert code == EXIT_LEFT_ALONE, output
    assert "Traceback" not in output
    assert "tests/test_deep.py:1: error: RecursionError" in output
    assert (root / "tests/test_deep.py").read_bytes() == deep_before
    assert "@pytest.mark.asyncio" not in (root / "tests/test_plain.py").read_text()
    assert "asyncio_mode = auto" in (root / "pytest.ini").read_text()


class Explodes(CodemodTransformer):
    """Test-only: a codemod with a bug, on files holding ``BOOM``."""

    METADATA_DEPENDENCIES: ClassVar[tuple[()]] = ()

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if updated_node.value == "BOOM":
            raise ValueError("a codemod bug")
        return updated_node


EXPLODES = registry.Codemod(
    name="explodes",
    summary="test only",
    safety="review",
    doc="test only",
    triggers=(b"BOOM",),
    transformer=Explodes,
)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_codemod_bug_costs_only_its_file_and_names_the_codemod(tmp_path: Path, jobs: str) -> None:
    root = project(
        tmp_path,
        {
            "pytest.ini": "[pytest]\nasyncio_mode = strict\n",
            "tests/test_boom.py": MARKED + "\nBOOM = 1\n",
            **{f"tests/test_{n}.py": MARKED for n in range(3)},
        },
    )
    before = (root / "tests/test_boom.py").read_bytes()
    with registry.registered(EXPLODES):
        code, output = run("migrate", str(root), "-j", jobs)
    assert code == EXIT_LEFT_ALONE, output
    assert "tests/test_boom.py:1: error: ValueError: a codemod bug (in explodes" in output
    assert (root / "tests/test_boom.py").read_bytes() == before
    for n in range(3):
        assert "mark.asyncio" not in (root / f"tests/test_{n}.py").read_text()


def test_check_is_not_clean_when_a_file_could_not_be_read(tmp_path: Path) -> None:
    legacy = "import pytest\n\n@pytest.mark.asyncio\nasync def test_broken(:\n    pass\n"
    root = project(tmp_path, {"tests/test_broken.py": legacy})
    code, output = run("migrate", "--check", str(root))
    assert code == EXIT_LEFT_ALONE, output
    assert "tests/test_broken.py:" in output and "cannot parse" in output


def test_an_edit_made_during_the_run_is_never_overwritten(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {"pytest.ini": "[pytest]\nasyncio_mode = strict\n", "tests/test_a.py": MARKED},
    )
    result = engine.migrate([root], registry.catalogue(), Options(), jobs=1)
    assert result.changed_files
    edited = MARKED + "\n# saved by the user while the migration ran\n"
    (root / "tests/test_a.py").write_text(edited, encoding="utf-8")
    problems = engine.write_result(result)
    assert (root / "tests/test_a.py").read_text(encoding="utf-8") == edited
    assert any("tests/test_a.py" in p and "changed on disk" in p for p in problems)


def test_config_is_written_before_the_sources(tmp_path: Path) -> None:
    # Interrupted between the two, a suite whose config already says auto still runs
    # with its old marks; the other order leaves unmarked tests in strict mode.
    root = project(
        tmp_path,
        {"pytest.ini": "[pytest]\nasyncio_mode = strict\n", "tests/test_a.py": MARKED},
    )
    result = engine.migrate([root], registry.catalogue(), Options(), jobs=1)
    plan = engine.write_plan(result)
    assert [path.name for path, _, _ in plan] == ["pytest.ini", "test_a.py"]


def test_nothing_is_written_when_a_target_is_not_writable(tmp_path: Path) -> None:
    if sys.platform == "win32" or __import__("os").geteuid() == 0:
        pytest.skip("root (and Windows) can write read-only files")
    root = project(
        tmp_path,
        {"pytest.ini": "[pytest]\nasyncio_mode = strict\n", "tests/test_a.py": MARKED},
    )
    (root / "tests").chmod(0o555)
    try:
        code, output = run("migrate", str(root))
    finally:
        (root / "tests").chmod(0o755)
    assert code == EXIT_LEFT_ALONE, output
    assert "asyncio_mode = strict" in (root / "pytest.ini").read_text()


@pytest.mark.parametrize(
    "config",
    [
        '[tool.pytest.ini_options]\nasyncio_mode = "strict"\nasyncio_mode = "auto"\n',
        "tool = 5\n",
        '[tool]\npytest = "x"\n',
    ],
    ids=["duplicate-key", "tool-not-a-table", "pytest-not-a-table"],
)
def test_a_broken_config_is_bad_input_in_one_line(tmp_path: Path, config: str) -> None:
    root = project(tmp_path, {"pyproject.toml": config, "tests/test_a.py": MARKED})
    completed = subprocess.run(
        [sys.executable, "-m", "async_test_upgrade", "migrate", "--diff", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == EXIT_BAD_INPUT, completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stderr.strip().count("\n") == 0, completed.stderr
    assert "pyproject.toml" in completed.stderr


def test_exit_codes_are_distinct() -> None:
    assert len({EXIT_CHANGES, EXIT_BAD_INPUT, EXIT_LEFT_ALONE, 0}) == 4


def test_syntax_errors_are_reported_where_python_reports_them(tmp_path: Path) -> None:
    broken = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a(:\n    pass\n"
    root = project(tmp_path, {"tests/test_broken.py": broken})
    try:
        compile(broken, "x", "exec")
    except SyntaxError as error:
        expected = error.lineno
    code, output = run("migrate", "--diff", str(root))
    assert code == EXIT_LEFT_ALONE
    assert f"tests/test_broken.py:{expected}: cannot parse, left alone" in output


def test_a_file_only_the_compiler_rejects_is_left_alone(tmp_path: Path) -> None:
    # A repeated argument parses; it does not compile.
    text = MARKED + "\n\ndef helper(x, x):\n    return x\n"
    line = text.splitlines().index("def helper(x, x):") + 1
    root = project(
        tmp_path,
        {"pytest.ini": "[pytest]\nasyncio_mode = strict\n", "tests/test_dup.py": text},
    )
    code, output = run("migrate", str(root))
    assert code == EXIT_LEFT_ALONE, output
    assert f"tests/test_dup.py:{line}: does not compile, left alone: duplicate argument" in output
    assert (root / "tests/test_dup.py").read_text() == text


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


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_pool_workers_die_with_a_killed_run(tmp_path: Path) -> None:
    import signal
    import time

    tests = tmp_path / "tests"
    tests.mkdir()
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    body = "".join(
        f"\n\n@pytest.mark.asyncio\nasync def test_{n}():\n    await asyncio.sleep(0)\n"
        for n in range(60)
    )
    for n in range(400):
        (tests / f"test_{n}.py").write_text("import asyncio\n\nimport pytest\n" + body)
    process = subprocess.Popen(
        [sys.executable, "-m", "async_test_upgrade", "migrate", "--diff", "-j", "2", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the pool never started"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    alive = [
        w
        for w in workers
        if Path(f"/proc/{w}/status").exists()
        and "State:\tZ" not in Path(f"/proc/{w}/status").read_text()
    ]
    assert not alive, f"workers {alive} outlived the killed run"


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_test_is_skipped_not_read(tmp_path: Path) -> None:
    import os

    root = project(
        tmp_path,
        {"pytest.ini": "[pytest]\nasyncio_mode = strict\n", "tests/test_a.py": MARKED},
    )
    os.mkfifo(root / "tests/test_fifo.py")
    completed = subprocess.run(
        [sys.executable, "-m", "async_test_upgrade", "migrate", "--check", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 1, completed.stderr  # test_a.py would change
    assert "tests/test_fifo.py: async-test-upgrade: not a regular file" in completed.stderr
