"""The loop-scope codemods together: what they write, and that the result really shares loops.

The golden cases show each codemod alone; these run them as one pipeline (the order and
the first-request-wins rule for settings matter) and run the migrated suites under the
installed pytest-asyncio (1.x), where an ``event_loop`` override is silently ignored.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from async_test_upgrade import engine, registry
from async_test_upgrade.model import Options
from tests.suite_runs import STRICT_DEPRECATIONS, run_pytest

LOOP_SCOPE_CODEMODS = [
    "remove-event-loop-override",
    "async-fixture-loop-scope",
    "default-fixture-loop-scope",
]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())


def _migrate(root: Path, names: list[str]) -> engine.MigrationResult:
    result = engine.migrate([root], registry.select(names), Options(), jobs=1)
    assert not result.errors, result.errors
    engine.write_result(result)
    return result


def _pytest(root: Path) -> subprocess.CompletedProcess[str]:
    """The generated project's suite, deprecations as errors."""
    return run_pytest(root, *STRICT_DEPRECATIONS, src_on_path=False, timeout=120)


SESSION_PROJECT = {
    "pytest.ini": """
        [pytest]
        asyncio_mode = auto
        """,
    "conftest.py": """
        import asyncio

        import pytest


        @pytest.fixture(scope="session")
        def event_loop():
            loop = asyncio.new_event_loop()
            yield loop
            loop.close()


        @pytest.fixture(scope="session")
        async def pool():
            return {"loop": asyncio.get_running_loop(), "lock": asyncio.Lock()}
        """,
    "tests/test_pool.py": """
        import asyncio


        async def test_same_loop(pool):
            assert asyncio.get_running_loop() is pool["loop"]
            async with pool["lock"]:
                pass
        """,
}


