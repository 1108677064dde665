"""Finding the config pytest reads, and editing it without losing anything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from async_test_upgrade.config import ConfigError, locate


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.mark.parametrize(
    "files, expected",
    [
        (
            {
                "pytest.ini": "[pytest]\n",
                "pyproject.toml": "[tool.pytest.ini_options]\n",
                "pytest.toml": "[pytest]\n",
            },
            "pytest.toml",
        ),
        ({"pytest.ini": "", "pyproject.toml": "[tool.pytest.ini_options]\n"}, "pytest.ini"),
        (
            {"pyproject.toml": "[tool.pytest.ini_options]\n", "tox.ini": "[pytest]\n"},
            "pyproject.toml",
        ),
        ({"pyproject.toml": "[project]\n", "tox.ini": "[pytest]\n"}, "tox.ini"),
        ({"tox.ini": "[tox]\n", "setup.cfg": "[tool:pytest]\n"}, "setup.cfg"),
        ({"setup.cfg": "[metadata]\n", "pyproject.toml": "[project]\n"}, "pyproject.toml"),
    ],
)
def test_precedence_matches_pytest(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    write(tmp_path, files)
    assert locate(tmp_path).path.name == expected
    # The same answer pytest itself gives.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    header = subprocess.run(
        [sys.executable, "-m", "pytest", "--co", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert f"configfile: {expected}" in header, header + done.stderr


def test_parent_directory_config_is_found(tmp_path: Path) -> None:
    write(tmp_path, {"setup.cfg": "[tool:pytest]\n", "pkg/tests/test_x.py": ""})
    assert locate(tmp_path / "pkg" / "tests").path == tmp_path / "setup.cfg"


def test_no_config_creates_pytest_ini(tmp_path: Path) -> None:
    config = locate(tmp_path)
    assert not config.exists
    config.set("asyncio_mode", "auto")
    assert config.path == tmp_path / "pytest.ini"
    assert config.render() == b"[pytest]\nasyncio_mode = auto\n"


def test_pyproject_without_table_gets_ini_options(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"pyproject.toml": '[project]\nname = "x"  # the name\n\n[tool.ruff]\nline-length = 99\n'},
    )
    config = locate(tmp_path)
    config.set("asyncio_default_fixture_loop_scope", "function")
    text = config.render().decode()
    assert text.startswith('[project]\nname = "x"  # the name\n\n[tool.ruff]\nline-length = 99\n')
    assert '[tool.pytest.ini_options]\nasyncio_default_fixture_loop_scope = "function"\n' in text
    assert "[tool.pytest]\n" not in text
    import tomllib

    assert tomllib.loads(text)["tool"]["pytest"]["ini_options"] == {
        "asyncio_default_fixture_loop_scope": "function"
    }


def test_addopts_flag_is_read_and_kept_consistent(tmp_path: Path) -> None:
    write(tmp_path, {"pytest.ini": "[pytest]\naddopts = -ra --asyncio-mode=strict -p no:x\n"})
    config = locate(tmp_path)
    assert config.get("asyncio_mode") == "strict"
    config.set("asyncio_mode", "auto")
    assert config.render() == b"[pytest]\naddopts = -ra -p no:x\nasyncio_mode = auto\n"
    assert config.get("asyncio_mode") == "auto"


def test_addopts_list_form_in_native_toml(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"pyproject.toml": '[tool.pytest]\naddopts = ["-ra", "--asyncio-mode", "strict"]\n'},
    )
    config = locate(tmp_path)
    assert config.get("asyncio_mode") == "strict"
    config.set("asyncio_mode", "auto")
    assert config.render() == b'[tool.pytest]\naddopts = ["-ra"]\nasyncio_mode = "auto"\n'


def test_comments_and_order_survive_ini_edits(tmp_path: Path) -> None:
    original = (
        "# top comment\n[tox]\nenvlist = py311\n\n[pytest]\n; why strict\n"
        "asyncio_mode = strict\nmarkers =\n    slow: slow tests\n"
    )
    write(tmp_path, {"tox.ini": original})
    config = locate(tmp_path)
    config.set("asyncio_default_fixture_loop_scope", "function")
    assert config.render().decode() == original + "asyncio_default_fixture_loop_scope = function\n"


def test_broken_files_raise_config_error(tmp_path: Path) -> None:
    write(tmp_path, {"setup.cfg": "[tool:pytest\nx = 1\n"})
    with pytest.raises(ConfigError, match=r"setup\.cfg"):
        locate(tmp_path)
