"""The fast qualified-name reader gives exactly what LibCST's provider gives, where it
answers at all, on every Python file of the golden cases and the corpus."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, QualifiedNameProvider, QualifiedNameSource

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
    """Names and attribute chains in expression position: what codemods ask about (the
    label of an attribute or keyword is not an expression; the provider gives it nothing)."""

    def __init__(self) -> None:
        self.nodes: list[cst.CSTNode] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.nodes.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self.nodes.append(node)
        node.value.visit(self)
        return False

    def visit_Call(self, node: cst.Call) -> None:
        self.nodes.append(node)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.nodes.append(node)

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False


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


@pytest.mark.parametrize("path", SOURCES, ids=source_id)
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
    assert answers["client.get"] is None  # a parameter: the provider's question


@pytest.mark.parametrize(
    ("source", "expression", "expected"),
    [
        ("import pytest\npytest.mark.asyncio\n", "pytest.mark.asyncio", {"pytest.mark.asyncio"}),
        ("from unittest import mock as m\nm.Mock\n", "m.Mock", {"unittest.mock.Mock"}),
        ("import a.b.c\na.b.c.d\n", "a.b.c.d", {"a.b.c.d"}),
        ("from . import helpers\nhelpers.f\n", "helpers.f", {".helpers.f"}),
        ("open\n", "open", {"builtins.open"}),
        ("nothing_here\n", "nothing_here", set()),
    ],
)
def test_examples(source: str, expression: str, expected: set[str]) -> None:
    module = cst.parse_module(source)
    finder = _Dotted()
    module.visit(finder)
    node = next(n for n in finder.nodes if dotted_name(n) == expression)
    assert NameResolver(SourceView(module)).qualified_names(node) == expected
    assert _Provider(module).names(node) == expected


@pytest.mark.parametrize(
    "source",
    [
        "import pytest\ndef f(pytest):\n    pytest.mark\n",  # a parameter shadows it
        "import pytest\npytest = 1\npytest.mark\n",  # rebound at module level
        "from x import *\npytest.mark\n",  # any name may come from the star
        "import pytest\nclass C:\n    pytest = 2\n    pytest.mark\n",
        "import pytest\ndef f():\n    global pytest\n    pytest = 3\n",
    ],
)
def test_leaves_rebound_names_to_the_provider(source: str) -> None:
    module = cst.parse_module(source)
    finder = _Dotted()
    module.visit(finder)
    nodes = [n for n in finder.nodes if dotted_name(n) in ("pytest", "pytest.mark")]
    assert nodes
    resolver = NameResolver(SourceView(module))
    assert all(resolver.qualified_names(n) is None for n in nodes)


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
