"""Before/after, test by test: regression, fixed, newly running, unchanged, changed.

A *regression* passed before and does not pass after (failed, error, skipped or gone).
*Fixed* failed before and passes after. *Newly running* had not really run its coroutine
before and really runs after. When the run before showed it (the test's own coroutine
finalized without ever starting, pytest's unhandled-coroutine skip or failure), that
holds whatever the outcome after: it was never tested, so it cannot have regressed. When
only its code suggests it (an ``async def`` test without an asyncio/anyio/trio mark, an
async method of a plain ``unittest.TestCase``, another coroutine never awaited), a test
that passed before and fails after is a regression all the same, with that hint: some
plugin may have run it. *Changed* is every other difference (a new test, skipped to
failed, ...).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from async_test_upgrade.harness.runner import SESSION, RunResult, TestOutcome

MISSING = "missing"
CATEGORIES = ("regression", "fixed", "newly running", "changed", "unchanged")
_PASSING = ("passed", "xpassed")
_FAILING = ("failed", "error")

#: pytest's words for an async test no plugin ran: a failure since 8.4, a skip before.
_NO_PLUGIN_RAN = (
    "async def functions are not natively supported",
    "async def function and no async plugin installed",
)
_NOT_RUN_SIGNS = (
    ("was never awaited", "a coroutine was never awaited"),
    ("PytestUnhandledCoroutineWarning", "pytest skipped the coroutine (no async plugin ran it)"),
    *((words, "pytest did not run the coroutine") for words in _NO_PLUGIN_RAN),
)


def not_really_run(test: TestOutcome, runners: Sequence[str] = ()) -> str | None:
    """Why this test's coroutine never ran, or None when it did (or it is not async).

    ``runners``: the run's plugins that may run unmarked coroutine tests themselves
    (:attr:`RunResult.coroutine_runners`); with one, a missing mark proves nothing."""
    proof = proven_not_run(test)
    if proof is not None:
        return proof
    evidence = [test.message, *test.warnings]
    for sign, reason in _NOT_RUN_SIGNS:
        if any(sign in text for text in evidence):
            return reason
    if test.unittest_coroutine:
        return "an async method of a plain unittest.TestCase, which never awaits it"
    if (
        not runners
        and test.coroutine
        and not test.markers
        and not test.collect_error
        and _AIOHTTP_LOOP_PARAM.search(test.nodeid) is None
    ):
        return "async test without an asyncio/anyio/trio mark"
    return None


def proven_not_run(test: TestOutcome) -> str | None:
    """Why the run shows that this test's own coroutine never ran, or None.

    What the run observed, not what its code suggests: its coroutine finalized without
    ever having started, or pytest saying it ran no plugin for it. A "passed" with this
    evidence tested nothing, so failing later is no regression; without it (an unmarked
    coroutine some plugin may have run, another coroutine left unawaited), a test that
    passed and then fails is a regression."""
    own = _qualname(test.nodeid)
    if own and (
        own in test.never_awaited
        or any(f"coroutine '{own}' was never awaited" in text for text in test.warnings)
    ):
        return "its coroutine was created and never awaited"
    texts = [test.message, *test.warnings]
    if any("PytestUnhandledCoroutineWarning" in text for text in test.warnings) or any(
        words in text for words in _NO_PLUGIN_RAN for text in texts
    ):
        return "pytest did not run the coroutine (no async plugin ran it)"
    return None


def _qualname(nodeid: str) -> str:
    """The test function's ``__qualname__`` from its id: ``Class.test_x`` for
    ``path.py::Class::test_x[param]``."""
    names = [part for part in nodeid.split("::")[1:] if part]
    if not names:
        return ""
    names[-1] = names[-1].split("[", 1)[0]
    return ".".join(names)


#: aiohttp's own pytest plugin (``aiohttp.pytest_plugin``) parametrizes every test that
#: uses its ``loop`` fixture with the loop factory and runs the coroutine itself:
#: ``test_x[pyloop]``, ``test_x[pyloop-1]``. pytest-aiohttp 1.x does neither, so after a
#: migration the same test is ``test_x`` / ``test_x[1]``.
_AIOHTTP_LOOP_PARAM = re.compile(r"\[pyloop-|\[pyloop\]$|-pyloop\]$")


def _without_aiohttp_loop_param(nodeid: str) -> str:
    nodeid = re.sub(r"\[pyloop\]$", "", nodeid)
    nodeid = re.sub(r"\[pyloop-", "[", nodeid)
    return re.sub(r"-pyloop\]$", "]", nodeid)


def _renamed_by_aiohttp(before: RunResult, after: RunResult) -> dict[str, str]:
    """Before ids that come back without aiohttp's loop parameter: before id -> after id."""
    renamed: dict[str, str] = {}
    for nodeid in before.tests.keys() - after.tests.keys():
        if _AIOHTTP_LOOP_PARAM.search(nodeid) is None:
            continue
        plain = _without_aiohttp_loop_param(nodeid)
        if plain in after.tests and plain not in before.tests:
            renamed[nodeid] = plain
    return renamed


