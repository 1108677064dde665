"""The environments verify runs each side in: interpreters, cached virtualenvs, installs.

Virtualenvs here are built from requirement files with no or few packages, so the
tests stay small; the corpus test builds the real stacks.
"""

from __future__ import annotations

import importlib.metadata
import json
import platform
import site
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from async_test_upgrade import registry
from async_test_upgrade.cli import cli
from async_test_upgrade.harness import envs


def _noop(_: str) -> None:
    pass


def test_a_second_build_is_a_cache_hit(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# nothing to install\n")
    cache = tmp_path / "cache"
    messages: list[str] = []
    first = envs.cached_venv(Path(sys.executable), requirements, messages.append, cache)
    assert first.label.endswith("(new venv)")
    marker = first.venv / envs.COMPLETE_MARKER  # type: ignore[operator]
    built_at = marker.stat().st_mtime_ns
    second = envs.cached_venv(Path(sys.executable), requirements, messages.append, cache)
    assert second.label.endswith("(cached venv)")
    assert second.python == first.python
    assert marker.stat().st_mtime_ns == built_at
    assert any(m.startswith("using cached virtualenv") for m in messages)
    prefix = subprocess.run(
        [str(second.python), "-c", "import sys; print(sys.prefix)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(prefix) == second.venv

    requirements.write_text("# nothing to install, other bytes\n")
    third = envs.cached_venv(Path(sys.executable), requirements, messages.append, cache)
    assert third.venv != first.venv and third.label.endswith("(new venv)")


def test_racing_builds_both_end_with_one_complete_environment(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# racing\n")
    cache = tmp_path / "cache"
    results: list[envs.Environment] = []
    errors: list[BaseException] = []

    def build() -> None:
        try:
            results.append(envs.cached_venv(Path(sys.executable), requirements, _noop, cache))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 2 and results[0].venv == results[1].venv
    assert [p.name for p in cache.iterdir()] == [results[0].venv.name]  # type: ignore[union-attr]
    assert (results[0].venv / envs.COMPLETE_MARKER).exists()  # type: ignore[operator]


def test_interpreters_by_path_and_version(tmp_path: Path) -> None:
    assert envs.resolve_python(None) == Path(sys.executable)
    assert envs.resolve_python(sys.executable) == Path(sys.executable)
    with pytest.raises(envs.MissingInterpreterError, match=r"no Python 2\.5 interpreter"):
        envs.resolve_python("2.5")
    with pytest.raises(envs.MissingInterpreterError):
        envs.resolve_python(str(tmp_path / "no-python"))
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    found = envs.resolve_python(version)
    reported = subprocess.run(
        [str(found), "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert reported == str(tuple(sys.version_info[:2]))


def test_an_absent_interpreter_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text("def test_x():\n    pass\n")
    result = CliRunner().invoke(cli, ["verify", str(tmp_path), "--before-python", "2.5"])
    assert result.exit_code == 2
    assert "no Python 2.5 interpreter found" in result.stderr


def test_install_cmd_runs_in_a_throwaway_environment(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "lib" / "shelf").mkdir(parents=True)
    (project / "lib" / "shelf" / "__init__.py").write_text("BOOKS = 3\n")
    (project / "tests").mkdir()
    (project / "tests" / "test_shelf.py").write_text(
        "from shelf import BOOKS\n\n\ndef test_books():\n    assert BOOKS == 3\n"
    )
    # "Installs" lib/ the way an editable install would: a .pth in the active environment.
    install = (
        'python -c "import pathlib, site; pathlib.Path(site.getsitepackages()[0], '
        "'shelf.pth').write_text(str(pathlib.Path('lib').resolve()))\""
    )
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        cli, ["verify", str(project), "--install-cmd", install, "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(report.read_text())["comparison"]
    assert rows == [
        {
            "nodeid": "tests/test_shelf.py::test_books",
            "before": "passed",
            "after": "passed",
            "category": "unchanged",
            "detail": "",
        }
    ]
    # The interpreter running these tests was only the base: nothing was installed in it.
    assert not any((Path(d) / "shelf.pth").exists() for d in site.getsitepackages())


LEGACY_PYTHON = "3.10"


def test_legacy_side_on_another_interpreter_and_pytest_7(tmp_path: Path) -> None:
    """--before-python with --before-requirements: the venv is built with that
    interpreter; the outcome plugin works on pytest 7.4, whose unhandled coroutine skip
    makes the test newly running once pytest-asyncio's auto mode runs it."""
    try:
        envs.resolve_python(LEGACY_PYTHON)
    except envs.MissingInterpreterError:
        pytest.skip(f"Python {LEGACY_PYTHON} is not installed here (pyenv or PATH)")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
    )
    (project / "test_versions.py").write_text(
        textwrap.dedent(
            """
            import sys

            import pytest

            def test_sync():
                assert sys.version_info >= (3, 10)

            async def test_coroutine():
                assert pytest.__version__
            """
        )
    )
    requirements = tmp_path / "legacy-requirements.txt"
    requirements.write_text("pytest==7.4.4\n")
    report = tmp_path / "report.json"
    result = CliRunner(env={"ASYNC_TEST_UPGRADE_CACHE": str(tmp_path / "cache")}).invoke(
        cli,
        [
            "verify",
            str(project),
            "--before-python",
            LEGACY_PYTHON,
            "--before-requirements",
            str(requirements),
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert data["before"]["pytest"] == "7.4.4"
    assert f"Python {LEGACY_PYTHON}" in data["environments"]["before"]
    before_coroutine = data["before"]["tests"]["test_versions.py::test_coroutine"]
    assert before_coroutine["outcome"] == "skipped"
    assert any("PytestUnhandledCoroutineWarning" in w for w in before_coroutine["warnings"])
    categories = {row["nodeid"]: row["category"] for row in data["comparison"]}
    assert categories == {
        "test_versions.py::test_coroutine": "newly running",
        "test_versions.py::test_sync": "unchanged",
    }


def test_without_uv_the_venv_is_built_with_venv_and_pip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(envs, "uv_command", lambda: None)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# nothing to install\n")
    built = envs.cached_venv(Path(sys.executable), requirements, _noop, tmp_path / "cache")
    # venv + pip leaves pip in the environment (uv does not seed it).
    pip = subprocess.run(
        [str(built.python), "-m", "pip", "--version"], capture_output=True, text=True
    )
    assert pip.returncode == 0 and str(built.venv) in pip.stdout


def test_a_requirements_file_that_does_not_install_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text("def test_x():\n    pass\n")
    requirements = tmp_path / "broken-requirements.txt"
    requirements.write_text("this is not a requirement ===\n")
    result = CliRunner(env={"ASYNC_TEST_UPGRADE_CACHE": str(tmp_path / "cache")}).invoke(
        cli, ["verify", str(tmp_path), "--after-requirements", str(requirements)]
    )
    assert result.exit_code == 2
    assert f"installing {requirements} failed" in result.stderr
    # A failed build leaves nothing behind that a later run could take for complete.
    assert list((tmp_path / "cache" / "venvs").iterdir()) == []


def test_what_an_environment_has_installed() -> None:
    """What verify checks a codemod's needs against, before trying its edits alone on the
    legacy side."""
    here = envs.installed(envs.Environment(Path(sys.executable), "this interpreter"))
    assert here.python == platform.python_version()
    assert here.version_of("pytest") == pytest.__version__
    assert here.version_of("LibCST") == importlib.metadata.version("libcst")
    assert here.unmet({"pytest": (8, 0), "python": (3, 11)}) is None
    assert here.unmet({"pytest": (99, 1)}) == f"pytest >= 99.1, has {pytest.__version__}"
    assert here.unmet({"no-such-dist": (1, 0)}) == "no-such-dist >= 1.0, not installed"
    assert here.unmet({"python": (99, 0)}) == f"Python >= 99.0, has {platform.python_version()}"


@pytest.mark.parametrize("version", ["3.6", "3.7"])
def test_what_an_old_interpreter_has_installed(version: str) -> None:
    """Legacy stacks run on Pythons without importlib.metadata."""
    try:
        python = envs.resolve_python(version)
    except envs.MissingInterpreterError:
        pytest.skip(f"Python {version} is not installed here (pyenv or PATH)")
    stack = envs.installed(envs.Environment(python, f"Python {version}"))
    assert stack.python.startswith(version + ".")
    assert stack.version_of("pip")


def test_a_codemods_output_needs_come_from_its_record() -> None:
    records = registry.by_name()
    # min_target says which pytest-asyncio the output needs; ``needs`` says the rest.
    assert records["remove-event-loop-override"].output_needs() == {"pytest-asyncio": (0, 26)}
    assert records["get-event-loop-in-async"].output_needs() == {"python": (3, 11)}
    assert records["httpx-app-to-transport"].output_needs() == {"httpx": (0, 18)}
    assert records["strict-to-auto"].output_needs() == {}
