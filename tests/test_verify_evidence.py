"""The kinds of evidence verify gives for a regression when no re-run can confirm a cause.

The project runs on the legacy stack (pytest 7.4, pytest-asyncio 0.21) before and on the
modern one (pytest 9.2, pytest-asyncio 1.5) after, with a copy of ``event-loop-sync-to-
async`` that forgets its ``await``. Its output needs pytest-asyncio 0.24, so its edits are
not tried alone on the legacy stack, and leaving it out cannot help on the modern stack,
where the legacy ``event_loop`` fixture is gone: only the traceback points at it, and
``--rollback`` refuses. A test broken by the new stack alone is said to be, with the
evidence.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from async_test_upgrade.harness import envs, render
from async_test_upgrade.harness.compare import error_kind
from async_test_upgrade.harness.runner import install_plugin, run_pytest
from async_test_upgrade.harness.verify import Side, VerifyRequest, verify
from tests import mutants

CORPUS = Path(__file__).parents[1] / "corpus"
#: pytest 7.4.4 + pytest-asyncio 0.21.2, and pytest 9.2.0 + pytest-asyncio 1.5.0: the same
#: files as a corpus project's, so the same cached virtualenvs.
STACKS = CORPUS / "asyncio-library"

FORGETS_AWAIT = mutants.Mutation(
    "_event_loop.py",
    "    return cst.Await(expression=value, lpar=lpar, rpar=rpar)",
    "    return value.with_changes(lpar=lpar, rpar=rpar)",
)

PROJECT = {
    "pytest.ini": """
        [pytest]
        asyncio_mode = auto
        """,
    "tests/test_loop.py": """
        async def answer():
            return 42


        def test_answer(event_loop):
            assert event_loop.run_until_complete(answer()) == 42


        def test_sync():
            assert answer
        """,
    "tests/test_stack.py": """
        import pytest


        def test_on_the_old_pytest():
            assert pytest.__version__.startswith("7.")
        """,
}


def write(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(textwrap.dedent(text).lstrip())
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.corpus
def test_weak_evidence_is_labelled_and_rollback_refuses(tmp_path: Path) -> None:
    project = write(tmp_path / "project", PROJECT)
    untouched = snapshot(project)
    codemods = mutants.load(FORGETS_AWAIT, tmp_path / "codemods")
    broken = [c for c in codemods if c.name == "event-loop-sync-to-async"]
    request = VerifyRequest(
        path=project,
        codemods=broken,
        before=Side(None, STACKS / "legacy-requirements.txt"),
        after=Side(None, STACKS / "requirements.txt"),
        rollback=True,
    )
    report = verify(request)
    shown = "\n".join(render.report_lines(report))
    regressions = [row.nodeid for row in report.comparison.regressions]
    assert regressions == [
        "tests/test_loop.py::test_answer",
        "tests/test_stack.py::test_on_the_old_pytest",
    ]
    answer, stack = report.attributions

    # Only the traceback points at the codemod: a suspect, labelled as weaker.
    assert answer.culprits == {}
    assert answer.suspects == {"event-loop-sync-to-async": ["tests/test_loop.py"]}
    assert [e.kind for e in answer.evidence] == ["traceback"]
    assert not answer.evidence[0].strong
    migrated = report.migration.changed_files[0].new.decode() if report.migration else ""
    line = migrated.splitlines().index("    assert answer() == 42") + 1
    assert f"a line of its traceback (tests/test_loop.py:{line})" in answer.evidence[0].detail
    assert "traceback (weaker): event-loop-sync-to-async rewrote" in shown
    # Why the legacy side could not say more.
    assert report.old_stack_skipped == {
        "event-loop-sync-to-async": "pytest-asyncio >= 0.24, has 0.21.2"
    }

    # Broken by the new stack, and said so with the evidence.
    assert stack.culprits == {} and stack.suspects == {}
    assert stack.note == "the new environment breaks it"
    [environment] = stack.evidence
    assert environment.kind == "environment"
    assert environment.detail.startswith("it fails the same way (AssertionError: ")
    assert "on the new stack with the whole migration left out" in environment.detail

    # Nothing sure to leave out: the rollback writes the whole migration and lists both
    # regressions as not acted on, with their verdicts.
    assert report.rollback is not None
    assert report.rollback.left_out == {}
    assert report.rollback.not_acted_on == {
        "tests/test_loop.py::test_answer": answer.headline(),
        "tests/test_stack.py::test_on_the_old_pytest": stack.headline(),
    }
    assert "not acted on, no edit was shown to cause them (2 test(s))" in shown
    assert report.rollback.written == ["tests/test_loop.py"]
    assert snapshot(project) != untouched


@pytest.mark.corpus
def test_a_failure_is_of_the_same_kind_on_both_stacks(tmp_path: Path) -> None:
    """An old-stack probe counts only when the test fails there the way it fails after
    migration; pytest 7 and pytest 9 say differently that no plugin ran a coroutine."""
    project = write(
        tmp_path / "project",
        {
            "pytest.ini": "[pytest]\nasyncio_mode = strict\n",
            "tests/test_kinds.py": """
                async def test_unmarked():
                    pass

                def test_attribute():
                    object().missing
                """,
        },
    )
    plugin = install_plugin(tmp_path / "plugin")
    kinds = {}
    for requirements in ("legacy-requirements.txt", "requirements.txt"):
        environment = envs.environment(None, STACKS / requirements, lambda _: None)
        run = run_pytest(project, environment, plugin, timeout=120)
        outcomes = {nodeid: test.outcome for nodeid, test in run.tests.items()}
        kinds[requirements] = {nodeid: error_kind(test) for nodeid, test in run.tests.items()}
        if requirements == "legacy-requirements.txt":
            assert outcomes["tests/test_kinds.py::test_unmarked"] == "skipped"
        else:
            assert outcomes["tests/test_kinds.py::test_unmarked"] == "failed"
    assert (
        kinds["legacy-requirements.txt"]
        == kinds["requirements.txt"]
        == {
            "tests/test_kinds.py::test_unmarked": "coroutine not run",
            "tests/test_kinds.py::test_attribute": "AttributeError",
        }
    )
