"""One pytest run in a subprocess: a wall-clock limit, and every test's outcome.

pytest runs in its own session (process group); on expiry the whole group is killed, so
a hung test, or a server it started, never keeps the harness waiting. Outcomes come from
the plugin in ``_outcome_plugin.py``, which appends JSON lines as the run goes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

from async_test_upgrade.harness.envs import Environment

PLUGIN_MODULE = "async_test_upgrade_outcomes"
OUTPUT_ENV = "ASYNC_TEST_UPGRADE_OUTCOMES"
SELECT_ENV = "ASYNC_TEST_UPGRADE_SELECT"
#: pytest's "no tests were collected" exit status.
NO_TESTS_COLLECTED = 5
#: pytest's exit statuses for a session that did not run its tests as asked: interrupted
#: (``pytest.exit``, Ctrl-C), an internal error, a usage error (a bad option or config
#: value, a conftest that does not import).
SESSION_FAILURES = (2, 3, 4)
#: The node id of the session itself, when it fails as a whole.
SESSION = "<session>"
OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")


@dataclass
class TestOutcome:
    __test__: ClassVar[bool] = False  # not a test class, whatever pytest thinks of the name

    nodeid: str
    #: passed / failed / error / skipped / xfailed / xpassed
    outcome: str
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    #: The test function is ``async def`` (unittest-style tests excluded).
    coroutine: bool = False
    #: asyncio / anyio / trio marks found on the item when it ran.
    markers: list[str] = field(default_factory=list)
    duration: float = 0.0
    #: A collection error (the node id names a module or class, not a test).
    collect_error: bool = False
    #: An async method of a plain ``unittest.TestCase``, which unittest never awaits.
    unittest_coroutine: bool = False
    #: Names of the coroutines finalized during the test without ever having started
    #: (``Class.test_name``), seen whatever the warning filters (Python 3.7+).
    never_awaited: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "message": self.message,
            "warnings": self.warnings,
            "coroutine": self.coroutine,
            "markers": self.markers,
            "duration": round(self.duration, 4),
            "collect_error": self.collect_error,
            "unittest_coroutine": self.unittest_coroutine,
            "never_awaited": self.never_awaited,
        }


@dataclass
class RunResult:
    tests: dict[str, TestOutcome]
    exit_code: int | None
    timed_out: bool
    seconds: float
    command: list[str]
    output_tail: str = ""
    pytest_version: str | None = None
    #: The test that was running when the run was killed.
    hung_in: str | None = None
    #: The plugin reported the session's end (pytest got as far as sessionfinish).
    finished: bool = False
    #: Plugins (or conftests) with a ``pytest_pyfunc_call`` that may run coroutine tests
    #: without an async mark (aiohttp's old plugin, a home-made runner).
    coroutine_runners: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for t in self.tests.values() if t.outcome == outcome)

    @property
    def collected_nothing(self) -> bool:
        return all(nodeid == SESSION for nodeid in self.tests)

    def describe_failure(self) -> str:
        """Why a run that produced no test outcomes produced none."""
        if self.timed_out:
            return "the suite did not finish within the time limit"
        if self.exit_code == NO_TESTS_COLLECTED:
            return "pytest collected no tests"
        return f"pytest exited with status {self.exit_code}:\n{self.output_tail}"

    def to_json(self) -> dict[str, Any]:
        return {
            "exit_code": self.exit_code,
            "timed_out": self.timed_out,
            "hung_in": self.hung_in,
            "seconds": round(self.seconds, 3),
            "pytest": self.pytest_version,
            "command": self.command,
            "counts": {o: self.count(o) for o in OUTCOMES},
            "tests": {nodeid: t.to_json() for nodeid, t in sorted(self.tests.items())},
        }


def install_plugin(directory: Path) -> Path:
    """Write the outcome plugin as an importable module into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    source = resources.files("async_test_upgrade.harness").joinpath("_outcome_plugin.py")
    (directory / f"{PLUGIN_MODULE}.py").write_text(source.read_text(encoding="utf-8"))
    return directory