@dataclass
class Row:
    nodeid: str
    before: str
    after: str
    category: str
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "nodeid": self.nodeid,
            "before": self.before,
            "after": self.after,
            "category": self.category,
            "detail": self.detail,
        }


@dataclass
class Comparison:
    rows: list[Row] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(row.category for row in self.rows)
        return {category: found.get(category, 0) for category in CATEGORIES}

    def of(self, category: str) -> list[Row]:
        return [row for row in self.rows if row.category == category]

    @property
    def regressions(self) -> list[Row]:
        return self.of("regression")

    def to_json(self) -> dict[str, Any]:
        return {"counts": self.counts, "tests": [row.to_json() for row in self.rows]}


def _renamed_parameter_ids(
    before: RunResult, after: RunResult, renamed: dict[str, str]
) -> dict[str, str]:
    """Parametrized tests whose ids the new pytest spells differently: pytest 8 stopped
    using string values holding line breaks or other unprintable characters in ids
    (``test_q[\\n    query {...}]`` became ``test_q[query_str0]``). For each test function,
    the ids seen only before and those seen only after are paired in run order when
    there are as many of each: before id -> after id."""
    gone: dict[str, list[str]] = {}
    new: dict[str, list[str]] = {}
    taken = set(renamed.values())
    for nodeid in before.tests:
        if "[" in nodeid and nodeid not in after.tests and nodeid not in renamed:
            gone.setdefault(nodeid.partition("[")[0], []).append(nodeid)
    for nodeid in after.tests:
        if "[" in nodeid and nodeid not in before.tests and nodeid not in taken:
            new.setdefault(nodeid.partition("[")[0], []).append(nodeid)
    pairs: dict[str, str] = {}
    for function, old_ids in gone.items():
        new_ids = new.get(function, [])
        if len(new_ids) == len(old_ids):
            pairs.update(zip(old_ids, new_ids, strict=True))
    return pairs


def renamed_ids(before: RunResult, after: RunResult) -> dict[str, str]:
    """Before ids that the run after spells differently: before id -> after id."""
    renamed = _renamed_by_aiohttp(before, after)
    renamed.update(_renamed_parameter_ids(before, after, renamed))
    return renamed


def compare(before: RunResult, after: RunResult) -> Comparison:
    renamed = renamed_ids(before, after)
    before_tests = {renamed.get(nodeid, nodeid): test for nodeid, test in before.tests.items()}
    rows = []
    for nodeid in sorted(before_tests.keys() | after.tests.keys()):
        rows.append(
            classify(
                nodeid,
                before_tests.get(nodeid),
                after.tests.get(nodeid),
                before.coroutine_runners,
                after.coroutine_runners,
            )
        )
    return Comparison(rows)


def classify(
    nodeid: str,
    before: TestOutcome | None,
    after: TestOutcome | None,
    before_runners: Sequence[str] = (),
    after_runners: Sequence[str] = (),
) -> Row:
    was = before.outcome if before else MISSING
    now = after.outcome if after else MISSING
    skipped_run = not_really_run(before, before_runners) if before else None
    runs_now = (
        after is not None and now != "skipped" and not_really_run(after, after_runners) is None
    )
    # Passed before and fails after is a regression unless the run before showed that
    # the coroutine never ran: a guess from its code alone (no mark) does not excuse it.
    breaks = was == "passed" and now not in _PASSING
    proven = before is not None and proven_not_run(before) is not None
    if skipped_run and runs_now and (proven or not breaks):
        return Row(nodeid, was, now, "newly running", f"before: {skipped_run}")
    if breaks:
        hint = f"; before, it may not have run: {skipped_run}" if skipped_run else ""
        return Row(nodeid, was, now, "regression", _why(after) + hint)
    if was in _FAILING and (
        now in _PASSING or (now == MISSING and before and before.collect_error)
    ):
        return Row(nodeid, was, now, "fixed")
    if was == now:
        detail = f"still not run: {skipped_run}" if skipped_run else ""
        return Row(nodeid, was, now, "unchanged", detail)
    if was == MISSING and now in _FAILING:
        return Row(nodeid, was, now, "regression", _why(after))
    return Row(nodeid, was, now, "changed", _why(after) if now in _FAILING else "")


