"""corpus/session-loop-pool: the shared session loop survives migration, and only with
its ``event_loop`` override carried over.

The corpus suite itself asserts that tests in two modules run in the loop the session
pool was opened in, and that the tests below ``tests/replica/`` (a nested conftest with a
module-scoped override) run in their module's replica loop. Migrated by the full
pipeline it passes under the installed pytest-asyncio 1.x; migrated with
``remove-event-loop-override`` left out, pytest-asyncio ignores the overrides, every test
gets a fresh loop and those assertions fail. (That the legacy suite passes on
pytest-asyncio 0.21 is checked by ``verify`` on every corpus project.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

from async_test_upgrade import engine, registry
from async_test_upgrade.model import Options
from tests.suite_runs import outcomes

PROJECT = Path(__file__).parent.parent / "corpus" / "session-loop-pool"

#: The tests that use the session pool or server from inside the loop.
LOOP_SHARING = {
    "tests/test_pool.py::test_pool_lives_in_this_loop",
    "tests/test_pool.py::test_concurrent_acquire",
    "tests/test_pool.py::test_stats_from_sync_code",
    "tests/test_server.py::test_server_shares_the_pool_loop",
    "tests/test_server.py::test_set_then_get",
    "tests/test_server.py::test_missing_key",
    # The nested conftest's module-scoped override: a module loop below tests/replica/.
    "tests/replica/test_replica.py::test_replica_lives_in_this_module_loop",
    "tests/replica/test_replica.py::test_replica_keeps_state_within_the_module",
    "tests/replica/test_replica.py::test_replica_stats_from_sync_code",
}


def _migrated_copy(tmp_path: Path, skip: list[str]) -> Path:
    root = tmp_path / "session-loop-pool"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__"))
    result = engine.migrate([root], registry.select(skip=skip), Options(), jobs=1)
    assert not result.errors, result.errors
    engine.write_result(result)
    return root


def test_full_pipeline_keeps_the_session_loop_shared(tmp_path: Path) -> None:
    root = _migrated_copy(tmp_path, skip=[])
    replica = (root / "tests" / "replica" / "test_replica.py").read_text()
    assert 'pytestmark = pytest.mark.asyncio(loop_scope="module")' in replica
    config = (root / "pyproject.toml").read_text()
    assert 'asyncio_default_test_loop_scope = "session"' in config
    assert 'asyncio_default_fixture_loop_scope = "session"' in config
    assert "def event_loop" not in (root / "tests" / "conftest.py").read_text()
    passed, failed, output = outcomes(root)
    assert not failed, output
    assert passed >= LOOP_SHARING
    assert len(passed) == 13, output


def test_without_remove_event_loop_override_the_tests_lose_the_loop(tmp_path: Path) -> None:
    root = _migrated_copy(tmp_path, skip=["remove-event-loop-override"])
    # The override is still there: pytest-asyncio 1.x silently ignores it.
    assert "def event_loop" in (root / "tests" / "conftest.py").read_text()
    passed, failed, output = outcomes(root)
    assert failed >= LOOP_SHARING, output
    assert "tests/test_pool.py::test_pool_refuses_another_loop" in passed
