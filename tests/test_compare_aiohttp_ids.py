"""Comparing runs across the removal of aiohttp's own pytest plugin."""

from __future__ import annotations

from async_test_upgrade.harness.compare import compare
from async_test_upgrade.harness.runner import RunResult, TestOutcome


def run(*tests: TestOutcome) -> RunResult:
    return RunResult({t.nodeid: t for t in tests}, 0, False, 0.0, [])


def test_pyloop_parametrized_ids_pair_with_the_plain_ids_after() -> None:
    before = run(
        TestOutcome("t.py::test_a[pyloop]", "passed", coroutine=True),
        TestOutcome("t.py::test_b[pyloop-1]", "passed", coroutine=True),
        TestOutcome("t.py::test_c[pyloop]", "passed", coroutine=True),
    )
    after = run(
        TestOutcome("t.py::test_a", "passed", coroutine=True, markers=["asyncio"]),
        TestOutcome("t.py::test_b[1]", "passed", coroutine=True, markers=["asyncio"]),
        TestOutcome("t.py::test_c", "failed", coroutine=True, markers=["asyncio"]),
    )
    rows = {row.nodeid: row.category for row in compare(before, after).rows}
    # aiohttp's plugin really ran those coroutines: a failure after is a regression.
    assert rows == {
        "t.py::test_a": "unchanged",
        "t.py::test_b[1]": "unchanged",
        "t.py::test_c": "regression",
    }


def test_ids_that_still_exist_are_not_renamed() -> None:
    before = run(TestOutcome("t.py::test_a[pyloop]", "passed"))
    after = run(TestOutcome("t.py::test_a[pyloop]", "passed"))
    assert [r.nodeid for r in compare(before, after).rows] == ["t.py::test_a[pyloop]"]


def test_parameter_ids_respelled_by_a_newer_pytest_pair_in_run_order() -> None:
    # pytest 6 put a multi-line string parameter into the id as written; pytest 8+
    # falls back to the argument name and an index.
    before = run(
        TestOutcome("t.py::test_q[p0-\\n  query A\\n-s]", "passed"),
        TestOutcome("t.py::test_q[p1-\\n  query A\\n-s]", "passed"),
        TestOutcome("t.py::test_r[\\n  query B\\n]", "passed"),
        TestOutcome("t.py::test_s[x]", "passed"),
    )
    after = run(
        TestOutcome("t.py::test_q[p0-query0-s]", "passed"),
        TestOutcome("t.py::test_q[p1-query0-s]", "failed"),
        TestOutcome("t.py::test_r[query0]", "passed"),
        TestOutcome("t.py::test_r[query1]", "passed"),  # one more than before: no pairing
        TestOutcome("t.py::test_s[x]", "passed"),
    )
    rows = {row.nodeid: row.category for row in compare(before, after).rows}
    assert rows == {
        "t.py::test_q[p0-query0-s]": "unchanged",
        "t.py::test_q[p1-query0-s]": "regression",
        "t.py::test_r[\\n  query B\\n]": "regression",
        "t.py::test_r[query0]": "changed",
        "t.py::test_r[query1]": "changed",
        "t.py::test_s[x]": "unchanged",
    }
