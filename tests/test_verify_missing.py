"""Missing-edit evidence: pytest's own error names what a codemod exists to rewrite.

Legacy side: pytest 6.2 + pytest-asyncio 0.16 on Python 3.10, which ran bare async
fixtures; new side: this interpreter's pytest 9 + pytest-asyncio 1.5 in strict mode. A
copy of ``strict-markers`` that no longer turns ``@pytest.fixture`` on an async fixture
into ``@pytest_asyncio.fixture``: the legacy code fails on the new stack the same way,
and no codemod left out or alone changes anything, yet pytest says
``requested an async fixture 'db', with no plugin or hook that handled it``, and that
names the codemod and the place.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from async_test_upgrade.harness import envs, render
from async_test_upgrade.harness.attribution import MISSING_EDIT
from async_test_upgrade.harness.missing import missing_edits
from async_test_upgrade.harness.runner import TestOutcome
from async_test_upgrade.harness.verify import Side, VerifyRequest, verify
from async_test_upgrade.model import Options
from tests import mutants

LEGACY_PYTHON = "3.10"

NO_FIXTURE_DECORATOR = mutants.Mutation(
    "strict_markers.py",
    '        if not self.is_name(target, "pytest.fixture"):\n'
    "            return updated  # already pytest_asyncio.fixture",
    "        if True:\n            return updated  # already pytest_asyncio.fixture",
)

PROJECT = {
    "tests/conftest.py": """
        import pytest


        @pytest.fixture
        async def db():
            return {"a": 1}
        """,
    "tests/test_db.py": """
        import pytest


        @pytest.mark.asyncio
        async def test_get(db):
            assert db["a"] == 1


        def test_sync():
            assert True
        """,
}


def write(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(textwrap.dedent(text).lstrip())
    return root


@pytest.mark.corpus
def test_a_missing_fixture_decorator_names_the_codemod_and_the_place(tmp_path: Path) -> None:
    try:
        envs.resolve_python(LEGACY_PYTHON)
    except envs.MissingInterpreterError:
        pytest.skip(f"Python {LEGACY_PYTHON} is not installed here (pyenv or PATH)")
    project = write(tmp_path / "project", PROJECT)
    legacy = tmp_path / "legacy-requirements.txt"
    legacy.write_text("pytest==6.2.5\npytest-asyncio==0.16.0\n")
    codemods = mutants.load(NO_FIXTURE_DECORATOR, tmp_path / "codemods")
    request = VerifyRequest(
        path=project,
        codemods=codemods,
        options=Options(asyncio_mode="strict"),
        before=Side(LEGACY_PYTHON, legacy),
        after=Side(),
        rollback=True,
    )
    report = verify(request)
    shown = "\n".join(render.report_lines(report))
    assert [row.nodeid for row in report.comparison.regressions] == [
        "tests/test_db.py::test_get"
    ], shown
    [attribution] = report.attributions
    assert attribution.culprits == {}, shown
    assert attribution.missing == {"strict-markers": ["tests/conftest.py:4"]}, shown
    assert [e.kind for e in attribution.evidence] == [MISSING_EDIT], shown
    assert "async fixture 'db', which no plugin handled" in attribution.evidence[0].detail
    assert "missing edit of strict-markers at tests/conftest.py:4" in shown
    assert report.rollback is not None
    assert report.rollback.missing_edits == {"tests/test_db.py::test_get": attribution.headline()}
    assert report.rollback.not_acted_on == {}


def test_each_kind_of_missing_edit(tmp_path: Path) -> None:
    """Read from pytest's messages and the migrated files; only selected codemods."""
    files = {
        "tests/conftest.py": b"import pytest\n\n@pytest.fixture\nasync def db():\n    return 1\n",
        "tests/test_x.py": b"async def test_a(db, event_loop):\n    pass\n",
    }

    def read(relpath: str) -> bytes | None:
        return files.get(relpath)

    everything = {"strict-markers", "strict-to-auto", "event-loop-arg-to-running-loop"}
    nodeid = "tests/test_x.py::test_a"
    fixture = TestOutcome(
        nodeid,
        "error",
        "E   pytest.PytestRemovedIn9Warning: 'test_a' requested an async fixture 'db', "
        "with no plugin or hook that handled it.",
    )
    [edit] = missing_edits(fixture, read, everything)
    assert (edit.codemod, edit.place) == ("strict-markers", "tests/conftest.py:3")
    [edit] = missing_edits(fixture, read, {"strict-to-auto"})
    assert edit.codemod == "strict-to-auto"
    assert missing_edits(fixture, read, {"mock-to-asyncmock"}) == []

    gone = TestOutcome(nodeid, "error", "E       fixture 'event_loop' not found")
    [edit] = missing_edits(gone, read, everything)
    assert (edit.codemod, edit.place) == ("event-loop-arg-to-running-loop", "tests/test_x.py:1")
    # A fixture the project simply lacks is nobody's missing edit.
    lacking = TestOutcome(nodeid, "error", "E       fixture 'nowhere' not found")
    assert missing_edits(lacking, read, everything) == []

    unmarked = TestOutcome(nodeid, "failed", "async def functions are not natively supported.")
    [edit] = missing_edits(unmarked, read, everything)
    assert (edit.codemod, edit.place) == ("strict-markers", "tests/test_x.py:1")
