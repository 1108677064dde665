"""Options are never silently ignored, and the output fits where it goes: the real CLI."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from async_test_upgrade.cli import cli

EXAMPLE = Path(__file__).parents[1] / "corpus" / "legacy-mode-worker"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_a_misspelt_codemod_gets_the_closest_name(example: Path) -> None:
    code, _, err = run("migrate", "--diff", "--select", "strict-to-automatic", str(example))
    assert code == 2
    assert "did you mean 'strict-to-auto'?" in err
    code, _, err = run("explain", "mock-to-async-mock")
    assert code == 2 and "did you mean 'mock-to-asyncmock'?" in err


def test_selecting_and_skipping_the_same_codemod_is_an_error(example: Path) -> None:
    before = snapshot(example)
    code, _, err = run(
        "migrate", "--select", "strict-to-auto", "--skip", "strict-to-auto", str(example)
    )
    assert code == 2
    assert "strict-to-auto: both selected and skipped" in err
    assert snapshot(example) == before


def test_check_names_every_file_it_would_rewrite(example: Path) -> None:
    code, _, err = run("migrate", "--check", str(example))
    assert code == 1
    named = {
        line.removeprefix("would rewrite ")
        for line in err.splitlines()
        if line.startswith("would rewrite ")
    }
    assert named
    code, out, _ = run("migrate", "--diff", str(example))
    in_diff = {
        line.removeprefix("+++ b/") for line in out.splitlines() if line.startswith("+++ b/")
    }
    assert named == in_diff


def test_an_unwritable_report_fails_before_anything_is_written(
    example: Path, tmp_path: Path
) -> None:
    before = snapshot(example)
    code, _, err = run("migrate", "--report", str(tmp_path / "missing" / "r.json"), str(example))
    assert code == 2
    assert "--report" in err and "no directory" in err
    code, _, err = run("migrate", "--report", str(tmp_path), str(example))
    assert code == 2 and "is a directory" in err
    assert snapshot(example) == before


def through_a_terminal(command: list[str], stream: str, env: dict[str, str] | None = None) -> str:
    """What ``command`` prints on ``stream`` ("stdout" or "stderr") when that stream is a
    pseudo-terminal (the other goes nowhere)."""
    leader, follower = pty.openpty()
    out, err = (
        (follower, subprocess.DEVNULL) if stream == "stdout" else (subprocess.DEVNULL, follower)
    )
    process = subprocess.Popen(command, stdout=out, stderr=err, env={**PLAIN_ENV, **(env or {})})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode()


def _diff_through_a_terminal(example: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """The diff as printed to a pseudo-terminal."""
    command = [sys.executable, "-m", "async_test_upgrade", "migrate", "--diff", "-q", *args]
    return through_a_terminal([*command, str(example)], "stdout", env)


ESC = "\x1b["
PLAIN_ENV = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}


def test_colour_follows_the_terminal_and_the_conventions(example: Path) -> None:
    assert ESC in _diff_through_a_terminal(example)
    assert ESC not in _diff_through_a_terminal(example, env={"NO_COLOR": "1"})
    assert ESC not in _diff_through_a_terminal(example, "--color", "never")
    # Through a pipe: plain, unless asked for.
    assert ESC not in run("migrate", "--diff", str(example), env={"FORCE_COLOR": ""})[1]
    assert ESC in run("migrate", "--diff", "--color", "always", str(example))[1]
    assert ESC in run("migrate", "--diff", str(example), env={"FORCE_COLOR": "1"})[1]


def test_the_users_syntax_warnings_stay_out_of_the_output(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_re.py").write_text(
        "import re\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_digits():\n"
        '    assert re.match("\\d+", "12")\n'
    )
    for jobs in ("1", "2"):
        completed = subprocess.run(
            [
                sys.executable,
                "-W",
                "default",
                "-m",
                "async_test_upgrade",
                "migrate",
                "--diff",
                "-j",
                jobs,
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert completed.returncode == 0, completed.stderr
        assert "SyntaxWarning" not in completed.stderr


def test_a_markdown_report_for_a_pull_request(tmp_path: Path) -> None:
    project = tmp_path / "strict-suite"
    shutil.copytree(EXAMPLE.parent / "strict-suite", project)
    markdown, as_json = tmp_path / "summary.md", tmp_path / "summary.json"
    run("migrate", "--diff", "--report", str(markdown), str(project))
    run("migrate", "--diff", "--report", str(as_json), str(project))
    text = markdown.read_text()
    data = json.loads(as_json.read_text())
    assert text.startswith("## async-test-upgrade\n")
    for note in data["notes"]:
        assert f"]({note['path']}#L{note['line']}) `{note['codemod']}`" in text
    counts = Counter(change["codemod"] for change in data["changes"])
    for codemod, count in counts.items():
        assert f"| `{codemod}` | {count} |" in text
    assert "### The migrated suite needs" in text and "pytest-asyncio >= " in text


def test_code_from_stdin_is_migrated_to_stdout_in_its_project(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tmp_path / "tests").mkdir()
    code = (
        "import asyncio\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n"
        "    loop = asyncio.get_event_loop()\n    await asyncio.sleep(0)\n"
    )

    def run_stdin(*args: str) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "async_test_upgrade", "migrate", *args, "-"]
        return subprocess.run(
            [*command, "--stdin-filename", "tests/test_new.py"],
            input=code.encode(),
            capture_output=True,
            cwd=tmp_path,
            timeout=120,
        )

    done = run_stdin()
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode()
    assert "asyncio.get_running_loop()" in out
    # The project stays strict (stdin mode does not write its config): the mark stays.
    assert "@pytest.mark.asyncio" in out
    assert "marks kept: removing them needs asyncio_mode = auto" in done.stderr.decode()
    assert not (tmp_path / "tests/test_new.py").exists()
    assert (tmp_path / "pytest.ini").read_text() == "[pytest]\nasyncio_mode = strict\n"
    checked = run_stdin("--check")
    assert checked.returncode == 1 and checked.stdout == b""
    diff = run_stdin("--diff")
    assert b"+++ b/tests/test_new.py" in diff.stdout


def test_progress_on_a_terminal_and_none_through_a_pipe(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    for n in range(120):
        (tests / f"test_{n}.py").write_text(
            "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n"
        )
    command = [sys.executable, "-m", "async_test_upgrade", "migrate", "--diff", "-j", "1"]
    shown = through_a_terminal([*command, str(tmp_path)], "stderr")
    assert "scan 50/120 files" in shown
    assert "transform 120/120 files, 120 changed" in shown
    assert "\r" in shown
    piped = subprocess.run([*command, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert "transform " not in piped.stderr and "\r" not in piped.stderr


def test_asking_for_auto_mode_over_anyio_tests_is_refused_before_anything(
    tmp_path: Path,
) -> None:
    project = tmp_path / "anyio-mixed"
    shutil.copytree(EXAMPLE.parent / "anyio-mixed", project)
    before = snapshot(project)
    code, out, err = run("migrate", "--asyncio-mode", "auto", str(project))
    assert code == 2
    assert "--asyncio-mode auto: anyio/trio tests found" in err and out == ""
    assert snapshot(project) == before
    # Left to itself, the run keeps the suite strict and says why.
    code, _, err = run("migrate", "--diff", str(project))
    assert code == 0 and "anyio/trio tests found" in err
