"""The code gate may only ever say a cheaper "no": never to a file a codemod changes."""

from __future__ import annotations

import pytest

from async_test_upgrade import gate, registry
from async_test_upgrade.facts import ProjectFacts, index_file
from tests import golden

CHANGING = [c for c in golden.collect() if c.after is not None and not c.is_project]


@pytest.mark.parametrize("case", CHANGING, ids=[c.id for c in CHANGING])
def test_gate_lets_every_changing_golden_case_through(case: golden.Case) -> None:
    source = case.before.read_bytes()
    if case.after is not None and case.after.read_bytes() == source:
        pytest.skip("the case shows no change")
    code = gate.parse_index(source)
    assert code is not None
    record = registry.by_name()[case.codemod]
    facts = ProjectFacts()
    index_file(facts, golden.relpath_for(case), source)
    assert gate.lets_through(record, code, facts), f"the gate would hide {case.id}"


def test_comments_and_docstrings_do_not_count() -> None:
    source = b'''"""Uses event_loop and MagicMock, in prose."""
# TODO: event_loop, asyncio(scope="module")


def helper():
    """The event_loop fixture was removed."""
    return 1
'''
    code = gate.parse_index(source)
    assert code is not None
    assert not code.allows(b"event_loop")
    assert not code.allows(b"asyncio(")
    assert code.allows(b"helper")


def test_code_words_keep_substring_semantics() -> None:
    code = gate.parse_index(
        b"import asyncio\n\n\nasync def test_x(event_loop):\n"
        b"    m.assert_called_once_with(1)\n    await asyncio.sleep(0)\n"
        b'    pytest_plugins = "aiohttp.pytest_plugin"\n'
    )
    assert code is not None
    assert code.allows(b"assert_called")  # a prefix of assert_called_once_with
    assert code.allows(b"event_loop")
    assert code.allows(b"async def")
    assert code.allows(b"await")
    assert code.allows(b"aiohttp.pytest_plugin")
    assert not code.allows(b"async with")
    assert not code.allows(b"get_event_loop")


def test_unparsable_source_has_no_index() -> None:
    assert gate.parse_index(b"def (:\n") is None
