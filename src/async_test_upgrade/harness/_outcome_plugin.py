"""Records every test's outcome as JSON lines; loaded into the suite under test by ``-p``.

This file is copied into a temporary directory on PYTHONPATH and imported by the pytest
of the environment under test, which may be pytest 3.6 to 9.x on Python 3.6 or later,
without this tool installed. So it imports nothing but the standard library and pytest,
and uses only hooks that exist across those versions.

One JSON object per line is appended (and flushed) to the file named by
``ASYNC_TEST_UPGRADE_OUTCOMES`` as the run goes, so a run killed on timeout still leaves
what it finished, and the test it was in. When ``ASYNC_TEST_UPGRADE_SELECT`` names a file of
node ids, only those tests are kept (the harness re-runs failing tests this way without
putting thousands of ids on a command line, and without changing the rootdir).

Whether a test's coroutine really ran is observed, not guessed, where Python allows it
(3.7+): CPython reports a coroutine finalized without ever having started through
``warnings._warn_unawaited_coroutine``, whatever the warning filters say; the plugin wraps
that function for the run and records the coroutine's name with the test that was
running.
"""

import inspect
import json
import os
from typing import Any

import pytest

OUTPUT_ENV = "ASYNC_TEST_UPGRADE_OUTCOMES"
SELECT_ENV = "ASYNC_TEST_UPGRADE_SELECT"
ASYNC_MARKERS = ("asyncio", "anyio", "trio")
_LONGREPR_LIMIT = 4000
_PYTEST_VERSION = tuple(
    int(part) if part.isdigit() else 0 for part in pytest.__version__.split(".")[:2]
)


class _Recorder:
    def __init__(self, path: str) -> None:
        self.handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the run

    def emit(self, **event: Any) -> None:
        self.handle.write(json.dumps(event, default=str) + "\n")
        self.handle.flush()


_RECORDER: "_Recorder | None" = None  # a string: never evaluated, so Python 3.6+ loads it
#: The test being run (between its logstart and logfinish), for coroutines finalized then.
_RUNNING = {"nodeid": ""}
#: What ``warnings._warn_unawaited_coroutine`` was before the run wrapped it.
_UNAWAITED_HOOK = {"original": None}


def _emit(**event: Any) -> None:
    if _RECORDER is not None:
        _RECORDER.emit(**event)


def _text(longrepr: Any) -> str:
    if longrepr is None:
        return ""
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # a skip: (path, line, reason)
        return str(longrepr[2])
    text = str(longrepr)
    return text if len(text) <= _LONGREPR_LIMIT else "..." + text[-_LONGREPR_LIMIT:]


def pytest_configure(config: Any) -> None:
    global _RECORDER
    path = os.environ.get(OUTPUT_ENV)
    if path and _RECORDER is None:
        _RECORDER = _Recorder(path)
        _emit(event="session", pytest=pytest.__version__)
        _watch_unawaited_coroutines()


def _watch_unawaited_coroutines() -> None:
    import warnings

    original = getattr(warnings, "_warn_unawaited_coroutine", None)
    if original is None or _UNAWAITED_HOOK["original"] is not None:
        return  # Python 3.6: only the warning, when the filters let it through

    def warn_unawaited_coroutine(coro: Any) -> None:
        try:
            name = getattr(coro, "__qualname__", "") or getattr(coro, "__name__", "")
            _emit(event="unawaited", nodeid=_RUNNING["nodeid"], coroutine=str(name))
        except Exception:  # called from a finalizer: never raise from here
            pass
        original(coro)

    _UNAWAITED_HOOK["original"] = original
    warnings._warn_unawaited_coroutine = warn_unawaited_coroutine  # type: ignore[attr-defined]


def pytest_collection_modifyitems(session: Any, config: Any, items: Any) -> None:
    select_file = os.environ.get(SELECT_ENV)
    if not select_file:
        return
    with open(select_file, encoding="utf-8") as handle:
        wanted = {line.rstrip("\n") for line in handle if line.strip()}
    kept = [item for item in items if item.nodeid in wanted]
    dropped = [item for item in items if item.nodeid not in wanted]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _is_async(function: Any) -> bool:
    return inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)


def _is_coroutine_test(item: Any) -> bool:
    """A test function pytest hands to its plugins to run (a mark decides which one)."""
    if type(item).__name__ == "TestCaseFunction":
        return False
    return _is_async(getattr(item, "obj", None))


