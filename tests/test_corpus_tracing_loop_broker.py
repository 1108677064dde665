"""corpus/tracing-loop-broker: the migrated suite keeps its custom loop and shared session
loop under pytest-asyncio 1.x, without the deprecations the legacy suite triggers there.

Unmigrated, the suite still passes on pytest-asyncio 1.5 but only with deprecation
warnings (the overridden ``event_loop_policy``, the unset default fixture loop scope);
migrated, it passes with those warnings turned into errors, still on a
``TracingEventLoop`` shared by both modules (the suite asserts both).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from async_test_upgrade import engine, registry
from async_test_upgrade.model import Options
from tests.suite_runs import STRICT_DEPRECATIONS, run_pytest

PROJECT = Path(__file__).parent.parent / "corpus" / "tracing-loop-broker"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "tracing-loop-broker"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_legacy_suite_relies_on_deprecated_api(tmp_path: Path) -> None:
    run = run_pytest(_copy(tmp_path), *STRICT_DEPRECATIONS)
    assert run.returncode != 0
    assert "PytestDeprecationWarning" in run.stdout + run.stderr


def test_migrated_suite_runs_clean_on_the_custom_shared_loop(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    result = engine.migrate([root], registry.select(), Options(), jobs=1)
    assert not result.errors, result.errors
    engine.write_result(result)
    conftest = (root / "tests" / "conftest.py").read_text()
    assert "def pytest_asyncio_loop_factories(config, item):" in conftest
    assert "event_loop_policy" not in conftest
    assert "pytest_collection_modifyitems" not in conftest
    config = (root / "pyproject.toml").read_text()
    assert 'asyncio_default_test_loop_scope = "session"' in config
    run = run_pytest(root, *STRICT_DEPRECATIONS)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "5 passed" in run.stdout
