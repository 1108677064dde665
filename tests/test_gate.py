"""The code gate may only ever say a cheaper "no": never to a file a codemod changes."""

from __future__ import annotations

import pytest

from async_test_upgrade import engine, gate, registry
from async_test_upgrade.facts import ProjectFacts, index_file
from tests import golden

CHANGING = [c for c in golden.collect() if c.after is not None and not c.is_project]
SINGLE_FILES = [c for c in golden.collect() if not c.is_project]
PROJECTS = [c for c in golden.collect() if c.is_project]


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


@pytest.mark.parametrize("case", SINGLE_FILES, ids=[c.id for c in SINGLE_FILES])
def test_gate_lets_every_golden_file_with_a_change_or_note_through(case: golden.Case) -> None:
    """Notes count as much as changes: a gated-out file never gets its "needs review"."""
    source = case.before.read_bytes()
    relpath = golden.relpath_for(case)
    result = golden.run_file(case.codemod, source, relpath, case.options())
    if not result.notes and not result.changes and not result.config_edits:
        pytest.skip("the codemod reports nothing here")
    code = gate.parse_index(source)
    assert code is not None
    facts = ProjectFacts()
    index_file(facts, relpath, source)
    record = registry.by_name()[case.codemod]
    assert gate.lets_through(record, code, facts), f"the gate would hide {case.id}"


@pytest.mark.parametrize("case", PROJECTS, ids=[c.id for c in PROJECTS])
def test_gate_lets_every_project_file_with_a_change_or_note_through(case: golden.Case) -> None:
    """In a project case the gate sees the merged facts of every file (as in the engine)."""
    files = {
        p.relative_to(case.before).as_posix(): p.read_bytes()
        for p in sorted(case.before.rglob("*.py"))
    }
    facts = ProjectFacts()
    for relpath, source in files.items():
        index_file(facts, relpath, source)
    record = registry.by_name()[case.codemod]
    options = case.options()
    reported = 0
    for relpath, source in files.items():
        result = engine.transform_source(source, relpath, [record], facts, options)
        if not (result.notes or result.changes or result.config_edits):
            continue
        reported += 1
        code = gate.parse_index(source)
        assert code is not None
        assert gate.lets_through(record, code, facts), f"the gate would hide {relpath}"
    if not reported:
        pytest.skip("the codemod reports nothing on any file alone")


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
