"""The facts index reads the syntax tree only where a trigger stands in the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from async_test_upgrade import facts as facts_module
from async_test_upgrade import indexer
from async_test_upgrade.facts import ProjectFacts, index_file
from async_test_upgrade.requirements import allows_only_below, declared_versions
from tests.sources import SOURCES, source_id

PROSE = b'''"""Used to override the event_loop fixture; see also set_result( in the old docs."""
# async def event_loop(): was here


class Base:
    pass
'''

CODE = b"""import pytest


@pytest.fixture
def event_loop():
    yield None
"""


def test_triggers_in_comments_and_docstrings_only_cost_no_tree(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    visited: list[str] = []
    original = indexer.FileIndexer.visit

    def spy(self, node):  # type: ignore[no-untyped-def]
        visited.append(self.relpath)
        return original(self, node)

    monkeypatch.setattr(indexer.FileIndexer, "visit", spy)
    facts = ProjectFacts()
    index_file(facts, "pkg/prose.py", PROSE)
    index_file(facts, "tests/conftest.py", CODE)
    assert set(visited) == {"tests/conftest.py"}
    assert [o.name for o in facts.event_loop_overrides] == ["event_loop"]
    assert facts.module_names["pkg/prose.py"] == "pkg.prose"


def test_unparsable_files_are_still_read_for_what_they_can_give() -> None:
    facts = ProjectFacts()
    index_file(facts, "broken.py", b"def event_loop(:\n")
    assert facts.module_names["broken.py"] == "broken"


@pytest.mark.parametrize("path", SOURCES, ids=source_id)
def test_the_quick_check_never_misses_a_fact_trigger(path: Path) -> None:
    source = path.read_bytes()
    if facts_module.FACT_TRIGGERS.search(source) or indexer.REEXPORT_TRIGGER.search(source):
        assert facts_module.has_content_facts(source)


@pytest.mark.parametrize(
    "line", [b"def loop():", b"def test_client(x):", b"f(loop=1)", b"fut.set_result(1)"]
)
def test_the_quick_check_sees_the_patterned_triggers(line: bytes) -> None:
    assert facts_module.FACT_TRIGGERS.search(line)
    assert facts_module.has_content_facts(line)


@pytest.mark.parametrize(
    ("relpath", "module"),
    [
        ("pkg/mod.py", "pkg.mod"),
        ("src/pkg/__init__.py", "pkg"),
        ("src/x.py", "x"),
        ("a/b.c.py", "a.b.c"),
        ("tests/conftest.py", "tests.conftest"),
        ("__init__.py", ""),
        ("./a//b.py", "a.b"),
    ],
)
def test_module_names(relpath: str, module: str) -> None:
    assert facts_module.module_name(relpath) == module


def test_declared_plugin_versions_are_read_from_any_requirements_text() -> None:
    text = (
        'tests_require = ["pytest==6.2.5", "pytest-asyncio==0.16.0"]\n'
        "deps = pytest-aiohttp >= 0.3, < 1.0  # the old plugin\n"
        "pytest_trio\n"
        "pytest-asyncio-cooperative==0.1  # another project\n"
        "# pytest-asyncio==0.10 in a comment\n"
    )
    assert declared_versions(text) == {
        "pytest-asyncio": "==0.16.0",
        "pytest-aiohttp": ">=0.3,<1.0",
        "pytest-trio": "",
    }
    assert allows_only_below("==0.16.0", (0, 19))
    assert allows_only_below(">=0.14,<0.17", (0, 19))
    assert allows_only_below("~=0.16.0", (0, 19))  # up to 0.17
    assert not allows_only_below("~=0.16", (0, 19))  # up to 1.0
    assert not allows_only_below(">=0.14", (0, 19))
    assert not allows_only_below("<=0.19", (0, 19))
    assert not allows_only_below("", (0, 19))
