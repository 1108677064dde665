"""The event-loop body codemods together: their notes, their interplay in one run, and
the migrated ``corpus/stockroom`` suite really passing under the installed pytest-asyncio.

The golden cases show each codemod alone; here they run as the pipeline runs them
(300 event_loop parameters, 310 sync users, 320 loop runs inside coroutines, 330
get_event_loop, 800 ``loop=``), on real source and through real pytest subprocesses.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from async_test_upgrade import engine, registry
from async_test_upgrade.facts import ProjectFacts, index_file
from async_test_upgrade.model import FileResult, Options
from tests.suite_runs import outcomes

EVENT_LOOP_CODEMODS = [
    "event-loop-arg-to-running-loop",
    "event-loop-sync-to-async",
    "asyncio-run-in-async-to-await",
    "get-event-loop-in-async",
    "remove-loop-kwarg",
]
STOCKROOM = Path(__file__).parents[3] / "corpus" / "stockroom"


def _transform(source: str, names: list[str], relpath: str = "tests/test_x.py") -> FileResult:
    facts = ProjectFacts()
    data = source.encode()
    index_file(facts, relpath, data)
    codemods = registry.select(names)
    options = Options(selected=frozenset(names))
    result = engine.transform_source(data, relpath, codemods, facts, options)
    assert result.error is None, result.error
    return result


def _output(result: FileResult, source: str) -> str:
    return source if result.new_source is None else result.new_source.decode()


# --- interplay ------------------------------------------------------------------------------


def test_sync_test_mixing_fixture_and_current_loop_ends_fully_awaited() -> None:
    source = (
        "import asyncio\n"
        "import pytest\n\n\n"
        "def test_x(event_loop):\n"
        "    event_loop.run_until_complete(asyncio.sleep(0))\n"
        "    assert asyncio.get_event_loop().run_until_complete(asyncio.sleep(0, 1)) == 1\n"
    )
    out = _output(_transform(source, EVENT_LOOP_CODEMODS), source)
    assert "@pytest.mark.asyncio\nasync def test_x():\n" in out
    assert "    await asyncio.sleep(0)\n" in out
    assert "    assert await asyncio.sleep(0, 1) == 1\n" in out
    assert "run_until_complete" not in out and "get_event_loop" not in out


def test_loop_only_passed_to_removed_loop_kwargs_needs_no_binding() -> None:
    source = (
        "import asyncio\n\n\n"
        "async def test_x(event_loop):\n"
        "    await asyncio.sleep(0, loop=event_loop)\n"
        "    queue = asyncio.Queue(loop=event_loop)\n"
        "    assert queue.empty()\n"
    )
    together = _output(_transform(source, EVENT_LOOP_CODEMODS), source)
    assert "async def test_x():\n    await asyncio.sleep(0)\n" in together
    assert "get_running_loop" not in together and "event_loop" not in together
    # Without remove-loop-kwarg the loop= arguments stay, so the name must stay bound.
    alone = _output(_transform(source, ["event-loop-arg-to-running-loop"]), source)
    assert "    event_loop = asyncio.get_running_loop()\n" in alone
    assert "loop=event_loop" in alone


def test_sync_test_passing_the_loop_only_as_removed_loop_kwarg_is_converted() -> None:
    source = (
        "import asyncio\n\n\n"
        "def test_x(event_loop, queue):\n"
        "    item = event_loop.run_until_complete(\n"
        "        asyncio.wait_for(queue.get(), 1, loop=event_loop)\n"
        "    )\n"
        "    assert item\n"
    )
    together = _output(_transform(source, EVENT_LOOP_CODEMODS), source)
    assert "async def test_x(queue):\n" in together
    assert "asyncio.wait_for(queue.get(), 1)" in together
    assert "event_loop" not in together
    # Alone, the loop passed as loop= is an escape: left as it is, and reported.
    alone = _transform(source, ["event-loop-sync-to-async"])
    assert alone.new_source is None
    assert "escapes at line 6" in alone.notes[0].message


def test_every_output_of_the_pipeline_is_stable() -> None:
    for path in sorted(STOCKROOM.rglob("*.py")):
        source = path.read_text()
        relpath = path.relative_to(STOCKROOM).as_posix()
        once = _output(_transform(source, EVENT_LOOP_CODEMODS, relpath), source)
        twice = _transform(once, EVENT_LOOP_CODEMODS, relpath)
        assert twice.new_source is None, f"{relpath} changed on a second run"


# --- notes for what is left alone -------------------------------------------------------------


def test_event_loop_fixture_that_is_not_a_loop_is_left_alone_and_reported(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef event_loop():\n    return []\n"
    )
    test = tmp_path / "tests" / "test_a.py"
    test.write_text(
        "async def test_a(event_loop):\n    event_loop.append(1)\n\n\n"
        "def test_b(event_loop):\n    event_loop.run_until_complete(None)\n"
    )
    result = engine.migrate([tmp_path], registry.select(EVENT_LOOP_CODEMODS), Options(), jobs=1)
    assert not result.changed_files
    messages = [n.render() for n in result.notes]
    assert any(
        m.startswith("tests/test_a.py:1: event-loop-arg-to-running-loop:")
        and "tests/conftest.py:5" in m
        and "not an event loop" in m
        for m in messages
    ), messages
    assert any(m.startswith("tests/test_a.py:5: event-loop-sync-to-async:") for m in messages)


def test_escaping_loop_is_reported_not_rewritten() -> None:
    source = (
        "import threading\n\n\n"
        "def test_x(event_loop):\n"
        "    threading.Thread(target=event_loop.run_forever).start()\n"
        "    event_loop.run_until_complete(work())\n"
    )
    result = _transform(source, ["event-loop-sync-to-async"])
    assert result.new_source is None
    assert [n.line for n in result.notes] == [4]
    assert "escapes at line 5" in result.notes[0].message


def test_current_loop_used_beyond_runs_is_reported_not_rewritten() -> None:
    source = (
        "import asyncio\n\n\n"
        "def test_x():\n"
        "    loop = asyncio.get_event_loop()\n"
        "    session = loop.run_until_complete(login())\n"
        "    loop.call_soon(session.ping)\n"
        "    loop.run_until_complete(session.close())\n"
    )
    result = _transform(source, ["get-event-loop-in-async"])
    assert result.new_source is None
    assert [n.line for n in result.notes] == [5]
    assert "make it an async test" in result.notes[0].message


def test_current_loop_reused_by_a_test_with_fixtures_is_noted() -> None:
    source = (
        "import asyncio\n\n\n"
        "def test_x(client):\n"
        "    loop = asyncio.get_event_loop()\n"
        "    session = loop.run_until_complete(client.login())\n"
        "    loop.run_until_complete(session.close())\n"
    )
    result = _transform(source, ["get-event-loop-in-async"])
    assert "    with asyncio.Runner() as runner:\n" in _output(result, source)
    assert len(result.notes) == 1 and "(client)" in result.notes[0].message


def test_primitive_made_outside_a_coroutine_is_noted() -> None:
    source = (
        "import asyncio\n\n\n"
        "def make(loop):\n    return asyncio.Lock(loop=loop)\n\n\n"
        "async def use(loop):\n    return asyncio.Lock(loop=loop)\n"
    )
    result = _transform(source, ["remove-loop-kwarg"])
    assert _output(result, source).count("asyncio.Lock()") == 2
    assert [n.line for n in result.notes] == [5]


def test_wide_fixture_made_async_is_noted_with_its_loop_scope() -> None:
    source = (
        "import pytest\n\n\n"
        '@pytest.fixture(scope="session")\n'
        "def db(event_loop):\n"
        "    return event_loop.run_until_complete(connect())\n"
    )
    result = _transform(source, ["event-loop-sync-to-async"], "tests/conftest.py")
    out = _output(result, source)
    assert '@pytest_asyncio.fixture(scope="session", loop_scope="session")\nasync def db():' in out
    assert any('loop_scope="session"' in n.message for n in result.notes)


def test_facts_tell_a_loop_fixture_from_a_look_alike() -> None:
    facts = ProjectFacts()
    source = (
        "import asyncio\nimport pytest\nimport uvloop\n\n\n"
        "@pytest.fixture\ndef event_loop():\n"
        "    loop = asyncio.get_event_loop_policy().new_event_loop()\n"
        "    yield loop\n    loop.close()\n\n\n"
        "class TestUv:\n"
        "    @pytest.fixture\n    def event_loop(self):\n"
        "        loop = uvloop.new_event_loop()\n        asyncio.set_event_loop(loop)\n"
        "        yield loop\n        loop.close()\n\n\n"
        "class TestRecorder:\n"
        "    @pytest.fixture\n    def event_loop(self):\n        return []\n"
    )
    index_file(facts, "tests/conftest.py", source.encode())
    assert [(o.line, o.plain_loop, o.makes_loop) for o in facts.event_loop_overrides] == [
        (7, True, True),
        (15, False, True),
        (24, False, False),
    ]


# --- the corpus project, really run ---------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "stockroom"
    shutil.copytree(STOCKROOM, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _migrate(root: Path, names: list[str] | None = None, skip: list[str] | None = None) -> None:
    # The library itself passes loop= to asyncio: only --include-source makes it run.
    codemods = registry.select(names or [], skip or [])
    result = engine.migrate([root], codemods, Options(include_source=True), jobs=1)
    assert not result.errors, result.errors
    engine.write_result(result)


def test_stockroom_library_is_noted_not_rewritten_by_default(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    result = engine.migrate([root], registry.select(), Options(), jobs=1)
    assert result.out_of_scope == 3  # src/stockroom/{__init__,store,server}.py
    assert not any(o.relpath.startswith("src/") for o in result.changed_files)
    library = [n.render() for n in result.notes if n.path.startswith("src/")]
    assert (
        "src/stockroom/store.py:22: remove-loop-kwarg: library code, left alone (Python 3.10 "
        "removed these loop= arguments): would have asyncio.Lock(loop=...) -> loop= dropped "
        "(Python 3.10) (--include-source rewrites it)" in library
    )
    assert all("library code, left alone" in note for note in library), library


def test_stockroom_unmigrated_fails_on_the_modern_stack(tmp_path: Path) -> None:
    _passed, failed, output = outcomes(_copy(tmp_path))
    assert len(failed) >= 8, output
    assert "fixture 'event_loop' not found" in output


def test_stockroom_migrated_by_the_event_loop_codemods_passes(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _migrate(root, EVENT_LOOP_CODEMODS)
    source = (root / "tests" / "test_store.py").read_text()
    assert "event_loop" not in source and "loop=" not in source
    passed, failed, output = outcomes(root)
    assert not failed, output
    assert len(passed) == 11, output
    assert "never awaited" not in output


def test_stockroom_needs_remove_loop_kwarg(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _migrate(root, [n for n in EVENT_LOOP_CODEMODS if n != "remove-loop-kwarg"])
    passed, failed, output = outcomes(root)
    assert "unexpected keyword argument 'loop'" in output
    assert "tests/test_store.py::test_concurrent_reservations" in failed
    # The library's Store.open() passes loop= to Lock and Queue: every test opens a Store.
    assert not passed and len(failed) == 11, output


def test_stockroom_migrated_by_the_full_pipeline_passes(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _migrate(root)
    passed, failed, output = outcomes(root)
    assert not failed, output
    assert len(passed) == 11, output
