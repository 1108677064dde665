"""The verify harness on small projects, with real pytest runs of the current interpreter."""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import libcst as cst
import pytest
from click.testing import CliRunner

from async_test_upgrade import registry
from async_test_upgrade.cli import cli
from async_test_upgrade.cst import CodemodTransformer
from async_test_upgrade.harness.compare import classify, failure_line
from async_test_upgrade.harness.envs import Environment
from async_test_upgrade.harness.runner import TestOutcome, install_plugin, run_pytest

CURRENT = Environment(Path(sys.executable), "this interpreter")


def write(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip())
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def verify_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["verify", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# --- the outcome plugin -------------------------------------------------------------------

OUTCOMES_PROJECT = {
    "pytest.ini": """
        [pytest]
        asyncio_default_fixture_loop_scope = function
        """,
    "tests/test_outcomes.py": """
        import pytest

        def test_passes():
            pass

        def test_fails():
            assert 1 == 2

        @pytest.fixture
        def broken():
            raise RuntimeError("fixture broke")

        def test_errors(broken):
            pass

        def test_skips():
            pytest.skip("not today")

        @pytest.mark.xfail(reason="known")
        def test_xfails():
            assert False

        @pytest.mark.xfail(reason="known")
        def test_xpasses():
            pass

        async def helper():
            return 1

        def test_never_awaits():
            helper()

        @pytest.fixture
        def fragile_teardown():
            yield
            raise RuntimeError("teardown broke")

        def test_teardown_errors(fragile_teardown):
            pass

        @pytest.mark.asyncio
        async def test_marked_coroutine():
            assert await helper() == 1
        """,
    "tests/test_broken_module.py": """
        import module_that_does_not_exist
        """,
}


def test_every_outcome_is_collected(tmp_path: Path) -> None:
    project = write(tmp_path / "project", OUTCOMES_PROJECT)
    plugin = install_plugin(tmp_path / "plugin")
    run = run_pytest(project, CURRENT, plugin, timeout=120)
    tests = run.tests
    prefix = "tests/test_outcomes.py::"
    expected = {
        "test_passes": "passed",
        "test_fails": "failed",
        "test_errors": "error",
        "test_skips": "skipped",
        "test_xfails": "xfailed",
        "test_xpasses": "xpassed",
        "test_never_awaits": "passed",
        "test_teardown_errors": "error",
        "test_marked_coroutine": "passed",
    }
    assert {n: tests[prefix + n].outcome for n in expected} == expected
    assert "assert 1 == 2" in tests[prefix + "test_fails"].message
    assert "not today" in tests[prefix + "test_skips"].message
    never = tests[prefix + "test_never_awaits"].warnings
    assert any("RuntimeWarning" in w and "'helper' was never awaited" in w for w in never)
    marked = tests[prefix + "test_marked_coroutine"]
    assert marked.coroutine and marked.markers == ["asyncio"]
    broken = tests["tests/test_broken_module.py"]
    assert broken.collect_error and broken.outcome == "error"
    assert "module_that_does_not_exist" in broken.message
    assert run.finished and not run.timed_out and run.pytest_version


def test_selection_keeps_only_the_named_tests(tmp_path: Path) -> None:
    project = write(tmp_path / "project", OUTCOMES_PROJECT)
    plugin = install_plugin(tmp_path / "plugin")
    wanted = {"tests/test_outcomes.py::test_fails", "tests/test_outcomes.py::test_skips"}
    run = run_pytest(project, CURRENT, plugin, timeout=120, select=wanted)
    assert {n for n, t in run.tests.items() if not t.collect_error} == wanted


def test_a_hanging_suite_is_killed_with_its_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    project = write(
        tmp_path / "project",
        {
            "test_hang.py": f"""
                import subprocess, sys, time

                def test_quick():
                    pass

                def test_hangs():
                    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
                    open({str(pid_file)!r}, "w").write(str(child.pid))
                    time.sleep(600)
                """
        },
    )
    plugin = install_plugin(tmp_path / "plugin")
    started = time.monotonic()
    run = run_pytest(project, CURRENT, plugin, timeout=10)
    assert time.monotonic() - started < 60
    assert run.timed_out and run.exit_code is None
    assert run.hung_in == "test_hang.py::test_hangs"
    assert run.tests["test_hang.py::test_quick"].outcome == "passed"
    assert run.tests["test_hang.py::test_hangs"].outcome == "error"
    child = int(pid_file.read_text())
    assert _gone(child), "the suite's own child process survived the kill"


def _gone(pid: int) -> bool:
    for _ in range(50):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            return True
        if "State:\tZ" in status:  # killed, waiting for its new parent to reap it
            return True
        time.sleep(0.1)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


# --- comparison categories -----------------------------------------------------------------


def outcome(kind: str, **extra: object) -> TestOutcome:
    return TestOutcome("t", kind, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("before", "after", "category"),
    [
        (outcome("passed"), outcome("passed"), "unchanged"),
        (outcome("passed"), outcome("failed"), "regression"),
        (outcome("passed"), outcome("error"), "regression"),
        (outcome("passed"), outcome("skipped"), "regression"),
        (outcome("passed"), None, "regression"),
        (outcome("failed"), outcome("passed"), "fixed"),
        (outcome("error", collect_error=True), None, "fixed"),
        (
            outcome("passed", warnings=["RuntimeWarning: coroutine 'f' was never awaited"]),
            outcome("passed", coroutine=True, markers=["asyncio"]),
            "newly running",
        ),
        (
            outcome("skipped", warnings=["PytestUnhandledCoroutineWarning: async def ..."]),
            outcome("failed", coroutine=True, markers=["asyncio"]),
            "newly running",
        ),
        (
            outcome("passed", coroutine=True),
            outcome("passed", coroutine=True, markers=["asyncio"]),
            "newly running",
        ),
        (
            outcome("skipped", warnings=["PytestUnhandledCoroutineWarning: async def ..."]),
            outcome("failed", message="async def functions are not natively supported."),
            "changed",
        ),
        (None, outcome("passed"), "changed"),
        (None, outcome("error", collect_error=True), "regression"),
        (outcome("skipped"), outcome("skipped"), "unchanged"),
    ],
)
def test_categories(before: TestOutcome | None, after: TestOutcome | None, category: str) -> None:
    assert classify("t", before, after).category == category


FAILURES_PROJECT = {
    "pytest.ini": """
        [pytest]
        asyncio_mode = strict
        asyncio_default_fixture_loop_scope = function
        """,
    "tests/test_failures.py": """
        async def test_unmarked_coroutine():
            pass

        def test_compares():
            assert [1, 2] == [1, 3]

        def test_wants_a_missing_fixture(nowhere):
            pass

        def test_raises():
            raise ValueError("boom")

        def down(depth):
            if depth == 0:
                raise KeyError("bottom")
            down(depth - 1)

        def test_deep():
            down(100)
        """,
}


def test_the_result_column_shows_the_line_that_names_the_error(tmp_path: Path) -> None:
    project = write(tmp_path / "project", FAILURES_PROJECT)
    plugin = install_plugin(tmp_path / "plugin")
    prefix = "tests/test_failures.py::"
    run = run_pytest(project, CURRENT, plugin, timeout=120)
    shown = {nodeid.removeprefix(prefix): failure_line(test) for nodeid, test in run.tests.items()}
    assert shown == {
        # pytest's own message, whose last line is the end of its list of plugins.
        "test_unmarked_coroutine": "async def functions are not natively supported.",
        "test_compares": "assert [1, 2] == [1, 3]",
        "test_wants_a_missing_fixture": "fixture 'nowhere' not found",
        "test_raises": "ValueError: boom",
        "test_deep": "KeyError: 'bottom'",
    }
    # A plain Python traceback (--tb=native): the exception, not the code above it.
    native = run_pytest(project, CURRENT, plugin, ["--tb=native"], timeout=120)
    assert failure_line(native.tests[prefix + "test_raises"]) == "ValueError: boom"
    assert failure_line(native.tests[prefix + "test_compares"]).startswith("AssertionError")
    # One too long to keep whole arrives cut at the front, without its "Traceback" header.
    deep = native.tests[prefix + "test_deep"]
    assert deep.message.startswith("...") and "Traceback (most recent" not in deep.message
    assert failure_line(deep) == "KeyError: 'bottom'"


class FlipPhase(CodemodTransformer):
    """Test-only: rewrites ``PHASE = "before"`` to ``PHASE = "after"``, so a project's
    tests can behave differently after migration in whatever way a test needs."""

    codemod_name: ClassVar[str] = "flip-phase"

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        target = updated.targets[0].target
        if (
            isinstance(target, cst.Name)
            and target.value == "PHASE"
            and isinstance(updated.value, cst.SimpleString)
            and updated.value.value == '"before"'
        ):
            self.changed(original, "PHASE before -> after")
            return updated.with_changes(value=cst.SimpleString('"after"'))
        return updated


FLIP_PHASE = registry.Codemod(
    name="flip-phase",
    summary="test only",
    safety="review",
    doc="test only",
    triggers=(b"PHASE",),
    transformer=FlipPhase,
)


@pytest.fixture
def flip_phase() -> Iterator[registry.Codemod]:
    with registry.registered(FLIP_PHASE) as record:
        yield record


PHASE_PROJECT = {
    "pytest.ini": """
        [pytest]
        asyncio_mode = strict
        asyncio_default_fixture_loop_scope = function
        """,
    "tests/test_phases.py": """
        import pytest

        PHASE = "before"

        def test_same():
            assert True

        def test_regresses():
            assert PHASE == "before"

        def test_gets_fixed():
            assert PHASE == "after"

        @pytest.mark.skipif(PHASE == "before", reason="only after")
        def test_changes():
            assert False
        """,
    "tests/test_newly.py": """
        import pytest

        PHASE = "before"
        pytestmark = [pytest.mark.asyncio] if PHASE == "after" else []

        async def test_starts_running():
            assert True
        """,
}


def test_verify_reports_each_category_and_exits_1_on_regression(
    tmp_path: Path, flip_phase: registry.Codemod
) -> None:
    project = write(tmp_path / "project", PHASE_PROJECT)
    report_file = tmp_path / "report.json"
    code, out, _ = verify_cli(
        str(project), "--select", "flip-phase", "--report", str(report_file), "--no-attribution"
    )
    assert code == 1
    report = json.loads(report_file.read_text())
    categories = {row["nodeid"]: row["category"] for row in report["comparison"]}
    assert categories == {
        "tests/test_phases.py::test_same": "unchanged",
        "tests/test_phases.py::test_regresses": "regression",
        "tests/test_phases.py::test_gets_fixed": "fixed",
        "tests/test_phases.py::test_changes": "changed",
        "tests/test_newly.py::test_starts_running": "newly running",
    }
    assert report["counts"] == {
        "regression": 1,
        "fixed": 1,
        "newly running": 1,
        "changed": 1,
        "unchanged": 1,
    }
    assert "tests/test_phases.py::test_regresses" in out and "REGRESSION" in out
    assert "NEWLY RUNNING" in out
    assert "summary: 1 regression, 1 fixed, 1 newly running, 1 changed, 1 unchanged" in out


# --- the user's tree and bad input ---------------------------------------------------------


def test_verify_never_writes_the_users_tree(tmp_path: Path, flip_phase: registry.Codemod) -> None:
    project = write(
        tmp_path / "project",
        {
            **PHASE_PROJECT,
            # Checks from inside the copy that version control and virtualenvs stayed out.
            "tests/test_copy.py": """
                from pathlib import Path

                ROOT = Path(__file__).resolve().parents[1]

                def test_copy_has_no_git_or_virtualenv():
                    assert not (ROOT / ".git").exists()
                    assert not (ROOT / "env").exists()
                    assert (ROOT / "pytest.ini").exists()
                """,
            ".git/HEAD": "ref: refs/heads/main\n",
            "env/pyvenv.cfg": "home = /usr/bin\n",
        },
    )
    before = snapshot(project)
    code, out, _ = verify_cli(str(project), "--select", "flip-phase", "--no-attribution")
    assert code == 1  # the regression of test_regresses
    assert "tests/test_copy.py::test_copy_has_no_git_or_virtualenv  passed    passed" in out
    assert snapshot(project) == before


def test_no_tests_is_bad_input(tmp_path: Path) -> None:
    project = write(tmp_path / "project", {"src/pkg/__init__.py": "VALUE = 1\n"})
    code, _, err = verify_cli(str(project))
    assert code == 2
    assert "no tests" in err and "collected no tests" in err


def test_missing_path_and_bad_requirements_are_bad_input(tmp_path: Path) -> None:
    code, _, err = verify_cli(str(tmp_path / "nowhere"))
    assert code == 2 and "does not exist" in err
    project = write(tmp_path / "project", {"test_x.py": "def test_x():\n    pass\n"})
    code, _, err = verify_cli(str(project), "--before-requirements", str(tmp_path / "no.txt"))
    assert code == 2 and "requirements file not found" in err


def test_pytest_args_pass_through(tmp_path: Path) -> None:
    project = write(
        tmp_path / "project",
        {"test_x.py": "def test_kept():\n    pass\n\ndef test_dropped():\n    pass\n"},
    )
    report_file = tmp_path / "report.json"
    code, _, _ = verify_cli(str(project), "--pytest-args", "-k kept", "--report", str(report_file))
    assert code == 0
    report = json.loads(report_file.read_text())
    assert [row["nodeid"] for row in report["comparison"]] == ["test_x.py::test_kept"]


def test_the_project_is_importable_from_root_and_src(tmp_path: Path) -> None:
    project = write(
        tmp_path / "project",
        {
            "src/inventory/__init__.py": "STOCK = 3\n",
            "helpers.py": "def double(x):\n    return 2 * x\n",
            "tests/test_imports.py": """
                from helpers import double
                from inventory import STOCK

                def test_imports():
                    assert double(STOCK) == 6
                """,
        },
    )
    code, out, _ = verify_cli(str(project))
    assert code == 0, out
    assert "tests/test_imports.py::test_imports  passed    passed    unchanged" in out


def test_a_suite_that_hangs_after_migration_is_reported_not_waited_on(
    tmp_path: Path, flip_phase: registry.Codemod
) -> None:
    project = write(
        tmp_path / "project",
        {
            "test_slow.py": """
                import time

                PHASE = "before"

                def test_first():
                    pass

                def test_hangs_after():
                    if PHASE == "after":
                        time.sleep(600)
                """
        },
    )
    started = time.monotonic()
    code, out, _ = verify_cli(
        str(project), "--select", "flip-phase", "--timeout", "10", "--no-attribution"
    )
    assert time.monotonic() - started < 120
    assert code == 1
    assert "TIMED OUT in test_slow.py::test_hangs_after" in out
    assert "test_slow.py::test_hangs_after  passed    error     REGRESSION" in out


def test_a_home_made_runner_makes_unmarked_coroutine_tests_count_as_run(tmp_path: Path) -> None:
    # A conftest that runs coroutine tests itself (as aiohttp's old plugin did): an
    # unmarked async test that passed there really ran, and failing after is a regression.
    project = tmp_path / "project"
    project.mkdir()
    (project / "conftest.py").write_text(
        textwrap.dedent(
            """\
            import asyncio
            import inspect

            import pytest


            @pytest.hookimpl(tryfirst=True)
            def pytest_pyfunc_call(pyfuncitem):
                if inspect.iscoroutinefunction(pyfuncitem.obj):
                    asyncio.run(pyfuncitem.obj())
                    return True
                return None
            """
        )
    )
    (project / "test_it.py").write_text("async def test_runs():\n    assert True\n")
    plugin = install_plugin(tmp_path / "plugin")
    before = run_pytest(project, CURRENT, plugin, timeout=120)
    assert before.tests["test_it.py::test_runs"].outcome == "passed"
    assert any("conftest" in name for name in before.coroutine_runners), before.coroutine_runners
    failing = TestOutcome("test_it.py::test_runs", "failed", coroutine=True, markers=["asyncio"])
    row = classify(
        "test_it.py::test_runs",
        before.tests["test_it.py::test_runs"],
        failing,
        before.coroutine_runners,
    )
    assert row.category == "regression"
    # Without a runner, the same unmarked test looks as if it never ran, but only from its
    # code: failing after is still a regression, with the hint; passing after, it is
    # newly running.
    unmarked = before.tests["test_it.py::test_runs"]
    row = classify("test_it.py::test_runs", unmarked, failing)
    assert row.category == "regression"
    assert row.detail.endswith("it may not have run: async test without an asyncio/anyio/trio mark")
    passing = TestOutcome("test_it.py::test_runs", "passed", coroutine=True, markers=["asyncio"])
    assert classify("test_it.py::test_runs", unmarked, passing).category == "newly running"


# --- coroutines that never ran -------------------------------------------------------------

UNITTEST_PROJECT = {
    # The warnings that would tell (never awaited, a value returned from a test) are
    # silenced, as many suites do: what the plugin sees of the run must be enough.
    "pytest.ini": """
        [pytest]
        filterwarnings =
            ignore::RuntimeWarning
            ignore::DeprecationWarning
        """,
    "tests/test_repository.py": """
        import unittest


        class Repository:
            async def get(self, key):
                return {"a": 1}[key]


        class TestRepository(unittest.TestCase):
            async def test_get(self):
                self.assertEqual(await Repository().get("a"), 1)

            async def test_get_missing(self):
                self.assertEqual(await Repository().get("b"), None)

            def test_sync(self):
                self.assertTrue(Repository())


        class TestSelfDriven(unittest.TestCase):
            # Drives its coroutines itself: they run, before and after.
            def _callTestMethod(self, method):
                import asyncio

                asyncio.run(method())

            async def test_runs(self):
                self.assertEqual(await Repository().get("a"), 1)
        """,
}


def test_the_plugin_sees_unittest_coroutines_that_never_ran(tmp_path: Path) -> None:
    project = write(tmp_path / "project", UNITTEST_PROJECT)
    run = run_pytest(project, CURRENT, install_plugin(tmp_path / "plugin"), timeout=120)
    prefix = "tests/test_repository.py::"
    get = run.tests[prefix + "TestRepository::test_get"]
    assert get.outcome == "passed" and not get.warnings
    assert get.unittest_coroutine and get.never_awaited == ["TestRepository.test_get"]
    sync = run.tests[prefix + "TestRepository::test_sync"]
    assert not sync.unittest_coroutine and sync.never_awaited == []
    driven = run.tests[prefix + "TestSelfDriven::test_runs"]
    assert driven.outcome == "passed"
    assert not driven.unittest_coroutine and driven.never_awaited == []


def test_unittest_coroutines_start_running_when_migrated(tmp_path: Path) -> None:
    """Plain TestCase async methods "pass" without running; converted to
    IsolatedAsyncioTestCase they run, and one of them fails: newly running, not a
    regression, because the run before showed that their coroutines never started."""
    project = write(tmp_path / "project", UNITTEST_PROJECT)
    report_file = tmp_path / "report.json"
    code, out, _ = verify_cli(
        str(project), "--select", "unittest-async-to-isolated", "--report", str(report_file)
    )
    report = json.loads(report_file.read_text())
    rows = {row["nodeid"].rpartition("::")[2]: row for row in report["comparison"]}
    assert {name: row["category"] for name, row in rows.items()} == {
        "test_get": "newly running",
        "test_get_missing": "newly running",
        "test_sync": "unchanged",
        "test_runs": "unchanged",
    }, out
    assert rows["test_get_missing"]["after"] == "failed"
    assert rows["test_get"]["detail"] == "before: its coroutine was created and never awaited"
    assert code == 0, out


def test_a_static_guess_never_turns_a_passing_test_that_fails_into_newly_running() -> None:
    """An unmarked coroutine test, or an async unittest method, that passed before may
    have been run by some plugin: failing after is a regression, with the hint."""
    unmarked = TestOutcome("t.py::test_x", "passed", coroutine=True)
    unittest_method = TestOutcome("t.py::C::test_x", "passed", unittest_coroutine=True)
    fails = TestOutcome("t.py::test_x", "failed", "E   KeyError: 'b'", markers=["asyncio"])
    for before in (unmarked, unittest_method):
        row = classify(before.nodeid, before, fails)
        assert row.category == "regression"
        assert row.detail.startswith("KeyError: 'b'; before, it may not have run: ")
        # Passing after, it is newly running.
        passes = TestOutcome(before.nodeid, "passed", coroutine=True, markers=["asyncio"])
        assert classify(before.nodeid, before, passes).category == "newly running"
    # The run itself showed the coroutine never started: newly running whatever after.
    unawaited = TestOutcome("t.py::C::test_x", "passed", never_awaited=["C.test_x"])
    assert classify("t.py::C::test_x", unawaited, fails).category == "newly running"
    # Another coroutine left unawaited proves nothing about the test's own.
    helper = TestOutcome("t.py::C::test_x", "passed", never_awaited=["helper"])
    assert classify("t.py::C::test_x", helper, fails).category == "regression"
