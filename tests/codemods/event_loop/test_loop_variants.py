"""A parametrized ``event_loop`` override becomes one loop factory per variant: the
migrated suite runs every variant of every async test, under the same ids."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from async_test_upgrade import engine, registry
from async_test_upgrade.cli import cli
from async_test_upgrade.facts import ProjectFacts, index_file
from async_test_upgrade.model import Options
from tests.suite_runs import outcomes

CASE = Path(__file__).parents[2] / "cases" / "event-loop-policy-to-loop-factories"
VARIANTS = ("plain-selector", "plain-tracing", "debug-selector", "debug-tracing")


def test_the_migrated_suite_runs_each_variant_in_its_loop(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(CASE / "loop_variants.before", root)
    result = CliRunner().invoke(cli, ["migrate", str(root)])
    assert result.exit_code == 0, result.output
    assert "def pytest_asyncio_loop_factories" in (root / "tests" / "conftest.py").read_text()
    passed, failed, out = outcomes(root)
    assert not failed, out
    # The ids pytest-asyncio 0.21 gave them through the override's parametrized fixtures.
    assert passed == {
        f"tests/test_queue.py::{test}[{variant}]"
        for test in ("test_roundtrip", "test_each_variant_gets_its_loop")
        for variant in VARIANTS
    }


@pytest.mark.corpus
def test_verify_finds_every_legacy_run_again(tmp_path: Path) -> None:
    """Before: pytest-asyncio 0.21 runs the override's four variants of each test; after:
    the migrated suite on pytest-asyncio 1.5 runs the same tests under the same ids."""
    root = tmp_path / "project"
    shutil.copytree(CASE / "loop_variants.before", root)
    legacy = tmp_path / "legacy-requirements.txt"
    legacy.write_text("pytest==7.4.4\npytest-asyncio==0.21.2\n")
    report = tmp_path / "report.json"
    result = CliRunner(env={"ASYNC_TEST_UPGRADE_CACHE": str(tmp_path / "cache")}).invoke(
        cli,
        ["verify", str(root), "--before-requirements", str(legacy), "--report", str(report)],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    categories = {row["nodeid"]: row["category"] for row in data["comparison"]}
    assert len(categories) == 8, result.output
    assert set(categories.values()) == {"unchanged"}, categories


def _notes(case: str, *codemods: str) -> list[str]:
    source = (CASE / f"{case}.py").read_bytes()
    facts = ProjectFacts()
    index_file(facts, "conftest.py", source)
    options = Options(selected=frozenset(codemods))
    records = registry.select(codemods)
    result = engine.transform_source(source, "conftest.py", records, facts, options)
    assert result.new_source is None
    return [f"{n.codemod}: {n.message}" for n in result.notes]


def test_an_override_no_factory_can_replace_is_reported_with_the_reason() -> None:
    both = ("remove-event-loop-override", "event-loop-policy-to-loop-factories")
    [note] = _notes("conftest_variants_teardown_left", *both)
    assert note.startswith("remove-event-loop-override: event_loop override left in place")
    assert note.endswith(
        "(its teardown does more than close the loop "
        "(loop.run_until_complete(loop.shutdown_asyncgens())))"
    )
    [note] = _notes("conftest_variants_unplain_params_left", *both)
    assert note.endswith(
        "(loop_kind: a param is not a literal value (pytest.param, a name, a call))"
    )
