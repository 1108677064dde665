"""Partial runs never make a source rewrite whose config change they do not make: stdin
mode keeps the marks its strict project needs and says what the config would need;
``--exclude`` names the excluded files a mode switch applies to."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from async_test_upgrade.cli import EXIT_BAD_INPUT, cli

STRICT = "[pytest]\nasyncio_mode = strict\n"
SUITE = (
    "import pytest\n\n\n@pytest.fixture(scope='module')\nasync def res():\n    yield 1\n\n\n"
    "@pytest.mark.asyncio\nasync def test_a(res):\n    pass\n"
)
MARKED = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n"


def project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_stdin_keeps_the_marks_a_strict_project_needs(tmp_path: Path) -> None:
    root = project(tmp_path, {"pytest.ini": STRICT, "tests/test_a.py": MARKED})
    result = CliRunner().invoke(
        cli, ["migrate", "-", "--stdin-filename", str(root / "tests/t.py")], input=MARKED
    )
    assert result.exit_code == 0, result.output
    assert "@pytest.mark.asyncio" in result.stdout  # the config stays strict: marks needed
    assert "stdin: marks kept: removing them needs asyncio_mode = auto in pytest.ini" in (
        result.stderr
    )
    assert "1 files scanned, 1 parsed, 0 would change" in result.stderr
    assert (root / "pytest.ini").read_text() == STRICT


def test_stdin_counts_one_file_and_says_what_the_config_needs(tmp_path: Path) -> None:
    root = project(tmp_path, {"pytest.ini": STRICT, "tests/test_a.py": SUITE})
    result = CliRunner().invoke(
        cli, ["migrate", "-", "--stdin-filename", str(root / "tests/t.py")], input=SUITE
    )
    assert result.exit_code == 0, result.output
    assert "1 files scanned, 1 parsed, 1 would change" in result.stderr
    assert "@pytest.mark.asyncio" in result.stdout
    assert "loop_scope" in result.stdout  # the rewrite strict mode allows is made
    assert (
        "stdin: pytest.ini not written; the project needs: set "
        "asyncio_default_fixture_loop_scope = function" in result.stderr
    )


def test_stdin_with_asyncio_mode_auto_in_a_strict_project_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, {"pytest.ini": STRICT, "tests/test_a.py": MARKED})
    result = CliRunner().invoke(
        cli,
        ["migrate", "-", "--stdin-filename", str(root / "tests/t.py"), "--asyncio-mode", "auto"],
        input=MARKED,
    )
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert "stdin mode does not write the config" in result.stderr
    assert result.stdout == ""


def test_stdin_in_an_auto_project_drops_the_marks(tmp_path: Path) -> None:
    root = project(tmp_path, {"pytest.ini": "[pytest]\nasyncio_mode = auto\n"})
    result = CliRunner().invoke(
        cli, ["migrate", "-", "--stdin-filename", str(root / "tests/t.py")], input=MARKED
    )
    assert result.exit_code == 0, result.output
    assert "@pytest.mark.asyncio" not in result.stdout
    assert "marks kept" not in result.stderr


def test_a_mode_switch_names_the_excluded_files_it_applies_to(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "pytest.ini": STRICT,
            "tests/test_a.py": MARKED,
            "tests/legacy/test_b.py": MARKED,
            "tests/legacy/test_c.py": MARKED,
        },
    )
    result = CliRunner().invoke(cli, ["migrate", "--exclude", "tests/legacy/", str(root)])
    assert result.exit_code == 0, result.output
    assert (
        "  ! asyncio mode strict -> auto in pytest.ini applies to the 2 excluded file(s) too "
        "(tests/legacy/test_b.py, tests/legacy/test_c.py)" in result.stderr
    )
    assert (root / "tests/legacy/test_b.py").read_text() == MARKED
    # Without --exclude, no such line.
    other = project(tmp_path / "other", {"pytest.ini": STRICT, "tests/test_a.py": MARKED})
    result = CliRunner().invoke(cli, ["migrate", "--diff", str(other)])
    assert "excluded file(s) too" not in result.stderr
