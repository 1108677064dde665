"""A migrated suite that fails as a whole (pytest exit status 2, 3 or 4): reported with
pytest's own message and attributed like any other regression, re-running the whole
session on each variant. Real pytest runs on this interpreter's stack."""

from __future__ import annotations

import textwrap
from pathlib import Path

from async_test_upgrade.harness import render
from async_test_upgrade.harness.attribution import NEW_STACK
from async_test_upgrade.harness.runner import SESSION, session_message
from async_test_upgrade.harness.verify import Side, VerifyRequest, verify
from tests import mutants

#: default-fixture-loop-scope writes a value pytest-asyncio rejects: a usage error, exit 4.
BAD_CONFIG_VALUE = mutants.Mutation(
    "default_fixture_loop_scope.py",
    '                "function",\n                NAME,',
    '                "bogus",\n                NAME,',
)

PROJECT = {
    "pytest.ini": """
        [pytest]
        asyncio_mode = auto
        """,
    "tests/test_service.py": """
        async def test_answer():
            assert 6 * 7 == 42


        def test_sync():
            assert True
        """,
}


def write(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(textwrap.dedent(text).lstrip())
    return root


def test_a_usage_error_after_migration_is_reported_and_attributed(tmp_path: Path) -> None:
    project = write(tmp_path / "project", PROJECT)
    codemods = mutants.load(BAD_CONFIG_VALUE, tmp_path / "codemods")
    request = VerifyRequest(
        path=project,
        codemods=[c for c in codemods if c.name == "default-fixture-loop-scope"],
        before=Side(),
        after=Side(),
        rollback=True,
    )
    report = verify(request)
    shown = "\n".join(render.report_lines(report))
    assert report.after.exit_code == 4
    rows = {row.nodeid: row for row in report.comparison.regressions}
    assert set(rows) == {
        SESSION,
        "tests/test_service.py::test_answer",
        "tests/test_service.py::test_sync",
    }, shown
    message = "'bogus' is not a valid asyncio_default_fixture_loop_scope"
    assert rows[SESSION].detail.startswith(message), shown
    assert rows[SESSION].detail.endswith("(exit status 4)"), shown
    # Bisected on the whole session: the codemod, in the config file it wrote.
    by_id = {a.nodeid: a for a in report.attributions}
    session = by_id[SESSION]
    assert session.culprits == {"default-fixture-loop-scope": ["pytest.ini"]}, shown
    assert [e.kind for e in session.evidence if e.strong] == [NEW_STACK], shown
    # And rolled back: the config edit is left out of the user's tree.
    assert report.rollback is not None and report.rollback.not_acted_on == {}, shown
    assert report.rollback.left_out == {"pytest.ini": ["default-fixture-loop-scope"]}
    assert "bogus" not in (project / "pytest.ini").read_text()
    assert "caused by default-fixture-loop-scope in pytest.ini" in shown


def test_pytests_message_when_a_session_stops() -> None:
    usage = "ERROR: 'x' is not a valid asyncio_mode. Valid modes: auto, strict.\n\n"
    assert session_message(usage) == "'x' is not a valid asyncio_mode. Valid modes: auto, strict."
    internal = (
        "INTERNALERROR> Traceback (most recent call last):\n"
        'INTERNALERROR>   File "x.py", line 3, in f\n'
        "INTERNALERROR> RuntimeError: plugin broke\n"
    )
    assert session_message(internal) == "internal error: RuntimeError: plugin broke"
    conftest = (
        "ImportError while loading conftest '/p/tests/conftest.py'.\n"
        "tests/conftest.py:1: in <module>\n"
        "    import asynctest\n"
        "E   ModuleNotFoundError: No module named 'asynctest'\n"
    )
    assert session_message(conftest) == (
        "ImportError while loading conftest '/p/tests/conftest.py'. "
        "ModuleNotFoundError: No module named 'asynctest'"
    )
    interrupted = (
        "!!!!!!!!!!!!!!!!!!!! _pytest.outcomes.Exit: stop here !!!!!!!!!!!!!!!!!!!!\n"
        "============================ no tests ran in 0.01s =============================\n"
    )
    assert session_message(interrupted) == "_pytest.outcomes.Exit: stop here"
