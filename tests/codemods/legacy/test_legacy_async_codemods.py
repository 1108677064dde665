"""The codemods for pre-3.8 async test code: asynctest, ``asyncio.coroutine`` wrappers and
decorators, home-made ``AsyncMock`` classes.

The golden cases show each rewrite; here are the notes each refusal leaves (a refusal is
only as good as what it tells the user), and a legacy test module that cannot even be
imported on this Python, migrated by the four codemods in pipeline order and run under
pytest to show that the result really works.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from async_test_upgrade import engine, registry
from async_test_upgrade.facts import ProjectFacts, index_file
from async_test_upgrade.model import FileResult, Options

CODEMODS = (
    "asynctest-to-stdlib",
    "custom-asyncmock-class",
    "coroutine-wrapper-to-asyncmock",
    "asyncio-coroutine-to-async-def",
)


def migrate(source: str, *names: str, relpath: str = "test_legacy.py") -> FileResult:
    data = textwrap.dedent(source).encode()
    facts = ProjectFacts()
    index_file(facts, relpath, data)
    chosen = registry.select(list(names or CODEMODS))
    options = Options(selected=frozenset(c.name for c in chosen))
    result = engine.transform_source(data, relpath, chosen, facts, options)
    assert result.error is None, result.error
    return result


def notes(result: FileResult) -> list[str]:
    return [f"{n.line}: {n.message}" for n in result.notes]


def output(result: FileResult, source: str) -> str:
    new = result.new_source
    return textwrap.dedent(source) if new is None else new.decode()


# --- what the refusals say --------------------------------------------------------------------


def test_asynctest_refusals_name_the_reason_and_keep_the_import() -> None:
    source = """\
        import asynctest


        class TestClock(asynctest.ClockedTestCase):
            async def test_later(self):
                await self.advance(5)


        class TestSync(asynctest.TestCase):
            def setUp(self):
                self.loop = self.make_loop()

            def make_loop(self):
                return None

            async def helper(self):
                pass


        class TestLimited(asynctest.TestCase):
            @asynctest.patch("os.getcwd", scope=asynctest.LIMITED)
            async def test_limited(self, getcwd):
                getcwd.side_effect = asynctest.return_once("/")
        """
    result = migrate(source, "asynctest-to-stdlib")
    said = "\n".join(notes(result))
    assert "4: asynctest.ClockedTestCase drives a fake loop clock" in said
    assert "6: self.advance() of asynctest.ClockedTestCase" in said
    assert "11: self.loop is assigned; class TestSync left on asynctest" in said
    assert "21: patch scope=asynctest.LIMITED" in said
    assert "23: asynctest.return_once" in said
    migrated = output(result, source)
    # Everything refused still needs asynctest, so its import stays; the rest moved.
    assert migrated.startswith("import asynctest\n")
    assert "class TestSync(asynctest.TestCase)" in migrated
    assert "class TestLimited(unittest.IsolatedAsyncioTestCase)" in migrated
    assert '@asynctest.patch("os.getcwd", scope=asynctest.LIMITED)' in migrated


def test_coroutine_wrapper_refusals() -> None:
    source = """\
        import asyncio
        from unittest.mock import MagicMock


        def rows(query):
            yield []


        async def test_x(monkeypatch):
            fut = asyncio.get_running_loop().create_future()
            fut.set_result(1)
            a = asyncio.coroutine(MagicMock(return_value=fut))
            b = asyncio.coroutine(rows)
            stub = MagicMock()
            c = asyncio.coroutine(stub)
            stub()
            d = asyncio.coroutine(lambda: asyncio.sleep(0))
        """
    result = migrate(source, "coroutine-wrapper-to-asyncmock")
    said = "\n".join(notes(result))
    assert result.new_source is None
    assert "12: the mock's return_value (fut) is awaitable" in said
    assert "13: asyncio.coroutine(rows) (removed in 3.11): rows is not a Mock/MagicMock" in said
    assert "15: asyncio.coroutine(stub) (removed in 3.11): the stub stub is also used" in said
    assert "(line 16)" in said
    assert "17: the lambda returns an awaitable (asyncio.sleep(0))" in said


def test_generator_coroutine_refusals() -> None:
    source = """\
        import asyncio


        @asyncio.coroutine
        def receiver():
            item = yield
            return item


        @asyncio.coroutine
        def stepped():
            yield from asyncio.sleep(0)


        def test_drive():
            assert list(stepped()) is not None
        """
    result = migrate(source, "asyncio-coroutine-to-async-def")
    said = "\n".join(notes(result))
    assert result.new_source is None
    assert "6: receiver is decorated @asyncio.coroutine but has a bare yield" in said
    assert "16: stepped is driven as a generator here" in said


def test_custom_class_refusals() -> None:
    source = """\
        from unittest.mock import MagicMock


        class AsyncMock(MagicMock):
            async def __call__(self, *args, **kwargs):
                await self.before()
                return super().__call__(*args, **kwargs)


        def CoroMock(**kwargs):
            return AsyncMock(**kwargs)
        """
    result = migrate(source, "custom-asyncmock-class", relpath="tests/helpers.py")
    said = "\n".join(notes(result))
    assert result.new_source is None
    assert "4: home-made AsyncMock class is not exactly" in said
    assert "10: def CoroMock(...) helper builds an awaitable mock" in said


# --- the migrated module really runs ---------------------------------------------------------

LEGACY_MODULE = """\
    import asyncio
    from unittest.mock import MagicMock

    import asynctest


    class AsyncMock(MagicMock):
        async def __call__(self, *args, **kwargs):
            return super().__call__(*args, **kwargs)


    class Repo:
        async def get(self, key):
            await asyncio.sleep(0)
            return {"key": key}


    class Service:
        def __init__(self, repo, clock):
            self.repo, self.clock = repo, clock

        async def load(self, key):
            return {**await self.repo.get(key), "at": self.clock()}


    @asyncio.coroutine
    def slow_get(key):
        yield from asyncio.sleep(0)
        return {"key": key.upper()}


    class TestService(asynctest.TestCase):
        use_default_loop = False

        async def setUp(self):
            self.repo = Repo()
            self.service = Service(self.repo, self.loop.time)

        async def tearDown(self):
            self.assertFalse(self.loop.is_closed())

        async def test_coroutine_mock(self):
            self.repo.get = asynctest.CoroutineMock(return_value={"key": "a"})
            self.assertEqual((await self.service.load("a"))["key"], "a")
            self.repo.get.assert_awaited_once_with("a")

        async def test_generator_fake(self):
            with asynctest.patch.object(self.repo, "get", new=slow_get):
                self.assertEqual((await self.service.load("b"))["key"], "B")

        async def test_wrappers(self):
            self.repo.get = asyncio.coroutine(MagicMock(return_value={"key": "w"}))
            self.assertEqual((await self.service.load("x"))["key"], "w")
            self.repo.get = asyncio.coroutine(lambda key: {"key": key * 2})
            self.assertEqual((await self.service.load("y"))["key"], "yy")

        async def test_named_stub(self):
            get_stub = MagicMock(return_value={"key": "s"})
            self.repo.get = asyncio.coroutine(get_stub)
            await self.service.load("z")
            get_stub.assert_called_once_with("z")

        @asynctest.fail_on(active_handles=True)
        async def test_home_made_mock(self):
            self.repo.get = AsyncMock(return_value={"key": "h"})
            self.assertEqual((await self.service.load("h"))["key"], "h")
            self.assertLessEqual((await self.service.load("h"))["at"], self.loop.time())
    """


def test_migrated_legacy_module_runs(tmp_path: Path) -> None:
    result = migrate(LEGACY_MODULE)
    migrated = output(result, LEGACY_MODULE)
    assert "asynctest" not in migrated and "coroutine(" not in migrated
    assert "class AsyncMock" not in migrated
    (tmp_path / "test_legacy.py").write_text(migrated)
    # Every warning is an error: a coroutine that was never awaited fails the run.
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_default_fixture_loop_scope = function\nfilterwarnings = error\n"
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "5 passed" in run.stdout, run.stdout


def test_legacy_module_cannot_run_here_unmigrated(tmp_path: Path) -> None:
    # The premise of the test above: the legacy module is broken on this Python even
    # with asynctest absent from the picture (asyncio.coroutine is gone in 3.11).
    source = LEGACY_MODULE.replace("import asynctest\n", "")
    (tmp_path / "test_legacy.py").write_text(textwrap.dedent(source))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "has no attribute 'coroutine'" in run.stdout


def test_every_hook_of_a_converted_hierarchy_becomes_async() -> None:
    # asynctest ran sync and async setUp alike inside the test's loop: each becomes an
    # asyncSetUp, so overriding and super() calls keep their meaning along the chain.
    source = """\
        import asynctest


        class Base(asynctest.TestCase):
            def setUp(self):
                self.base = True


        class TestChild(Base):
            async def setUp(self):
                self.child = True

            async def test_x(self):
                self.assertTrue(self.child)


        class TestCalls(Base):
            async def setUp(self):
                super().setUp()
                self.child = True
        """
    result = migrate(source, "asynctest-to-stdlib")
    assert notes(result) == []
    migrated = output(result, source)
    assert "class Base(unittest.IsolatedAsyncioTestCase):\n    async def asyncSetUp(self):" in (
        migrated
    )
    assert (
        "class TestCalls(Base):\n    async def asyncSetUp(self):\n"
        "        await super().asyncSetUp()\n        self.child" in migrated
    )


def test_index_and_codemod_agree_on_which_classes_stay_on_asynctest() -> None:
    # A subclass in another file follows the index; the class's own file follows the
    # codemod. They must agree, or a class would be half converted.
    source = (
        Path(__file__).parents[2] / "cases/asynctest-to-stdlib/sync_tests.before.py"
    ).read_text()
    facts = ProjectFacts()
    index_file(facts, "tests/test_sync.py", source.encode())
    assert facts.asynctest_blocking_classes == set()
    migrated = output(migrate(source, "asynctest-to-stdlib"), source)
    assert "class TestSyncLoop(unittest.IsolatedAsyncioTestCase)" in migrated
    assert "class TestMixed(unittest.IsolatedAsyncioTestCase)" in migrated
    assert "class TestHelper(unittest.IsolatedAsyncioTestCase)" in migrated
