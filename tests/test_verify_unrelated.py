"""Failures the migration did not cause stay out of the way of the ones it did.

Legacy stack before (pytest 7.4, pytest-asyncio 0.21), modern after (pytest 9.2,
pytest-asyncio 1.5), the real codemods plus a test-only one that breaks one test. Two
tests fail after migration for reasons of the new stack: one fails the same way with the
whole migration left out, the other inside the project's library code (a dependency's
changed format, as it were). Both pass through edits of real codemods, yet neither is any
codemod's suspect, and ``--rollback`` still leaves out the edit that broke the third.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import libcst as cst
import pytest

from async_test_upgrade import registry
from async_test_upgrade.cst import CodemodTransformer
from async_test_upgrade.harness import envs, render
from async_test_upgrade.harness.attribution import ENVIRONMENT, LIBRARY, NEW_STACK
from async_test_upgrade.harness.verify import Side, VerifyRequest, verify

STACKS = Path(__file__).parents[1] / "corpus" / "asyncio-library"


class BreakPhase(CodemodTransformer):
    """Test-only: ``PHASE = "before"`` becomes ``PHASE = "after"``."""

    codemod_name: ClassVar[str] = "break-phase"

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        value = updated.value
        if isinstance(value, cst.SimpleString) and value.value == '"before"':
            self.changed(original, "PHASE before -> after")
            return updated.with_changes(value=cst.SimpleString('"after"'))
        return updated


BREAK_PHASE = registry.Codemod(
    name="break-phase",
    summary="test only",
    safety="review",
    doc="test only",
    triggers=(b"PHASE",),
    transformer=BreakPhase,
)

PROJECT = {
    "pytest.ini": """
        [pytest]
        asyncio_mode = auto
        """,
    "src/codec/__init__.py": """
        import pytest


        def decode(text):
            # What a dependency's new release does to the project's own code.
            if int(pytest.__version__.split(".")[0]) >= 8:
                raise ValueError("the format changed")
            key, _, value = text.partition("=")
            return {key: value}
        """,
    "tests/test_phase.py": """
        PHASE = "before"


        def test_phase():
            assert PHASE == "before"
        """,
    "tests/test_unrelated.py": """
        import asyncio

        import pytest

        from codec import decode


        async def test_on_the_old_pytest():
            loop = asyncio.get_event_loop()
            assert loop.is_running()
            assert pytest.__version__.startswith("7.")


        async def test_decode(event_loop):
            assert decode("a=1") == {"a": "1"}
        """,
}


@pytest.fixture
def break_phase() -> Iterator[registry.Codemod]:
    with registry.registered(BREAK_PHASE) as record:
        yield record


def write(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(textwrap.dedent(text).lstrip())
    return root


@pytest.mark.corpus
def test_unrelated_failures_are_nobodys_and_the_rest_is_rolled_back(
    tmp_path: Path, break_phase: registry.Codemod
) -> None:
    project = write(tmp_path / "project", PROJECT)
    request = VerifyRequest(
        path=project,
        codemods=registry.ordered(registry.by_name().values()),
        before=Side(None, STACKS / "legacy-requirements.txt"),
        after=Side(None, STACKS / "requirements.txt"),
        rollback=True,
    )
    report = verify(request)
    shown = "\n".join(render.report_lines(report))
    by_id = {a.nodeid: a for a in report.attributions}
    assert set(by_id) == {
        "tests/test_phase.py::test_phase",
        "tests/test_unrelated.py::test_on_the_old_pytest",
        "tests/test_unrelated.py::test_decode",
    }, shown
    # Each unrelated test passes through a real codemod's edit of its function...
    assert report.migration is not None
    edited = {c.codemod for c in report.migration.changes if c.path == "tests/test_unrelated.py"}
    assert {"get-event-loop-in-async"} <= edited, edited

    # ... yet one fails the same way with the whole migration left out: the environment.
    old = by_id["tests/test_unrelated.py::test_on_the_old_pytest"]
    assert old.culprits == {} and old.suspects == {}, shown
    assert [e.kind for e in old.evidence] == [ENVIRONMENT], shown
    assert "with the whole migration left out" in old.evidence[0].detail
    # ... and the other fails inside library code.
    decode = by_id["tests/test_unrelated.py::test_decode"]
    assert decode.culprits == {} and decode.suspects == {}, shown
    assert [e.kind for e in decode.evidence] == [LIBRARY], shown
    assert "src/codec/__init__.py:" in decode.evidence[0].detail

    phase = by_id["tests/test_phase.py::test_phase"]
    assert phase.culprits == {"break-phase": ["tests/test_phase.py"]}, shown
    assert NEW_STACK in {e.kind for e in phase.evidence}

    # The rollback acts on the attributed one and lists the others.
    rollback = report.rollback
    assert rollback is not None
    assert rollback.left_out == {"tests/test_phase.py": ["break-phase"]}, shown
    assert set(rollback.not_acted_on) == {
        "tests/test_unrelated.py::test_on_the_old_pytest",
        "tests/test_unrelated.py::test_decode",
    }
    assert rollback.still_failing == []
    assert (project / "tests/test_phase.py").read_text() == textwrap.dedent(
        PROJECT["tests/test_phase.py"]
    ).lstrip()
    migrated = (project / "tests/test_unrelated.py").read_text()
    assert "get_running_loop()" in migrated, migrated


@pytest.mark.realworld
def test_a_real_suites_library_failures_are_nobodys(tmp_path: Path) -> None:
    """aiohttp-security 0.4.0: on the modern stack its library code raises aiohttp's
    NotAppKeyWarning (made an error by the project's ``filterwarnings = error``).
    Leaving the fixture loop scope setting out stops pytest-asyncio at configure time: a
    run with no test is no re-run showing that a codemod's edits break them (its tests
    had other ids before, aiohttp's ``[pyloop]``, so nothing else said it failed)."""
    import realworld

    [entry] = [e for e in realworld.entries() if e.name == "aiohttp-security"]
    for stack in (entry.legacy, entry.modern):
        try:
            envs.resolve_python(stack.python)
        except envs.MissingInterpreterError as error:
            pytest.skip(f"{entry.name}: {error}")
    tree = realworld.unpack(realworld.download_sdist(entry, print), tmp_path / "sdist")
    request = VerifyRequest(
        path=tree,
        codemods=registry.catalogue(),
        before=Side(entry.legacy.python, realworld.requirements_file(entry.legacy)),
        after=Side(entry.modern.python, realworld.requirements_file(entry.modern)),
        pytest_args=entry.pytest_arguments(),
    )
    report = verify(request, log=print)
    shown = "\n".join(render.report_lines(report))
    assert len(report.library_failures) == 15, shown
    for attribution in report.attributions:
        assert attribution.culprits == {}, shown
        if attribution.nodeid in report.library_failures:
            assert [e.kind for e in attribution.evidence] == [LIBRARY], shown
