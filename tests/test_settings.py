"""[tool.async-test-upgrade] in pyproject.toml, and --exclude: the real CLI on real files."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner

from async_test_upgrade.cli import cli

MARKED = """\
import asyncio

import pytest


@pytest.mark.asyncio
async def test_sleeps():
    await asyncio.get_event_loop().run_in_executor(None, print)
"""


def project(root: Path, pyproject: str, tests: tuple[str, ...] = ("test_a.py",)) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(textwrap.dedent(pyproject))
    for name in tests:
        (root / "tests" / name).write_text(MARKED)
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


STRICT = '[tool.pytest.ini_options]\nasyncio_mode = "strict"\n'


def test_the_table_selects_and_the_command_line_wins(tmp_path: Path) -> None:
    root = project(
        tmp_path, STRICT + '\n[tool.async-test-upgrade]\nselect = ["get-event-loop-in-async"]\n'
    )
    _, out, err = run("migrate", "--diff", str(root))
    assert "get_running_loop()" in out
    assert "-@pytest.mark.asyncio" not in out  # strict-to-auto was not selected
    assert "strict-to-auto" not in err
    _, out, _ = run("migrate", "--diff", "--select", "strict-to-auto", str(root))
    assert "-@pytest.mark.asyncio" in out
    assert "get_running_loop()" not in out


def test_a_parent_table_applies_below_a_pyproject_without_one(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.async-test-upgrade]\nskip = ["get-event-loop-in-async"]\n'
    )
    root = project(tmp_path / "service", STRICT)
    _, out, _ = run("migrate", "--diff", str(root))
    assert "-@pytest.mark.asyncio" in out
    assert "get_running_loop()" not in out


def test_an_unknown_key_or_a_wrong_type_is_bad_input(tmp_path: Path) -> None:
    root = project(tmp_path / "a", STRICT + '\n[tool.async-test-upgrade]\nselct = ["x"]\n')
    code, _, err = run("migrate", "--diff", str(root))
    assert code == 2
    assert "unknown key 'selct'" in err and "[tool.async-test-upgrade]" in err
    root = project(tmp_path / "b", STRICT + "\n[tool.async-test-upgrade]\njobs = 0\n")
    code, _, err = run("migrate", "--diff", str(root))
    assert code == 2 and "jobs must be" in err
    root = project(tmp_path / "c", STRICT + '\n[tool.async-test-upgrade]\nasyncio-mode = "fast"\n')
    code, _, err = run("migrate", "--diff", str(root))
    assert code == 2 and "asyncio-mode must be 'auto' or 'strict'" in err


def test_excluded_files_are_left_alone_but_still_read(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        STRICT + '\n[tool.async-test-upgrade]\nexclude = ["tests/test_vendored.py"]\n',
        tests=("test_a.py", "test_vendored.py", "test_b.py"),
    )
    vendored = (root / "tests/test_vendored.py").read_bytes()
    code, _, err = run("migrate", str(root))
    assert code == 0, err
    assert (root / "tests/test_vendored.py").read_bytes() == vendored
    assert "mark.asyncio" not in (root / "tests/test_a.py").read_text()
    assert "1 file(s) excluded" in err
    # --extend-exclude adds to the table's list; --exclude replaces it.
    (root / "tests/test_c.py").write_text(MARKED)
    (root / "tests/test_d.py").write_text(MARKED)
    _, out, _ = run("migrate", "--diff", "--extend-exclude", "test_c.py", str(root))
    assert "tests/test_c.py" not in out and "tests/test_d.py" in out
    _, out, _ = run("migrate", "--diff", "--exclude", "tests/test_d*", str(root))
    assert "tests/test_c.py" in out and "tests/test_d.py" not in out
