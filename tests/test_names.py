"""The fast qualified-name reader gives exactly what LibCST's provider gives, where it
answers at all, on every Python file of the golden cases and the corpus."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, QualifiedNameProvider, QualifiedNameSource

from async_test_upgrade import engine, registry
from async_test_upgrade.model import Options
from async_test_upgrade.names import NameResolver, dotted_name
from async_test_upgrade.providers import SourceView
from tests.sources import SOURCES, parsable_source, source_id


class _Provider(cst.CSTVisitor):
    """LibCST's answers, asked the way a transformer asks them."""

    METADATA_DEPENDENCIES = (QualifiedNameProvider,)

    def __init__(self, module: cst.Module) -> None:
        super().__init__()
        self.metadata = MetadataWrapper(module, unsafe_skip_copy=True).resolve_many(
            [QualifiedNameProvider]
        )

    def names(self, node: cst.CSTNode) -> set[str]:
        return {q.name for q in self.get_metadata(QualifiedNameProvider, node, set())}

    def sources(self, node: cst.CSTNode) -> set[QualifiedNameSource]:
        return {q.source for q in self.get_metadata(QualifiedNameProvider, node, set())}


class _Dotted(cst.CSTVisitor):
    """Every name, attribute chain, call and subscript of the tree, wherever it stands
    (the label of an attribute or keyword, a definition's name, a parameter, an import),
    and every list (an expression the provider names nothing)."""

    def __init__(self) -> None:
        self.nodes: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.List)):
            self.nodes.append(node)
        return True


def _id(path: Path) -> str:
    return source_id(path) if path in SOURCES else f"stdlib/{path.parent.name}/{path.name}"


def code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _compare(source: str) -> tuple[int, int]:
    module = cst.parse_module(source)
    provider = _Provider(module)
    resolver = NameResolver(SourceView(module))
    finder = _Dotted()
    module.visit(finder)
    answered = 0
    every_name = {name for node in finder.nodes for name in provider.names(node)}
    for node in finder.nodes:
        expected = provider.names(node)
        # The shortcuts never rule out a name the provider gives ...
        assert not (expected and resolver.cannot_be_any_of(node, expected)), code(node)
        if resolver.cannot_be_any_of(node, every_name):
            assert not expected & every_name
        # ... and "local" is never said of an imported name.
        if resolver.is_local(node):
            assert QualifiedNameSource.IMPORT not in provider.sources(node), code(node)
        fast = resolver.qualified_names(node)
        if fast is None:
            continue
        answered += 1
        assert fast == expected, (code(node), fast, expected)
    return answered, len(finder.nodes)