def _why(after: TestOutcome | None) -> str:
    if after is None:
        return "not collected after migration"
    return failure_line(after)


def failure_line(after: TestOutcome) -> str:
    """The line of a failure's message that names the error."""
    lines = [line for line in after.message.strip().splitlines() if line.strip()]
    if after.nodeid == SESSION and lines:  # pytest's own words first, then its output
        return lines[0].strip()[:200]
    return (_error_line(lines) or after.outcome).strip()[:200]


#: The last line of a Python traceback: ``ValueError: ...``, ``pkg.errors.Gone``.
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)\b")
#: A frame of a Python traceback, possibly cut at the front: ``...", line 3, in f``.
_FRAME_LINE = re.compile(r'", line \d+, in ')


def _error_line(lines: list[str]) -> str | None:
    # The first line of pytest's last "E   ..." block names the error (the lines after
    # it explain an assertion's operands).
    start = None
    for index, line in enumerate(lines):
        if line.startswith("E ") and (index == 0 or not lines[index - 1].startswith("E ")):
            start = index
    if start is not None:
        return lines[start][1:]
    # A plain Python traceback (a crash report, a plugin's own text): the exception line.
    # A long one reaches here cut at the front, its "Traceback" header gone, so a frame
    # line ("  File "...", line 3, in f") marks it as well.
    if any(
        line.startswith("Traceback (most recent call last)") or _FRAME_LINE.search(line)
        for line in lines
    ):
        for line in reversed(lines):
            if _EXCEPTION_LINE.match(line):
                return line
        return lines[-1]
    # Anything else is a message written for people (pytest's "async def functions are
    # not natively supported." and its list of plugins, a skip reason, a fixture lookup
    # error): its first line says what happened, the rest explains or lists.
    return lines[0] if lines else None


def error_kind(test: TestOutcome) -> str:
    """What kind of failure ``test`` had, comparable across stacks and runs: the exception
    type, or else its failure line without addresses and numbers. A coroutine no plugin
    ran is one kind, whichever pytest says so (a skip up to 8.3, a failure since 8.4)."""
    if any(words in test.message for words in _NO_PLUGIN_RAN):
        return "coroutine not run"
    line = failure_line(test)
    match = _EXCEPTION_LINE.match(line)
    if match is not None:
        return match.group(0).rsplit(".", 1)[-1]
    if line.startswith("assert "):
        return "AssertionError"
    return re.sub(r"0x[0-9a-fA-F]+|\d+", "N", line)


#: A traceback entry as pytest prints it: ``path/to/file.py:12: in function`` (or
#: ``...:12: ErrorType``), the path relative to the rootdir or absolute.
_FRAME = re.compile(r"^(?P<path>[^\s:>][^:\n]*?\.py):(?P<line>\d+): ", re.MULTILINE)


def frames(message: str, root: str) -> list[tuple[str, int]]:
    """The traceback entries of a failure that are inside the project at ``root``, outermost
    first, as (relative posix path, line)."""
    prefix = root.rstrip("/") + "/"
    found = []
    for match in _FRAME.finditer(message):
        path = match.group("path")
        if path.startswith("/"):
            if not path.startswith(prefix):
                continue  # the standard library, site-packages
            path = path[len(prefix) :]
        found.append((path, int(match.group("line"))))
    return found


def passing(run: RunResult) -> set[str]:
    return {nodeid for nodeid, test in run.tests.items() if test.outcome in _PASSING}


def still_failing(nodeid: str, before: TestOutcome | None, probe: TestOutcome | None) -> bool:
    """Whether a re-run of a regressed test still shows the regression."""
    if before is None:  # an entry that only appeared after (a new collection error)
        return probe is not None and probe.outcome in _FAILING
    return probe is None or probe.outcome not in _PASSING
