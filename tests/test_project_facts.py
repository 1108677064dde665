"""A file gets the same migration whether the run was given the whole project or only
that file (as pre-commit gives it): facts always come from the whole project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from async_test_upgrade import engine, registry
from async_test_upgrade.model import Options

CORPUS = Path(__file__).parents[1] / "corpus"
PROJECTS = sorted(p for p in CORPUS.iterdir() if (p / "tests").is_dir())


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_one_file_alone_is_migrated_as_in_the_whole_project(project: Path, tmp_path: Path) -> None:
    root = tmp_path / project.name
    shutil.copytree(project, root, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    whole = engine.migrate([root], registry.catalogue(), Options(), jobs=1)
    by_file = {o.relpath: o.new for o in whole.changed_files}
    assert by_file, "the corpus project needs migrating"
    for relpath, new in by_file.items():
        alone = engine.migrate([root / relpath], registry.catalogue(), Options(), jobs=1)
        assert {o.relpath: o.new for o in alone.changed_files} == {relpath: new}


def test_the_pre_commit_hook_runs_the_installed_command() -> None:
    import shlex

    import yaml  # type: ignore[import-untyped]

    hooks = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "async-test-upgrade" and hook["language"] == "python"
    command = shlex.split(hook["entry"])
    assert command[0] == "async-test-upgrade" and command[1] == "migrate"
    assert hook["types"] == ["python"] and hook["require_serial"] is True
