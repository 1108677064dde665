"""Daily use of the command line: ``-v`` says why each file was not rewritten, and a
closed output pipe ends the run quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from async_test_upgrade.cli import EXIT_CLOSED_PIPE, cli

MARKED = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_verbose_says_why_each_file_was_not_rewritten(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pytest.ini": "[pytest]\nasyncio_mode = strict\ntestpaths = tests\n",
            "tests/test_marked.py": MARKED,
            "tests/test_excluded.py": MARKED,
            "tests/test_plain.py": "def test_plain():\n    assert 1\n",
            # The words of a codemod's trigger, in a string: its code has none of them.
            "tests/test_words.py": 'def test_words():\n    assert "event_loop asyncio"\n',
            "tests/test_unchanged.py": (
                "import asyncio\n\n\nasync def helper():\n    await asyncio.sleep(0)\n\n\n"
                "def test_x():\n    assert asyncio.run(helper()) is None\n"
            ),
            "pkg/mod.py": (
                "import asyncio\n\n\nasync def f():\n    return asyncio.get_event_loop()\n"
            ),
        },
    )
    (root / "tests/test_link.py").symlink_to("../pkg/mod.py")
    args = ["migrate", "--diff", "-v", "--exclude", "tests/test_excluded.py", str(root)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    start = lines.index("not rewritten:")
    listed = dict(line.strip().split(": ", 1) for line in lines[start + 1 : start + 7])
    assert listed["pkg/mod.py"].startswith("out of scope: library code")
    assert listed["tests/test_excluded.py"].startswith("excluded (--exclude)")
    assert listed["tests/test_link.py"].startswith("a symbolic link: skipped")
    assert listed["tests/test_plain.py"].startswith("no trigger")
    assert listed["tests/test_words.py"].startswith("gated out")
    assert listed["tests/test_unchanged.py"].startswith("unchanged")
    assert "tests/test_marked.py" not in listed  # it is rewritten
    # Without -v, none of it.
    quiet = CliRunner().invoke(cli, args[:2] + args[3:])
    assert "not rewritten:" not in quiet.stderr


def test_a_closed_pipe_ends_the_run_quietly(tmp_path: Path) -> None:
    files = {"pytest.ini": "[pytest]\nasyncio_mode = strict\n"}
    files.update({f"tests/test_{n}.py": MARKED for n in range(400)})  # a diff of 100 KB
    root = write(tmp_path, files)
    process = subprocess.Popen(
        [sys.executable, "-m", "async_test_upgrade", "migrate", "--diff", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()  # what `| head -1` reads before it exits
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.wait(timeout=120)
    assert first.startswith(b"--- a/tests/test_")
    assert process.returncode == EXIT_CLOSED_PIPE, stderr
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    assert "@pytest.mark.asyncio" in (root / "tests/test_0.py").read_text()