#: What a ``unittest.TestCase`` subclass overrides when it awaits its async test methods
#: itself: ``IsolatedAsyncioTestCase`` (``_callTestMethod``), asynctest (``run``,
#: ``_run_test_method``), aiohttp's and tornado's test cases, twisted's trial.
_RUNS_ITS_COROUTINES = (
    "run",
    "__call__",
    "debug",
    "_callTestMethod",
    "_callMaybeAsync",
    "_run_test_method",
)


def _is_unawaited_unittest_coroutine(item: Any) -> bool:
    """An async test method of a plain ``unittest.TestCase``: unittest calls it and drops
    the coroutine it returns, so it "passes" without running a line."""
    if type(item).__name__ != "TestCaseFunction" or not _is_async(getattr(item, "obj", None)):
        return False
    for klass in getattr(getattr(item, "cls", None), "__mro__", ()):
        if klass.__module__ in ("unittest.case", "builtins"):
            continue
        if any(name in vars(klass) for name in _RUNS_ITS_COROUTINES):
            return False
    return True


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: Any) -> None:
    # By setup every plugin has added its marks (auto mode marks items during collection).
    closest = getattr(item, "get_closest_marker", None) or item.get_marker  # pytest < 3.6
    markers = [name for name in ASYNC_MARKERS if closest(name) is not None]
    _emit(
        event="item",
        nodeid=item.nodeid,
        coroutine=_is_coroutine_test(item),
        markers=markers,
        unittest_coroutine=_is_unawaited_unittest_coroutine(item),
    )


def pytest_runtest_logstart(nodeid: str, location: Any) -> None:
    _RUNNING["nodeid"] = nodeid
    _emit(event="start", nodeid=nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_runtest_logfinish(nodeid: str, location: Any) -> None:
    _RUNNING["nodeid"] = ""


def pytest_runtest_logreport(report: Any) -> None:
    _emit(
        event="report",
        nodeid=report.nodeid,
        when=report.when,
        outcome=report.outcome,
        wasxfail=hasattr(report, "wasxfail"),
        longrepr=_text(report.longrepr) if report.outcome != "passed" else "",
        duration=getattr(report, "duration", 0.0),
    )


def pytest_collectreport(report: Any) -> None:
    if report.failed:
        _emit(event="collect_error", nodeid=report.nodeid, longrepr=_text(report.longrepr))


def _warning(warning_message: Any, when: str, nodeid: str) -> None:
    _emit(
        event="warning",
        nodeid=nodeid,
        when=when,
        category=getattr(warning_message.category, "__name__", str(warning_message.category)),
        message=str(warning_message.message)[:_LONGREPR_LIMIT],
    )


# pytest 6 renamed the warning hook; implementing the old name there is deprecated (an
# error under ``filterwarnings = error``), so each pytest gets the one it knows.
if _PYTEST_VERSION >= (6, 0):

    @pytest.hookimpl(optionalhook=True)
    def pytest_warning_recorded(
        warning_message: Any, when: str, nodeid: str, location: Any
    ) -> None:
        _warning(warning_message, when, nodeid)

else:

    @pytest.hookimpl(optionalhook=True)
    def pytest_warning_captured(warning_message: Any, when: str, item: Any) -> None:
        _warning(warning_message, when, getattr(item, "nodeid", "") if item else "")


#: Plugins whose pytest_pyfunc_call only runs coroutine tests that carry their mark.
_MARK_DRIVEN = ("python", "asyncio", "pytest_asyncio", "anyio", "trio", "pytest_trio")


def pytest_collection_finish(session: Any) -> None:
    # Who else runs test functions: aiohttp's old plugin and home-made conftest runners
    # run every coroutine test, marked or not.
    hook = getattr(session.config.pluginmanager.hook, "pytest_pyfunc_call", None)
    getter = getattr(hook, "get_hookimpls", None)
    if getter is None:
        return
    names = [str(getattr(impl, "plugin_name", "")) for impl in getter()]
    _emit(event="runners", names=[n for n in names if n and n not in _MARK_DRIVEN])


def pytest_sessionfinish(session: Any, exitstatus: Any) -> None:
    _emit(event="finish", exitstatus=int(exitstatus), collected=session.testscollected)


def pytest_unconfigure(config: Any) -> None:
    global _RECORDER
    original = _UNAWAITED_HOOK["original"]
    if original is not None:
        import warnings

        warnings._warn_unawaited_coroutine = original  # type: ignore[attr-defined]
        _UNAWAITED_HOOK["original"] = None
    if _RECORDER is not None:
        _RECORDER.handle.close()
        _RECORDER = None
