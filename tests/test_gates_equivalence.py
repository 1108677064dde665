"""The prefilter and the gates only ever save work: a run that lets every selected
codemod see every file gives the same files, changes, notes and errors."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from async_test_upgrade import engine, registry
from async_test_upgrade.model import Options

ROOT = Path(__file__).parents[1]
PROJECTS = [ROOT / "tests" / "cases", *sorted(p for p in (ROOT / "corpus").iterdir() if p.is_dir())]


def outcome(result: engine.MigrationResult) -> tuple[Any, ...]:
    return (
        {f.relpath: f.new for f in result.changed_files},
        result.config_new,
        Counter((c.path, c.line, c.codemod, c.description) for c in result.changes),
        Counter(n.render() for n in result.notes),
        sorted(result.errors),
        sorted(result.headlines),
    )


def gated_and_ungated(project: Path, options: Options) -> tuple[Any, Any]:
    catalogue = registry.catalogue()
    gated = engine.migrate([project], catalogue, options, jobs=1)
    ungated = dataclasses.replace(options, gates=False)
    return outcome(gated), outcome(engine.migrate([project], catalogue, ungated, jobs=1))


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_gates_change_nothing(project: Path) -> None:
    gated, ungated = gated_and_ungated(project, Options(include_source=True))
    assert gated == ungated


@pytest.mark.parametrize("project", PROJECTS[1:], ids=lambda p: p.name)
def test_gates_change_nothing_in_library_code(project: Path) -> None:
    """Without --include-source, library files are read for notes only."""
    gated, ungated = gated_and_ungated(project, Options())
    assert gated == ungated


def _realworld_entries() -> list[object]:
    import realworld

    return list(realworld.entries())


@pytest.mark.realworld
@pytest.mark.parametrize("entry", _realworld_entries(), ids=lambda e: e.name)  # type: ignore[attr-defined]
def test_gates_change_nothing_on_real_projects(entry: Any, tmp_path: Path) -> None:
    """Every real-world project's sdist (from the cache, downloaded on first use), test
    code and library notes as a user would run it."""
    import realworld

    archive = realworld.download_sdist(entry, lambda _: None)
    project = realworld.unpack(archive, tmp_path)
    gated, ungated = gated_and_ungated(project, Options())
    assert gated == ungated