#: The interpreter's own asyncio tests: real code, large files, every construct.
_STDLIB_ASYNCIO = sorted(
    (Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_asyncio").glob("*.py")
)


@pytest.mark.parametrize("path", SOURCES + _STDLIB_ASYNCIO, ids=_id)
def test_same_answers_as_the_provider(path: Path) -> None:
    _compare(parsable_source(path))


def test_answers_the_questions_about_imported_names() -> None:
    source = (
        "import pytest\n"
        "from unittest import mock\n"
        "from unittest.mock import MagicMock as MM, patch\n"
        "import os.path\n"
        "try:\n"
        "    from asynctest import CoroutineMock\n"
        "except ImportError:\n"
        "    from unittest.mock import AsyncMock as CoroutineMock\n"
        "@pytest.mark.asyncio\n"
        "async def test_it(client):\n"
        "    m = mock.MagicMock()\n"
        "    MM(); patch('x'); os.path.join('a'); CoroutineMock(); len([])\n"
        "    undefined_thing.attr\n"
        "    client.get()\n"
    )
    _compare(source)
    module = cst.parse_module(source)
    finder = _Dotted()
    module.visit(finder)
    resolver = NameResolver(SourceView(module))
    answers = {dotted_name(n): resolver.qualified_names(n) for n in finder.nodes}
    assert answers["pytest.mark.asyncio"] == {"pytest.mark.asyncio"}
    assert answers["mock.MagicMock"] == {"unittest.mock.MagicMock"}
    assert answers["MM"] == {"unittest.mock.MagicMock"}
    assert answers["os.path.join"] == {"os.path.join"}
    assert answers["CoroutineMock"] == {"asynctest.CoroutineMock", "unittest.mock.AsyncMock"}
    assert answers["len"] == {"builtins.len"}
    assert answers["undefined_thing.attr"] == set()
    # A parameter: named in its function (the provider's ``<locals>`` spelling).
    assert answers["client.get"] == {"test_it.<locals>.client.get"}


@pytest.mark.parametrize(
    ("source", "expression", "expected"),
    [
        ("import pytest\npytest.mark.asyncio\n", "pytest.mark.asyncio", {"pytest.mark.asyncio"}),
        ("from unittest import mock as m\nm.Mock\n", "m.Mock", {"unittest.mock.Mock"}),
        ("import a.b.c\na.b.c.d\n", "a.b.c.d", {"a.b.c.d"}),
        ("from . import helpers\nhelpers.f\n", "helpers.f", {".helpers.f"}),
        ("open\n", "open", {"builtins.open"}),
        ("import pytest\nx = [pytest.mark]\n", "[pytest.mark]", set()),  # not a name
        ("nothing_here\n", "nothing_here", set()),
    ],
)
def test_examples(source: str, expression: str, expected: set[str]) -> None:
    module = cst.parse_module(source)
    finder = _Dotted()
    module.visit(finder)
    node = next(n for n in finder.nodes if (dotted_name(n) or code(n)) == expression)
    assert NameResolver(SourceView(module)).qualified_names(node) == expected
    assert _Provider(module).names(node) == expected


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("import pytest\npytest = 1\npytest\n", 3),  # read at module level: order matters
        ("from x import *\npytest.mark\n", 2),  # any name may come from the star
        ("import pytest\ndef f():\n    global pytest\n    pytest = 3\n    pytest.mark\n", 5),
        ("import pytest\ndef f():\n    import pytest.mark\n    pytest.mark\n", 4),
        ("import pytest\ndef f():\n    [pytest := 1 for _ in ()]\n    pytest\n", 4),  # walrus
        ("import pytest\nf = lambda pytest: pytest.mark\n", 2),  # a lambda's parameter
        ("def f(pytest):\n    return [pytest for pytest in pytest]\n", 2),
    ],
)
def test_leaves_rebound_names_to_the_provider(source: str, line: int) -> None:
    module = cst.parse_module(source)
    finder = _Dotted()
    module.visit(finder)
    view = SourceView(module)
    nodes = [
        n
        for n in finder.nodes
        if dotted_name(n) in ("pytest", "pytest.mark") and view.line(n) == line
    ]
    assert nodes
    resolver = NameResolver(view)
    assert all(resolver.qualified_names(n) is None for n in nodes)


