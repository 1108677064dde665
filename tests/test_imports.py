"""Dropping unused imports without LibCST's scope-analysing visitor gives what that
visitor gives, and keeps every import something still refers to."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from async_test_upgrade.cst import ImportRequest
from async_test_upgrade.imports import (
    _drop_top_level,
    _merge_into_leading_from_imports,
    _NamesInUse,
    fix_imports,
)

MAGIC = ImportRequest("unittest.mock", "MagicMock")
PYTEST = ImportRequest("pytest")


def _libcst(source: str, requests: list[ImportRequest]) -> str:
    context = CodemodContext()
    for r in requests:
        RemoveImportsVisitor.remove_unused_import(context, r.module, r.obj, r.asname)
    return RemoveImportsVisitor(context).transform_module(cst.parse_module(source)).code


@pytest.mark.parametrize(
    ("source", "requests", "expected"),
    [
        (
            '"""Doc."""\nimport pytest\nimport os\n\nos.sep\n',
            [PYTEST],
            '"""Doc."""\nimport os\n\nos.sep\n',
        ),
        (
            "from unittest.mock import AsyncMock, MagicMock\n\nAsyncMock()\n",
            [MAGIC],
            "from unittest.mock import AsyncMock\n\nAsyncMock()\n",
        ),
        (
            "from unittest.mock import MagicMock, AsyncMock\n\nAsyncMock()\n",
            [MAGIC],
            "from unittest.mock import AsyncMock\n\nAsyncMock()\n",
        ),
        (
            "from unittest.mock import (\n    AsyncMock,\n    MagicMock,\n)\n\nAsyncMock()\n",
            [MAGIC],
            # LibCST gives ``(\n    AsyncMock)``; the trailing comma and line break stay here
            "from unittest.mock import (\n    AsyncMock,\n)\n\nAsyncMock()\n",
        ),
        (
            "import os; import pytest\nos.sep\n",
            [PYTEST],
            "import os\nos.sep\n",  # LibCST leaves "import os; "
        ),
        (
            "import pytest; import os\nos.sep\n",
            [PYTEST],
            "import os\nos.sep\n",
        ),
        (
            "import pytest as pt\nimport pytest\n",
            [PYTEST],
            "import pytest as pt\n",
        ),
        (
            "from unittest.mock import MagicMock as MM\nfrom unittest.mock import MagicMock\n",
            [MAGIC],
            "from unittest.mock import MagicMock as MM\n",
        ),
    ],
)
def test_drops_like_libcst(source: str, requests: list[ImportRequest], expected: str) -> None:
    module = cst.parse_module(source)
    usage = _NamesInUse()
    module.visit(usage)
    done = _drop_top_level(module, requests, list(usage.imports))
    assert done is not None  # the fast path took it
    assert done[0].code == expected
    assert fix_imports(module, [], requests).code == expected
    if "import (" not in source and "; import pytest" not in source:
        assert _libcst(source, requests) == expected


@pytest.mark.parametrize(
    "source",
    [
        # an alias carrying a comment
        "from unittest.mock import (\n    MagicMock,  # old\n    AsyncMock,\n)\nAsyncMock()\n",
        # an import inside a function
        "def f():\n    from unittest.mock import MagicMock\n    return 1\n",
    ],
)
def test_leaves_the_hard_cases_to_libcst(source: str) -> None:
    module = cst.parse_module(source)
    usage = _NamesInUse()
    module.visit(usage)
    assert _drop_top_level(module, [MAGIC], list(usage.imports)) is None
    assert fix_imports(module, [], [MAGIC]).code == _libcst(source, [MAGIC])


@pytest.mark.parametrize(
    "source",
    [
        "from unittest.mock import MagicMock\n\n__all__ = ['MagicMock']\n",
        "from unittest.mock import MagicMock\n\ndef f(m: 'MagicMock') -> None: ...\n",
        "from unittest.mock import MagicMock\n\nx = MagicMock\n",
        "import pytest\n\n@pytest.fixture\ndef f(): ...\n",
    ],
)
def test_keeps_what_is_still_referred_to(source: str) -> None:
    module = cst.parse_module(source)
    assert fix_imports(module, [], [MAGIC, PYTEST]).code == source


def test_a_name_in_an_ordinary_string_is_not_a_use() -> None:
    source = 'from unittest.mock import MagicMock\n\n"""MagicMock is gone."""\n'
    fixed = fix_imports(cst.parse_module(source), [], [MAGIC]).code
    assert fixed == '"""MagicMock is gone."""\n'


def _libcst_add(source: str, requests: list[ImportRequest]) -> str:
    context = CodemodContext()
    for r in requests:
        AddImportsVisitor.add_needed_import(context, r.module, r.obj, r.asname)
    return cst.parse_module(source).visit(AddImportsVisitor(context)).code


ASYNC_MOCK = ImportRequest("unittest.mock", "AsyncMock")


@pytest.mark.parametrize(
    ("source", "requests"),
    [
        ("from unittest.mock import MagicMock, patch\n\nx = 1\n", [ASYNC_MOCK]),
        ('"""Doc."""\nimport os\nfrom unittest.mock import patch\n\nx = 1\n', [ASYNC_MOCK]),
        (
            "from unittest.mock import (\n    MagicMock,\n    patch,\n)\n",
            [ASYNC_MOCK, ImportRequest("unittest.mock", "ANY")],
        ),
        # the from-import is not in the opening block: a new statement is needed
        ("import os\nx = 1\nfrom unittest.mock import patch\n", [ASYNC_MOCK]),
        # a new module altogether
        ("import os\n\nx = 1\n", [ImportRequest("pytest_asyncio")]),
        ("from unittest.mock import patch\n", [ASYNC_MOCK, ImportRequest("pytest_asyncio")]),
        ("from .mock import patch\n", [ImportRequest(".mock", "AsyncMock")]),
        ("from unittest.mock import patch; import os\n", [ASYNC_MOCK]),
    ],
)
def test_adds_like_libcst(source: str, requests: list[ImportRequest]) -> None:
    assert fix_imports(cst.parse_module(source), requests, []).code == _libcst_add(source, requests)


def test_extending_an_import_takes_the_fast_path() -> None:
    module = cst.parse_module("from unittest.mock import patch\n")
    assert _merge_into_leading_from_imports(module, [ASYNC_MOCK]) is not None
    assert _merge_into_leading_from_imports(module, [ImportRequest("pytest_asyncio")]) is None
