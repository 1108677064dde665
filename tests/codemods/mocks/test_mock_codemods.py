"""The mock codemods together: one pipeline, their notes, and what the result really does.

The golden cases show each codemod alone; here ``future-mock-to-asyncmock`` (710),
``mock-to-asyncmock`` (720) and ``assert-called-to-awaited`` (730) run in order on one
tree, as ``migrate`` runs them, and the migrated test is run under pytest.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from async_test_upgrade import engine, registry
from async_test_upgrade.facts import ProjectFacts, index_file
from async_test_upgrade.model import FileResult, Options
from tests import golden

MOCK_CODEMODS = ("future-mock-to-asyncmock", "mock-to-asyncmock", "assert-called-to-awaited")

LEGACY = textwrap.dedent(
    """\
    import asyncio
    from unittest.mock import MagicMock

    import pytest


    class Service:
        def __init__(self, repo, log):
            self.repo, self.log = repo, log

        async def load(self, key):
            self.log("load", key)
            return await self.repo.get(key)


    async def fake_get(key):
        return {"key": key}


    @pytest.fixture
    def repo():
        repo = MagicMock()
        fut = asyncio.Future()
        fut.set_result({"key": 1})
        repo.get = MagicMock(return_value=fut)
        return repo


    @pytest.mark.asyncio
    async def test_load(repo):
        log = MagicMock()
        assert await Service(repo, log).load(1) == {"key": 1}
        repo.get.assert_called_once_with(1)
        log.assert_called_once_with("load", 1)


    @pytest.mark.asyncio
    async def test_fake():
        get = MagicMock(side_effect=fake_get)
        assert await get(2) == {"key": 2}
        assert get.call_count == 1
    """
)


def run(source: str, relpath: str = "test_service.py") -> FileResult:
    records = [registry.by_name()[name] for name in MOCK_CODEMODS]
    facts = ProjectFacts()
    index_file(facts, relpath, source.encode())
    options = Options(selected=frozenset(MOCK_CODEMODS))
    result = engine.transform_source(source.encode(), relpath, records, facts, options)
    assert result.error is None, result.error
    return result


def migrated(source: str) -> str:
    result = run(source)
    assert result.new_source is not None
    return result.new_source.decode()


def test_the_pipeline_builds_asyncmocks_then_asserts_awaits() -> None:
    output = migrated(LEGACY)
    assert "from unittest.mock import AsyncMock, MagicMock" in output
    assert 'repo.get = AsyncMock(return_value={"key": 1})' in output
    assert "fut" not in output  # the future and its set_result are gone
    assert "get = AsyncMock(side_effect=fake_get)" in output
    # 730 sees the AsyncMocks 710 and 720 built earlier in the same run.
    assert "repo.get.assert_awaited_once_with(1)" in output
    assert "assert get.await_count == 1" in output
    # The audit log is only called synchronously: it stays a MagicMock, assert_called.
    assert "log = MagicMock()" in output
    assert 'log.assert_called_once_with("load", 1)' in output
    assert run(output).new_source is None  # idempotent


def test_every_change_names_its_evidence() -> None:
    result = run(LEGACY)
    by_codemod = {c.codemod: c.description for c in result.changes}
    assert set(by_codemod) == set(MOCK_CODEMODS)
    assert "resolved once by set_result" in by_codemod["future-mock-to-asyncmock"]
    assert "get is awaited at line" in by_codemod["mock-to-asyncmock"]
    assert "no call of it in this function goes unawaited" in by_codemod["assert-called-to-awaited"]


def _pytest(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_service.py").write_text(source)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_migrated_suite_passes_on_the_modern_stack(tmp_path: Path) -> None:
    outcome = _pytest(tmp_path, migrated(LEGACY))
    assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    assert "2 passed" in outcome.stdout


def test_assert_awaited_catches_a_call_that_is_never_awaited(tmp_path: Path) -> None:
    # The bug class the stricter assertion exists for: the service forgets the await.
    buggy = LEGACY.replace("return await self.repo.get(key)", "return self.repo.get(key)")
    buggy = buggy.replace(
        'assert await Service(repo, log).load(1) == {"key": 1}',
        "coro = await Service(repo, log).load(1)\n    coro.close()",
    )
    output = migrated(buggy)
    assert "repo.get.assert_awaited_once_with(1)" in output
    modern = _pytest(tmp_path, output)
    assert modern.returncode == 1, modern.stdout
    assert "Awaited 0 times." in modern.stdout, modern.stdout


def test_lookalikes_get_no_notes() -> None:
    for codemod, case in [
        ("mock-to-asyncmock", "lookalikes_untouched.py"),
        ("assert-called-to-awaited", "lookalikes_untouched.py"),
    ]:
        source = (golden.CASES / codemod / case).read_bytes()
        result = golden.run_file(codemod, source, "test_case.py", Options())
        notes = [n.render() for n in result.notes]
        if codemod == "assert-called-to-awaited":
            # The two AsyncMocks called without await keep assert_called and are listed.
            assert len(notes) == 2 and all("called without await" in n for n in notes), notes
        else:
            assert notes == [], notes


def test_refusals_are_reported_with_their_reason() -> None:
    source = (golden.CASES / "future-mock-to-asyncmock" / "lookalikes_untouched.py").read_bytes()
    result = golden.run_file("future-mock-to-asyncmock", source, "test_case.py", Options())
    notes = [n.message for n in result.notes]
    assert len(notes) == 4, notes
    assert "resolved after the mock is set up" in notes[0]
    assert "used 2 times" in notes[1]
    assert "reassigned before the mock" in notes[2]
    assert "fetch is called at line 57 without await" in notes[3]
    source = (golden.CASES / "mock-to-asyncmock" / "needs_review.py").read_bytes()
    result = golden.run_file("mock-to-asyncmock", source, "test_case.py", Options())
    notes = [n.message for n in result.notes]
    assert len(notes) == 3, notes
    assert "called without await" in notes[0]
    assert "return_value (fut)" in notes[1]
    assert "fetch.return_value is set to" in notes[2]


FUTURE_CONFIGURED = textwrap.dedent(
    """\
    import asyncio
    from unittest.mock import MagicMock

    import pytest


    class Service:
        def __init__(self, fetch):
            self.fetch = fetch

        async def load(self, key):
            return await self.fetch(key)


    @pytest.mark.asyncio
    async def test_resolved_through_the_mock():
        fetch = MagicMock(return_value=asyncio.Future())
        fetch.return_value.set_result({"key": 1})
        assert await Service(fetch).load(1) == {"key": 1}
        fetch.assert_called_once_with(1)


    @pytest.mark.asyncio
    async def test_named_futures_in_turn():
        first = asyncio.Future()
        first.set_result(1)
        second = asyncio.Future()
        second.set_exception(KeyError(2))
        fetch = MagicMock(side_effect=[first, second])
        assert await Service(fetch).load(1) == 1
        with pytest.raises(KeyError):
            await Service(fetch).load(2)


    @pytest.mark.asyncio
    async def test_the_test_controls_the_timing():
        fetch = MagicMock(return_value=asyncio.Future())
        task = asyncio.ensure_future(Service(fetch).load(3))
        await asyncio.sleep(0)
        assert not task.done()
        fetch.return_value.set_result(3)
        assert await task == 3
    """
)


def test_awaited_mocks_configured_with_futures_never_hand_them_out(tmp_path: Path) -> None:
    # Awaited mocks configured with Futures: each loses every Future to
    # future-mock-to-asyncmock and becomes an AsyncMock, or stays a MagicMock.
    result = run(FUTURE_CONFIGURED)
    assert result.new_source is not None
    output = result.new_source.decode()
    assert 'fetch = AsyncMock(return_value={"key": 1})' in output
    assert "fetch.assert_awaited_once_with(1)" in output
    assert "fetch = AsyncMock(side_effect=[1, KeyError(2)])" in output
    assert output.count("fetch = MagicMock(return_value=asyncio.Future())") == 1
    # The timing test hands the mock to Service before resolving its Future: left alone.
    notes = [n.render() for n in result.notes]
    assert notes == [
        "test_service.py:41: future-mock-to-asyncmock: fetch is used at line 38, before "
        "fetch.return_value is resolved at line 41: what it reaches may call it first (the "
        "test controls the timing); rewrite by hand"
    ]
    assert run(output).new_source is None  # idempotent
    outcome = _pytest(tmp_path, output)
    assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    assert "3 passed" in outcome.stdout