@pytest.mark.parametrize(
    ("source", "line", "expression", "expected"),
    [
        # A parameter shadows the import: the function's local.
        (
            "import pytest\ndef f(pytest):\n    pytest.mark\n",
            3,
            "pytest.mark",
            {"f.<locals>.pytest.mark"},
        ),
        # A method's ``self``, a class inside a function.
        (
            "def outer():\n    class C:\n        def m(self):\n            self.x\n",
            4,
            "self.x",
            {"outer.<locals>.C.m.<locals>.self.x"},
        ),
        # A class body's names are not visible in its methods.
        (
            "import loop\nclass C:\n    loop = 1\n    def m(self):\n        loop.run\n",
            5,
            "loop.run",
            {"loop.run"},
        ),
        # ... but are in the body itself.
        ("import loop\nclass C:\n    loop = 1\n    loop.run\n", 4, "loop.run", {"C.loop.run"}),
        # A free name of a nested function is the enclosing function's local.
        ("def f(mock):\n    def g():\n        return mock\n", 3, "mock", {"f.<locals>.mock"}),
        # Read before the function assigns it: the provider reads the enclosing scope.
        ("from x import loop\ndef f():\n    loop\n    loop = 2\n", 3, "loop", {"x.loop"}),
        ("from x import loop\ndef f():\n    loop = 2\n    loop\n", 4, "loop", {"f.<locals>.loop"}),
        # A function's local that the module also imports: the local, where it is bound.
        (
            "from unittest import mock\ndef f():\n    mock = 1\ndef g():\n    mock.patch\n",
            5,
            "mock.patch",
            {"unittest.mock.patch"},
        ),
        # Imported inside the function.
        (
            "def f():\n    from asyncio import sleep as nap\n    nap(1)\n",
            3,
            "nap",
            {"asyncio.sleep"},
        ),
        # A parameter is its function's; its default is read in the enclosing scope.
        ("from x import loop\ndef f(loop=loop):\n    pass\n", 2, "loop", None),
        # A parameter's default is read in the enclosing scope.
        ("from x import loop\ndef f(a=loop):\n    loop = 1\n", 2, "loop", {"x.loop"}),
        # Imported and assigned at module level: both, from a function.
        (
            "try:\n    import ssl\nexcept ImportError:\n    ssl = None\ndef f():\n    ssl\n",
            6,
            "ssl",
            {"ssl"},
        ),
        # A lambda's body reads the enclosing function's names.
        (
            "def f(loop):\n    g = lambda coro: Task(coro, loop)\n",
            2,
            "loop",
            {"f.<locals>.loop"},
        ),
        # An attribute's label names nothing.
        ("from asyncio import sleep\ndef f(x):\n    x.sleep\n", 3, "sleep", set()),
    ],
)
def test_answers_in_the_scope_the_node_stands_in(
    source: str, line: int, expression: str, expected: set[str] | None
) -> None:
    """Each node spelled ``expression`` on ``line`` gets the provider's answer (which is
    ``expected`` where the spelling has one)."""
    module = cst.parse_module(source)
    finder = _Dotted()
    module.visit(finder)
    view = SourceView(module)
    nodes = [n for n in finder.nodes if dotted_name(n) == expression and view.line(n) == line]
    assert nodes
    resolver = NameResolver(view)
    for node in nodes:
        assert resolver.qualified_names(node) == _Provider(module).names(node)
        if expected is not None:
            assert resolver.qualified_names(node) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from unittest.mock import AsyncMock, patch\n", True),
        ("from unittest import mock\nfrom mock import AsyncMock\n", True),
        ("from asynctest import CoroutineMock as AsyncMock\n", False),
        ("from unittest.mock import MagicMock as AsyncMock\n", False),
        ("from unittest.mock import AsyncMock\nclass AsyncMock: ...\n", False),
        ("from unittest.mock import AsyncMock\ndef f():\n    AsyncMock = 1\n", False),
        ("import unittest.mock\n", False),
    ],
)
def test_imported_only_from(source: str, expected: bool) -> None:
    resolver = NameResolver(SourceView(cst.parse_module(source)))
    assert resolver.imported_only_from("AsyncMock", ("unittest.mock", "mock")) is expected


_LEGACY_SUITE = """\
import asyncio
import unittest
from unittest import mock

import pytest

from shop import client


class TestCart(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.client = client

    async def test_patched_on_self(self):
        with mock.patch.object(self.client, "fetch") as fetch:
            with mock.patch.object(asyncio, "sleep"):
                await self.client.total()
            fetch.assert_called_once()

    async def test_total(self):
        with mock.patch.object(client, "fetch") as fetch:
            fetch.return_value = asyncio.Future()
            fetch.return_value.set_result(3)
            self.assertEqual(await client.total(), 3)
            fetch.assert_called_once()

    async def test_helper(self):
        class Proto(asyncio.Protocol):
            pass

        loop = asyncio.get_running_loop()
        fut = asyncio.Future(loop=loop)
        fut.set_result(Proto)
        self.assertIs(await fut, Proto)


@pytest.mark.asyncio
async def test_fetch():
    m = mock.MagicMock()
    m.get.return_value = asyncio.Future()
    m.get.return_value.set_result(1)
    assert await m.get() == 1
"""


def test_a_legacy_suite_is_migrated_without_the_scope_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Methods with ``self``, mock parameters and local loops: every question the
    codemods ask is answered without LibCST's qualified-name analysis of the file."""
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "client.py").write_text(
        "async def fetch():\n    return 1\n\n\nasync def total():\n    return await fetch()\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_cart.py").write_text(_LEGACY_SUITE)
    computed: list[QualifiedNameProvider] = []
    original = QualifiedNameProvider.__init__

    def counting(self: QualifiedNameProvider) -> None:
        computed.append(self)  # one provider per analysis of a tree
        original(self)

    monkeypatch.setattr(QualifiedNameProvider, "__init__", counting)
    result = engine.migrate([tmp_path], registry.catalogue(), Options(), jobs=1)
    changed = {f.relpath: f.new.decode() for f in result.changed_files}
    # Rewritten on what the names tell (``fetch`` patches an async def).
    assert "fetch.assert_awaited_once()" in changed["tests/test_cart.py"]
    assert computed == []
