"""The cheaper providers give LibCST's answers, on every golden case and corpus file."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from async_test_upgrade.providers import ParentProvider, SourceView, code_and_lines
from tests.sources import SOURCES, parsable_source, source_id

EXTRA = {
    "crlf": "import os\r\n\r\n\r\ndef f(\r\n    a,\r\n):\r\n    return (a +\r\n        1)\r\n",
    "comments": "# one\n\n# two\n@dec\n# three\ndef f():  # four\n    '''doc\n\n    more'''\n",
    "continuation": "x = 1 + \\\n    2\nif x:\n    pass\nelse:\n    y = [\n        1,\n    ]\n",
}


def _check(source: str) -> None:
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    parents = wrapper.resolve(ParentNodeProvider)
    code, lines = code_and_lines(module)
    mine = wrapper.resolve(ParentProvider)
    assert code == source
    assert len(lines) == len(positions)
    for node, where in positions.items():
        assert lines[node] == where.start.line, cst.Module([]).code_for_node(node)
    assert dict(mine) == dict(parents)
    view = SourceView(module)
    assert view.code == module.code == source
    assert all(view.line(node) == where.start.line for node, where in positions.items())


@pytest.mark.parametrize("path", SOURCES, ids=source_id)
def test_same_answers_as_libcst(path: Path) -> None:
    _check(parsable_source(path))


@pytest.mark.parametrize("name", sorted(EXTRA))
def test_same_answers_on_awkward_layouts(name: str) -> None:
    _check(EXTRA[name])
