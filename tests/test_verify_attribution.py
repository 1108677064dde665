"""A deliberately broken codemod is caught, attributed to itself and to the one file where
its edit breaks a test, and left out of the migration ``--rollback`` writes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import libcst as cst
import pytest
from click.testing import CliRunner

from async_test_upgrade import registry
from async_test_upgrade.cli import cli
from async_test_upgrade.cst import CodemodTransformer
from async_test_upgrade.harness.attribution import minimal_removal


class BreakAsserts(CodemodTransformer):
    """Test-only and wrong on purpose: ``assert x == 1`` becomes ``assert x == 2`` (and
    ``!= 1`` becomes ``!= 2``, which happens to keep such a test passing)."""

    codemod_name: ClassVar[str] = "break-asserts"

    def leave_Assert(self, original: cst.Assert, updated: cst.Assert) -> cst.Assert:
        test = updated.test
        if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
            return updated
        target = test.comparisons[0]
        if isinstance(target.comparator, cst.Integer) and target.comparator.value == "1":
            self.changed(original, "1 -> 2")
            new_target = target.with_changes(comparator=cst.Integer("2"))
            return updated.with_changes(test=test.with_changes(comparisons=[new_target]))
        return updated


BREAK_ASSERTS = registry.Codemod(
    name="break-asserts",
    summary="test only: breaks assertions",
    safety="review",
    doc="test only",
    triggers=(b"assert",),
    transformer=BreakAsserts,
)

ORIGINAL = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "tests/test_math.py": """
        import pytest


        def add(a, b):
            return a + b


        @pytest.mark.asyncio(scope="module")
        async def test_add():
            assert add(0, 1) == 1


        def test_total():
            total = 5
            assert total != 1
        """,
    "tests/test_other.py": """
        import pytest


        @pytest.mark.asyncio(scope="module")
        async def test_other():
            value = 5
            assert value != 1
        """,
}


@pytest.fixture
def broken_codemod() -> Iterator[registry.Codemod]:
    with registry.registered(BREAK_ASSERTS) as record:
        yield record


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for relpath, text in ORIGINAL.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(textwrap.dedent(text).lstrip())
    return root


def test_broken_codemod_is_caught_attributed_and_rolled_back(
    project: Path, tmp_path: Path, broken_codemod: registry.Codemod
) -> None:
    original_math = (project / "tests/test_math.py").read_text()
    report_file = tmp_path / "report.json"
    result = CliRunner().invoke(
        cli,
        [
            "verify",
            str(project),
            "--select",
            "marker-scope-to-loop-scope,break-asserts",
            "--rollback",
            "--report",
            str(report_file),
        ],
        catch_exceptions=False,
    )
    out = result.stdout
    assert result.exit_code == 1, out
    report = json.loads(report_file.read_text())

    # Caught: the one test whose assertion was broken, nothing else.
    regressions = [r["nodeid"] for r in report["comparison"] if r["category"] == "regression"]
    assert regressions == ["tests/test_math.py::test_add"]
    # Attributed: to the broken codemod, in the file where its edit breaks the test, and
    # not to test_other.py, where it also changed an assertion harmlessly.
    [attribution] = report["attribution"]
    assert attribution["nodeid"] == "tests/test_math.py::test_add"
    assert attribution["culprits"] == {"break-asserts": ["tests/test_math.py"]}
    assert attribution["note"] == ""
    # The re-run's evidence first; the traceback through the rewritten assert corroborates.
    kinds = [(e["kind"], e["codemod"], e["strong"]) for e in attribution["evidence"]]
    assert kinds == [("new stack", "break-asserts", True), ("traceback", "break-asserts", False)]
    assert "caused by break-asserts in tests/test_math.py" in out
    assert "a line of its traceback (tests/test_math.py:10)" in out

    # Rolled back: the real codemod's edits everywhere, the broken one's only where harmless.
    rollback = report["rollback"]
    assert rollback["left_out"] == {"tests/test_math.py": ["break-asserts"]}
    assert rollback["still_failing"] == [] and rollback["conflicts"] == []
    assert sorted(rollback["written"]) == ["tests/test_math.py", "tests/test_other.py"]
    assert "left out break-asserts in tests/test_math.py" in out
    math = (project / "tests/test_math.py").read_text()
    assert math == original_math.replace('asyncio(scope="module")', 'asyncio(loop_scope="module")')
    other = (project / "tests/test_other.py").read_text()
    assert '@pytest.mark.asyncio(loop_scope="module")' in other
    assert "assert value != 2" in other

    # And the rolled-back tree really passes.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout
    assert "3 passed" in done.stdout


def test_without_rollback_nothing_is_written(
    project: Path, broken_codemod: registry.Codemod
) -> None:
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    result = CliRunner().invoke(
        cli, ["verify", str(project), "--select", "break-asserts"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "caused by break-asserts in tests/test_math.py" in result.stdout
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("culprits", "together", "expected"),
    [
        ({"c"}, False, ["c"]),
        # Each breaks it alone: both must be left out.
        ({"a", "h"}, False, ["a", "h"]),
        # They only break it together: leaving out one is enough.
        ({"a", "h"}, True, ["a"]),
        # Nothing to blame: leaving everything out does not help.
        (set(), False, None),
    ],
)
def test_bisection_finds_the_codemods_to_leave_out(
    culprits: set[str], together: bool, expected: list[str] | None
) -> None:
    items = list("abcdefgh")
    probes: list[frozenset[str]] = []

    def fails_without(removed: frozenset[str]) -> bool:
        probes.append(removed)
        if not culprits:
            return True
        if together:
            return culprits.isdisjoint(removed)
        return not culprits <= removed

    found = minimal_removal(items, fails_without)
    assert (sorted(found) if found is not None else None) == expected
    assert len(probes) <= 12


def test_rollback_without_regressions_writes_the_whole_migration(project: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["verify", str(project), "--select", "marker-scope-to-loop-scope", "--rollback"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stdout
    assert "rollback: wrote 2 file(s)" in result.stdout
    assert "left out" not in result.stdout
    for name in ("tests/test_math.py", "tests/test_other.py"):
        text = (project / name).read_text()
        assert 'asyncio(loop_scope="module")' in text and "scope=" not in text.replace(
            "loop_scope=", ""
        )


def test_a_codemod_left_out_hands_its_work_to_no_other(tmp_path: Path) -> None:
    """Left out, strict-to-auto keeps strict mode; strict-markers, which marks tests only
    when strict-to-auto is not selected, must not then mark them: the variant is the
    full migration without strict-to-auto's edits, config ones included."""
    from async_test_upgrade import engine
    from async_test_upgrade.harness.attribution import Variants
    from async_test_upgrade.model import Options

    pristine = tmp_path / "source"
    (pristine / "tests").mkdir(parents=True)
    (pristine / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    test_file = textwrap.dedent(
        """\
        import pytest


        @pytest.mark.asyncio
        async def test_marked():
            assert True


        async def test_unmarked():
            assert True
        """
    )
    (pristine / "tests/test_a.py").write_text(test_file)
    codemods = registry.ordered(registry.by_name().values())
    variants = Variants(pristine, codemods, Options())
    full = variants.edits()
    assert b"asyncio_mode = auto" in (full["pytest.ini"] or b"")
    assert "tests/test_a.py" in full
    without = variants.edits(["strict-to-auto"])
    # Neither its config edit nor its test file edit; and no marks from strict-markers.
    assert "tests/test_a.py" not in without, without.get("tests/test_a.py")
    assert without["pytest.ini"] == (
        b"[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"
    )
    # Its edits alone: the mode switch and the marks it removed, not the loop scope.
    alone = variants.alone("strict-to-auto")
    assert alone["pytest.ini"] == b"[pytest]\nasyncio_mode = auto\n"
    assert alone["tests/test_a.py"] == full["tests/test_a.py"]
    # What --skip strict-to-auto gives is another migration: strict-markers marks.
    skipped = engine.migrate(
        [pristine], [c for c in codemods if c.name != "strict-to-auto"], Options()
    )
    assert {change.codemod for change in skipped.changes} >= {"strict-markers"}