def test_root_override_becomes_session_settings_without_conflicts(tmp_path: Path) -> None:
    _write(tmp_path, SESSION_PROJECT)
    result = _migrate(tmp_path, LOOP_SCOPE_CODEMODS)
    ini = (tmp_path / "pytest.ini").read_text()
    assert "asyncio_default_fixture_loop_scope = session" in ini
    assert "asyncio_default_test_loop_scope = session" in ini
    assert "def event_loop" not in (tmp_path / "conftest.py").read_text()
    assert 'loop_scope="session"' in (tmp_path / "conftest.py").read_text()
    assert not [n for n in result.notes if "already set" in n.message], result.notes
    run = _pytest(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


def test_without_the_override_removal_the_tests_lose_the_shared_loop(tmp_path: Path) -> None:
    _write(tmp_path, SESSION_PROJECT)
    names = [n for n in LOOP_SCOPE_CODEMODS if n != "remove-event-loop-override"]
    _migrate(tmp_path, names)
    # The override is still there, and pytest-asyncio 1.x ignores it: a function loop.
    assert "def event_loop" in (tmp_path / "conftest.py").read_text()
    assert "asyncio_default_fixture_loop_scope = function" in (tmp_path / "pytest.ini").read_text()
    run = _pytest(tmp_path)
    assert "1 failed" in run.stdout, run.stdout
    assert "get_running_loop() is pool" in run.stdout


NESTED_PROJECT = {
    "pytest.ini": """
        [pytest]
        asyncio_mode = strict
        """,
    "tests/conftest.py": """
        import pytest


        @pytest.fixture
        def settings():
            return {"dsn": "memory://"}
        """,
    "tests/db/conftest.py": """
        import asyncio

        import pytest
        import pytest_asyncio


        @pytest.fixture(scope="module")
        def event_loop():
            loop = asyncio.new_event_loop()
            yield loop
            loop.close()


        @pytest_asyncio.fixture(scope="module")
        async def queue():
            queue = asyncio.Queue()
            queue.loop = asyncio.get_running_loop()
            return queue


        @pytest_asyncio.fixture
        async def item(queue):
            await queue.put("row")
            return queue.loop
        """,
    "tests/db/test_queue.py": """
        import asyncio

        import pytest


        @pytest.mark.asyncio
        async def test_put_get(queue):
            await queue.put(1)
            assert await queue.get() == 1
            assert asyncio.get_running_loop() is queue.loop


        class TestItems:
            pytestmark = pytest.mark.asyncio

            async def test_item_shares_the_loop(self, item, queue):
                assert item is queue.loop is asyncio.get_running_loop()
                assert await queue.get() == "row"
        """,
    "tests/test_plain.py": """
        import asyncio

        import pytest


        @pytest.mark.asyncio
        async def test_fresh_loop():
            await asyncio.sleep(0)
        """,
}


def test_nested_override_becomes_marks_and_the_module_shares_its_loop(tmp_path: Path) -> None:
    _write(tmp_path, NESTED_PROJECT)
    _migrate(tmp_path, LOOP_SCOPE_CODEMODS)
    test_module = (tmp_path / "tests/db/test_queue.py").read_text()
    assert 'pytestmark = pytest.mark.asyncio(loop_scope="module")' in test_module
    assert test_module.count('asyncio(loop_scope="module")') == 3
    conftest = (tmp_path / "tests/db/conftest.py").read_text()
    assert "def event_loop" not in conftest
    assert conftest.count('loop_scope="module"') == 2
    assert "loop_scope" not in (tmp_path / "tests/test_plain.py").read_text()
    assert "asyncio_default_fixture_loop_scope = function" in (tmp_path / "pytest.ini").read_text()
    run = _pytest(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout


def test_the_unmigrated_nested_override_is_ignored_by_pytest_asyncio_1(tmp_path: Path) -> None:
    """The failure the codemod exists to prevent, shown on the same project."""
    _write(tmp_path, NESTED_PROJECT)
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = module\n"
    )
    run = _pytest(tmp_path)
    assert "2 failed, 1 passed" in run.stdout, run.stdout
    assert "AssertionError" in run.stdout


def test_migration_is_idempotent_across_the_pipeline(tmp_path: Path) -> None:
    _write(tmp_path, NESTED_PROJECT)
    _migrate(tmp_path, LOOP_SCOPE_CODEMODS)
    snapshot = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    again = engine.migrate([tmp_path], registry.select(LOOP_SCOPE_CODEMODS), Options(), jobs=1)
    assert not again.anything_changed
    assert snapshot == {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}


HOOK_PROJECT = {
    "pytest.ini": """
        [pytest]
        asyncio_mode = auto
        """,
    "conftest.py": """
        import asyncio

        import pytest
        from pytest_asyncio import is_async_test


        def pytest_collection_modifyitems(items):
            pytest_asyncio_tests = (item for item in items if is_async_test(item))
            session_scope_marker = pytest.mark.asyncio(loop_scope="session")
            for async_test in pytest_asyncio_tests:
                async_test.add_marker(session_scope_marker, append=False)


        @pytest.fixture(scope="session")
        async def pool():
            return {"loop": asyncio.get_running_loop()}
        """,
    "tests/test_a.py": """
        import asyncio


        async def test_a(pool):
            assert asyncio.get_running_loop() is pool["loop"]
        """,
    "tests/test_b.py": """
        import asyncio


        async def test_b(pool):
            assert asyncio.get_running_loop() is pool["loop"]
        """,
}


def test_session_hook_becomes_settings_and_the_tests_keep_one_loop(tmp_path: Path) -> None:
    _write(tmp_path, HOOK_PROJECT)
    names = [
        "session-hook-to-default-test-loop-scope",
        "async-fixture-loop-scope",
        "default-fixture-loop-scope",
    ]
    result = _migrate(tmp_path, names)
    ini = (tmp_path / "pytest.ini").read_text()
    assert "asyncio_default_test_loop_scope = session" in ini
    assert "asyncio_default_fixture_loop_scope = session" in ini
    conftest = (tmp_path / "conftest.py").read_text()
    assert "pytest_collection_modifyitems" not in conftest
    assert "is_async_test" not in conftest
    assert not [n for n in result.notes if "already set" in n.message], result.notes
    run = _pytest(tmp_path)
    assert "2 passed" in run.stdout, run.stdout + run.stderr


CUSTOM_LOOP_PROJECT = {
    "pytest.ini": """
        [pytest]
        asyncio_mode = auto
        """,
    "tests/conftest.py": """
        import asyncio

        import pytest


        class TracingLoop(asyncio.SelectorEventLoop):
            pass


        @pytest.fixture(scope="session")
        def event_loop():
            loop = TracingLoop()
            yield loop
            loop.close()


        @pytest.fixture(scope="session")
        async def started_in():
            return asyncio.get_running_loop()
        """,
    "tests/test_loop.py": """
        import asyncio


        async def test_custom_shared_loop(started_in):
            loop = asyncio.get_running_loop()
            assert type(loop).__name__ == "TracingLoop"
            assert loop is started_in
        """,
}


def test_custom_loop_override_becomes_a_factory_hook_with_its_scope(tmp_path: Path) -> None:
    _write(tmp_path, CUSTOM_LOOP_PROJECT)
    result = _migrate(tmp_path, [*LOOP_SCOPE_CODEMODS, "event-loop-policy-to-loop-factories"])
    conftest = (tmp_path / "tests/conftest.py").read_text()
    assert "def event_loop" not in conftest
    assert 'return {"TracingLoop": TracingLoop}' in conftest
    assert "asyncio_default_test_loop_scope = session" in (tmp_path / "pytest.ini").read_text()
    assert any("pin it" in n.message for n in result.notes)
    run = _pytest(tmp_path)
    assert "1 passed" in run.stdout, run.stdout + run.stderr
    # The test id did not change: a single factory adds no parameter.
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "tests/test_loop.py::test_custom_shared_loop\n" in collected.stdout, collected.stdout