def import_paths(project: Path) -> list[Path]:
    """What makes the project importable as in the user's checkout: its root and src/."""
    paths = [project]
    if (project / "src").is_dir():
        paths.append(project / "src")
    return paths


def run_pytest(
    project: Path,
    environment: Environment,
    plugin_dir: Path,
    pytest_args: Sequence[str] = (),
    timeout: float = 1800.0,
    select: Collection[str] | None = None,
) -> RunResult:
    """Run the suite in ``project`` (the working directory) and collect every outcome."""
    with tempfile.TemporaryDirectory(prefix="atu-run-") as scratch:
        outcomes = Path(scratch) / "outcomes.jsonl"
        output = Path(scratch) / "output.txt"
        env = dict(os.environ)
        env.update(environment.variables())
        # The caller's own pytest run must not leak into the suite under test.
        env.pop("PYTEST_CURRENT_TEST", None)
        inherited = [env["PYTHONPATH"]] if env.get("PYTHONPATH") else []
        env["PYTHONPATH"] = os.pathsep.join(
            [str(plugin_dir), *map(str, import_paths(project)), *inherited]
        )
        env[OUTPUT_ENV] = str(outcomes)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        if select is not None:
            selection = Path(scratch) / "select.txt"
            selection.write_text("".join(f"{nodeid}\n" for nodeid in sorted(select)))
            env[SELECT_ENV] = str(selection)
        # A module that fails to import must not hide the outcomes of all the others.
        command = [
            str(environment.python),
            "-m",
            "pytest",
            "-p",
            PLUGIN_MODULE,
            "--continue-on-collection-errors",
            *pytest_args,
        ]
        started = time.monotonic()
        exit_code, timed_out = _run_with_limit(command, project, env, output, timeout)
        seconds = time.monotonic() - started
        text = output.read_text(encoding="utf-8", errors="replace") if output.exists() else ""
        result = RunResult({}, exit_code, timed_out, seconds, command, text[-3000:])
        if outcomes.exists():
            _fold(outcomes.read_text(encoding="utf-8"), result)
    _session_failure(result)
    return result


def _session_failure(result: RunResult) -> None:
    """A run that failed as a whole gets a ``<session>`` entry whose message is pytest's
    own (its first line), then the end of its output (for the tracebacks in it)."""
    failed = result.exit_code in SESSION_FAILURES or (
        result.collected_nothing and result.exit_code != NO_TESTS_COLLECTED
    )
    if not failed:
        return
    status = "timed out" if result.timed_out else f"exit status {result.exit_code}"
    summary = f"{session_message(result.output_tail) or 'pytest stopped'} ({status})"
    known = result.tests.get(SESSION)
    if known is not None and known.message:  # a collection error of the whole session
        summary = f"{summary}\n{known.message}"
    else:
        summary = f"{summary}\n{result.output_tail}"
    result.tests[SESSION] = TestOutcome(SESSION, "error", summary, collect_error=True)


#: pytest's banner lines: ``!!!!!! Interrupted: 1 error during collection !!!!!!``.
_BANNER = re.compile(r"^!{3,} (?P<text>.+?) !{3,}$")


def session_message(output: str) -> str:
    """What pytest said when it stopped: a usage error's ``ERROR: ...`` line, an internal
    error's exception, a conftest that did not import, an interruption banner."""
    lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR: ")]
    if errors:
        return errors[0][len("ERROR: ") :].strip()
    internal = [
        line[len("INTERNALERROR> ") :] for line in lines if line.startswith("INTERNALERROR> ")
    ]
    for line in reversed(internal):
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b", line):
            return f"internal error: {line.strip()}"
    for index, line in enumerate(lines):
        if line.startswith("ImportError while loading conftest"):
            cause = next((x[1:].strip() for x in lines[index + 1 :] if x.startswith("E ")), "")
            return f"{line.strip()} {cause}".strip()
    for line in reversed(lines):
        match = _BANNER.match(line)
        if match is not None and not match.group("text").startswith(
            ("short test summary", "warnings summary")
        ):
            return match.group("text")
    return lines[-1].strip() if lines else ""


