"""A bridge stack: the old-stack probe on the legacy requirements and a newer interpreter.

The project is an asynctest suite of the Python 3.7 era: legacy side pytest 6.2 +
pytest-asyncio 0.16 + asynctest on Python 3.7, modern side pytest 9.2 + pytest-asyncio
1.5. A copy of ``asynctest-to-stdlib`` renames ``setUp`` to ``asyncSetup`` (a typo
``IsolatedAsyncioTestCase`` never calls). Leaving the codemod out cannot help on the
modern stack (asynctest is not there), and its output needs Python 3.8, so the Python 3.7
old stack cannot run it: the same legacy requirements on Python 3.8 can, and show it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from async_test_upgrade.harness import envs, render
from async_test_upgrade.harness.attribution import BRIDGE_STACK
from async_test_upgrade.harness.verify import Side, VerifyRequest, verify
from tests import mutants

CORPUS = Path(__file__).parents[1] / "corpus"
#: pytest 9.2.0 + pytest-asyncio 1.5.0, as a corpus project's (the same cached virtualenv).
MODERN = CORPUS / "asyncio-library" / "requirements.txt"
LEGACY_PYTHON = "3.7"
LEGACY = "pytest==6.2.5\npytest-asyncio==0.16.0\nasynctest==0.13.0\n"

WRONG_HOOK_NAME = mutants.Mutation(
    "asynctest_to_stdlib.py",
    'HOOK_RENAMES = {"setUp": "asyncSetUp", "tearDown": "asyncTearDown"}',
    'HOOK_RENAMES = {"setUp": "asyncSetup", "tearDown": "asyncTearDown"}',
)

PROJECT = {
    "tests/test_store.py": """
        import asyncio

        import asynctest


        class Store:
            def __init__(self):
                self.items = {}

            async def put(self, key, value):
                await asyncio.sleep(0)
                self.items[key] = value

            async def get(self, key):
                await asyncio.sleep(0)
                return self.items[key]


        class TestStore(asynctest.TestCase):
            async def setUp(self):
                self.store = Store()
                await self.store.put("a", 1)

            async def test_get(self):
                self.assertEqual(await self.store.get("a"), 1)

            async def test_put(self):
                await self.store.put("b", 2)
                self.assertEqual(self.store.items, {"a": 1, "b": 2})
        """,
}
REGRESSED = ["tests/test_store.py::TestStore::test_get", "tests/test_store.py::TestStore::test_put"]


def write(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(textwrap.dedent(text).lstrip())
    return root


def request_for(project: Path, tmp_path: Path, legacy: str) -> VerifyRequest:
    for version in (LEGACY_PYTHON, "3.8"):
        try:
            envs.resolve_python(version)
        except envs.MissingInterpreterError as error:
            pytest.skip(str(error))
    (project / "legacy-requirements.txt").write_text(legacy)
    codemods = mutants.load(WRONG_HOOK_NAME, tmp_path / "codemods")
    return VerifyRequest(
        path=project,
        codemods=codemods,
        before=Side(LEGACY_PYTHON, project / "legacy-requirements.txt"),
        after=Side(None, MODERN),
        rollback=True,
    )


@pytest.mark.corpus
def test_an_edit_the_old_stack_cannot_run_is_blamed_on_a_bridge_stack(tmp_path: Path) -> None:
    project = write(tmp_path / "project", PROJECT)
    report = verify(request_for(project, tmp_path, LEGACY))
    shown = "\n".join(render.report_lines(report))

    assert [row.nodeid for row in report.comparison.regressions] == REGRESSED, shown
    for attribution in report.attributions:
        assert attribution.culprits == {"asynctest-to-stdlib": ["tests/test_store.py"]}, shown
        [bridge] = [e for e in attribution.evidence if e.kind == BRIDGE_STACK]
        assert bridge.strong
        assert "on a bridge stack (the legacy requirements on Python 3.8)" in bridge.detail
        assert "AttributeError" in bridge.detail, bridge.detail
        assert "Python 3.7" in bridge.detail
    # Which probes ran where, and why: the codemod went to the bridge, not skipped.
    assert "asynctest-to-stdlib" not in report.old_stack_skipped
    bridged = report.bridged["asynctest-to-stdlib"]
    assert bridged.startswith("the legacy requirements on Python 3.8 (pytest 6.2.5, ")
    assert "since its output needs Python >= 3.8 and the old stack has Python 3.7." in bridged
    assert f"tried alone on a bridge stack: asynctest-to-stdlib, on {bridged}" in shown

    # Blamed on a re-run, so rolled back: the file keeps asynctest, which the modern
    # stack lacks, and the report says the tests still fail there.
    assert report.rollback is not None
    assert report.rollback.left_out == {"tests/test_store.py": ["asynctest-to-stdlib"]}
    assert report.rollback.not_acted_on == {}
    assert report.rollback.still_failing == REGRESSED
    assert (project / "tests/test_store.py").read_text() == textwrap.dedent(
        PROJECT["tests/test_store.py"]
    ).lstrip()


@pytest.mark.corpus
def test_legacy_requirements_that_do_not_install_on_a_newer_python_are_said_to(
    tmp_path: Path,
) -> None:
    project = write(tmp_path / "project", PROJECT)
    # A requirement only the newer interpreters need, and which cannot be installed.
    legacy = LEGACY + 'pytest-asyncio==0.17.0 ; python_version >= "3.8"\n'
    report = verify(request_for(project, tmp_path, legacy))
    shown = "\n".join(render.report_lines(report))

    assert [row.nodeid for row in report.comparison.regressions] == REGRESSED, shown
    why = report.old_stack_skipped["asynctest-to-stdlib"]
    assert why.startswith("Python >= 3.8, has 3.7."), why
    # One message for the interpreters tried (the oldest first) that said the same.
    said = "; no bridge stack: legacy-requirements.txt does not install on Python 3.8"
    assert said in why, why
    assert why.endswith("we can conclude that your requirements are unsatisfiable."), why
    assert report.bridged == {}
    for attribution in report.attributions:
        assert attribution.culprits == {}, shown
    assert f"not tried alone on the old stack: asynctest-to-stdlib (its output needs {why})" in (
        shown
    )
