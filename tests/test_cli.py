"""The migrate/list/explain commands, end to end on real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from async_test_upgrade import registry
from async_test_upgrade.cli import cli

CORPUS = Path(__file__).parents[1] / "corpus"
EXAMPLE = CORPUS / "legacy-mode-worker"


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_diff_shows_both_codemods_and_writes_nothing(example: Path) -> None:
    before = snapshot(example)
    code, out, err = run("migrate", "--diff", str(example))
    assert code == 0
    assert '+pytestmark = [pytest.mark.asyncio(loop_scope="module")' in out
    assert '+@pytest.mark.asyncio(loop_scope="module")' in out
    assert "-asyncio_mode = legacy" in out and "+asyncio_mode = auto" in out
    assert "--- a/setup.cfg" in out
    assert "legacy-asyncio-mode: 1 change" in err
    assert "marker-scope-to-loop-scope: 3 changes" in err
    assert snapshot(example) == before


def test_migrate_applies_then_check_is_clean(example: Path) -> None:
    code, _, _ = run("migrate", "--check", str(example))
    assert code == 1
    code, _, err = run("migrate", str(example))
    assert code == 0
    assert "3 changed" in err
    assert "asyncio_mode = auto" in (example / "setup.cfg").read_text()
    code, _, err = run("migrate", "--check", str(example))
    assert code == 0, err
    assert "0 would change" in err


def test_select_and_skip(example: Path) -> None:
    code, out, _ = run("migrate", "--diff", "--select", "legacy-asyncio-mode", str(example))
    assert code == 0
    assert "setup.cfg" in out and "loop_scope" not in out
    code, out, _ = run("migrate", "--diff", "--skip", "marker-scope-to-loop-scope", str(example))
    assert code == 0
    assert '-@pytest.mark.asyncio("module")' not in out
    assert '+@pytest.mark.asyncio(loop_scope="module")' not in out
    assert "+asyncio_mode = auto" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["migrate", "does/not/exist"], "path does not exist"),
        (["migrate", "--select", "no-such-codemod", "."], "unknown codemod 'no-such-codemod'"),
        (["migrate", "--skip", "nope", "."], "valid names: "),
        (["migrate", "--target-version", "one", "."], "--target-version"),
        (["migrate", "--target-version", "9.0", "."], "newest pytest-asyncio"),
        (["explain", "nope"], "unknown codemod"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], message: str, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example)
    before = snapshot(example)
    code, _, err = run(*args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(example) == before


def test_unknown_codemod_error_lists_every_valid_name(example: Path) -> None:
    _, _, err = run("migrate", "--select", "bogus", str(example))
    for record in registry.catalogue():
        assert record.name in err


@pytest.mark.parametrize(
    "name, content",
    [
        ("pyproject.toml", "[tool.pytest.ini_options\nasyncio_mode = 'legacy'\n"),
        ("pytest.ini", "asyncio_mode = legacy\n[pytest\n"),
        (
            "pyproject.toml",
            '[tool.pytest]\nasyncio_mode = "legacy"\n[tool.pytest.ini_options]\nx = "1"\n',
        ),
    ],
)
def test_invalid_config_is_bad_input_and_nothing_written(
    tmp_path: Path, name: str, content: str
) -> None:
    (tmp_path / name).write_text(content)
    test = tmp_path / "test_x.py"
    test.write_text(
        'import pytest\n\n@pytest.mark.asyncio(scope="module")\nasync def test_a():\n    pass\n'
    )
    before = snapshot(tmp_path)
    code, _, err = run("migrate", str(tmp_path))
    assert code == 2
    assert name in err
    assert snapshot(tmp_path) == before


def test_unparsable_file_is_reported_and_others_migrated(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    broken = tmp_path / "test_broken.py"
    broken.write_text('import pytest\n\n@pytest.mark.asyncio(scope="module")\ndef (:\n')
    good = tmp_path / "test_good.py"
    good.write_text(
        'import pytest\n\n@pytest.mark.asyncio(scope="module")\nasync def test_a():\n    pass\n'
    )
    broken_before = broken.read_bytes()
    code, _, err = run("migrate", str(tmp_path))
    assert code == 3  # done, with a file left alone
    assert "test_broken.py:4: cannot parse" in err
    assert broken.read_bytes() == broken_before
    assert 'loop_scope="module"' in good.read_text()


def test_target_version_leaves_out_newer_codemods(example: Path) -> None:
    code, out, err = run("migrate", "--diff", "--target-version", "0.23", str(example))
    assert code == 0
    assert "loop_scope" not in out
    assert "marker-scope-to-loop-scope: needs pytest-asyncio >= 0.24" in err


def test_json_report(example: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code, _, _ = run("migrate", "--diff", "--report", str(report), str(example))
    assert code == 0
    data = json.loads(report.read_text())
    assert data["applied"] is False
    assert {"setup.cfg", "tests/test_queue.py", "tests/test_retry.py"} <= set(data["files_changed"])
    assert {"legacy-asyncio-mode", "marker-scope-to-loop-scope"} <= {
        c["codemod"] for c in data["changes"]
    }
    assert set(data["timings"]) == {"discover", "scan", "transform", "config"}


def test_parallel_and_serial_runs_agree(example: Path) -> None:
    _, serial, _ = run("migrate", "--diff", "-j", "1", str(example))
    _, parallel, _ = run("migrate", "--diff", "-j", "2", str(example))
    assert serial == parallel


def test_list_and_explain_cover_every_codemod() -> None:
    code, out, _ = run("list")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert names == [c.name for c in registry.catalogue()]
    for record in registry.catalogue():
        code, out, _ = run("explain", record.name)
        assert code == 0
        for heading in ("What it does", "Why", "Example", "When it refuses"):
            assert heading in out, f"{record.name} documents no {heading!r}"


def test_help_on_every_command() -> None:
    for command in ([], ["migrate"], ["list"], ["explain"]):
        code, out, _ = run(*command, "--help")
        assert code == 0 and "Usage:" in out


def test_console_script_runs(example: Path) -> None:
    script = Path(sys.executable).with_name("async-test-upgrade")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "async_test_upgrade"]
    done = subprocess.run(
        [*command, "migrate", "--check", str(example)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 1, done.stderr
    assert "would change" in done.stderr


def test_an_explicit_strict_mode_switched_to_auto_is_said_first(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(
        Path(__file__).parent / "cases" / "strict-to-auto" / "pytest_ini.before", project
    )
    code, _out, err = run("migrate", "--diff", str(project))
    assert code == 0
    lines = err.splitlines()
    assert lines[1].startswith(
        "  ! asyncio mode switched from strict to auto: pytest.ini sets "
        "--asyncio-mode=strict in addopts explicitly"
    ), err
    code, _out, err = run("migrate", "--diff", "--asyncio-mode", "strict", str(project))
    assert "switched from strict" not in err


def test_library_code_is_counted_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "tests").mkdir()
    library = b"import asyncio\n\n\nasync def pause(loop):\n    await asyncio.sleep(0, loop=loop)\n"
    (tmp_path / "pkg" / "__init__.py").write_bytes(library)
    test = (
        b"import asyncio\n\n\nasync def test_pause(loop):\n    await asyncio.sleep(0, loop=loop)\n"
    )
    (tmp_path / "tests" / "test_pkg.py").write_bytes(test)
    code, _out, err = run("migrate", str(tmp_path))
    assert code == 0
    assert (tmp_path / "pkg" / "__init__.py").read_bytes() == library
    assert b"loop=" not in (tmp_path / "tests" / "test_pkg.py").read_bytes()
    assert "1 file(s) out of scope" in err
    assert "pkg/__init__.py:5: remove-loop-kwarg: library code, left alone" in err
    code, _out, err = run("migrate", "--include-source", str(tmp_path))
    assert b"loop=" not in (tmp_path / "pkg" / "__init__.py").read_bytes()