def _run_with_limit(
    command: list[str], cwd: Path, env: dict[str, str], output: Path, timeout: float
) -> tuple[int | None, bool]:
    # Output goes to a file, not a pipe: a killed group can leave no reader blocked.
    with open(output, "wb") as sink:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        timed_out = False
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            # Also reaps whatever the suite left running in its group after a normal exit.
            _kill_group(process.pid)
            process.wait()
    return (None if timed_out else process.returncode), timed_out


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _fold(lines: str, result: RunResult) -> None:
    tests = result.tests
    info: dict[str, dict[str, Any]] = {}
    warnings: dict[str, list[str]] = {}
    unawaited: dict[str, list[str]] = {}
    running: str | None = None
    for line in lines.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue  # a line cut short by the kill
        kind = event.get("event")
        nodeid = event.get("nodeid", "")
        if kind == "session":
            result.pytest_version = event.get("pytest")
        elif kind == "item":
            info[nodeid] = event
        elif kind == "start":
            running = nodeid
        elif kind == "report":
            _apply_report(tests, event)
            if event.get("when") == "teardown":
                running = None
        elif kind == "collect_error":
            key = nodeid or "<session>"
            tests[key] = TestOutcome(key, "error", event.get("longrepr", ""), collect_error=True)
        elif kind == "warning":
            text = f"{event.get('category')}: {event.get('message')}"
            warnings.setdefault(nodeid, []).append(text)
        elif kind == "unawaited":
            unawaited.setdefault(nodeid, []).append(str(event.get("coroutine", "")))
        elif kind == "runners":
            result.coroutine_runners = [str(n) for n in event.get("names", [])]
        elif kind == "finish":
            result.finished = True
    for nodeid, outcome in tests.items():
        outcome.warnings = warnings.get(nodeid, [])
        outcome.never_awaited = unawaited.get(nodeid, [])
        item = info.get(nodeid)
        if item is not None:
            outcome.coroutine = bool(item.get("coroutine"))
            outcome.markers = list(item.get("markers", []))
            outcome.unittest_coroutine = bool(item.get("unittest_coroutine"))
    if result.timed_out and running is not None:
        result.hung_in = running
        hung = tests.get(running)
        if hung is None or hung.outcome == "passed":
            tests[running] = TestOutcome(running, "error", "killed: the run timed out in this test")


def _apply_report(tests: dict[str, TestOutcome], event: dict[str, Any]) -> None:
    nodeid: str = event["nodeid"]
    when, outcome, xfail = event["when"], event["outcome"], event.get("wasxfail", False)
    current = tests.get(nodeid)
    message = event.get("longrepr", "")
    duration = float(event.get("duration") or 0.0)
    if current is not None:
        current.duration += duration
    if when == "setup":
        if outcome == "failed":
            tests[nodeid] = TestOutcome(nodeid, "error", message, duration=duration)
        elif outcome == "skipped":
            kind = "xfailed" if xfail else "skipped"
            tests[nodeid] = TestOutcome(nodeid, kind, message, duration=duration)
        else:
            tests[nodeid] = TestOutcome(nodeid, "passed", duration=duration)
    elif when == "call":
        if outcome == "passed":
            kind = "xpassed" if xfail else "passed"
        elif outcome == "skipped":
            kind = "xfailed" if xfail else "skipped"
        else:
            kind = "failed"
        if current is None:
            tests[nodeid] = TestOutcome(nodeid, kind, message, duration=duration)
        else:
            current.outcome, current.message = kind, message
    elif when == "teardown" and outcome == "failed":
        if current is None:
            tests[nodeid] = TestOutcome(nodeid, "error", message, duration=duration)
        elif current.outcome != "failed":
            current.outcome = "error"
            current.message = message
