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


def _is_coroutine_test(item: Any) -> bool:
    # unittest's IsolatedAsyncioTestCase (and asynctest) run their coroutines themselves.
    if type(item).__name__ == "TestCaseFunction":
        return False
    function = getattr(item, "obj", None)
    return inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: Any) -> None:
    # By setup every plugin has added its marks (auto mode marks items during collection).
    closest = getattr(item, "get_closest_marker", None) or item.get_marker  # pytest < 3.6
    markers = [name for name in ASYNC_MARKERS if closest(name) is not None]
    _emit(event="item", nodeid=item.nodeid, coroutine=_is_coroutine_test(item), markers=markers)


def pytest_runtest_logstart(nodeid: str, location: Any) -> None:
    _emit(event="start", nodeid=nodeid)


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
    if _RECORDER is not None:
        _RECORDER.handle.close()
        _RECORDER = None
