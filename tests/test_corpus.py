"""Every corpus project: its legacy suite on the legacy stack, migrated by every codemod,
then on the modern stack, compared test by test by ``verify``.

A project fails the build when a test that passed before does not pass after
(a regression), or when the migrated suite passes fewer tests than the legacy one.
Projects are discovered: every directory in ``corpus/`` is one.

A project may carry a ``corpus.json`` for special needs; its keys (all optional):

``before_python``
    Interpreter for the legacy side: a version such as ``"3.9"`` (found through pyenv or
    PATH) or a path. Default: the interpreter running these tests. For suites whose
    legacy stack cannot run on it (asynctest does not import on 3.11+). When that
    interpreter is not on this machine, only the migrated side runs, its counts are
    checked (no failure, no error, at least ``min_after_passed`` passed), and a warning
    says so.
``after_python``
    Interpreter for the migrated side, likewise. Missing here: the project is skipped
    with a message.
``pytest_args``
    Extra pytest arguments for both sides, a list of strings.
``min_after_passed``
    The number of tests the migrated suite must pass at least.
``timeout``
    Seconds one pytest run may take (default 600).
``include_source``
    Migrate library code too (``--include-source``), for projects whose library itself
    breaks on the modern Python.

The virtualenvs built from ``legacy-requirements.txt`` and ``requirements.txt`` are
cached (see ``harness.envs``), so only the first run on a machine pays for them.
"""

from __future__ import annotations

import json
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from async_test_upgrade import registry
from async_test_upgrade.harness import envs, render
from async_test_upgrade.harness.verify import Side, VerifyRequest, verify
from async_test_upgrade.model import Options

CORPUS = Path(__file__).parents[1] / "corpus"
PROJECTS = sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


@dataclass(frozen=True)
class CorpusConfig:
    before_python: str | None = None
    after_python: str | None = None
    pytest_args: list[str] = field(default_factory=list)
    min_after_passed: int = 0
    include_source: bool = False
    timeout: float = 600.0

    @classmethod
    def load(cls, project: Path) -> CorpusConfig:
        path = project / "corpus.json"
        if not path.exists():
            return cls()
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
        args = data.get("pytest_args", [])
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            raise ValueError(f"{path}: pytest_args must be a list of strings")
        return cls(**data)


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_project_keeps_the_contract(project: Path) -> None:
    """The files the corpus test and corpus/README.md promise (quick, unmarked)."""
    for name in ("legacy-requirements.txt", "requirements.txt", "README.md"):
        assert (project / name).is_file(), f"{project.name} has no {name}"
    assert (project / "tests").is_dir(), f"{project.name} has no tests/ directory"
    CorpusConfig.load(project)


@pytest.mark.corpus
@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_corpus_project(project: Path) -> None:
    config = CorpusConfig.load(project)
    legacy, modern = project / "legacy-requirements.txt", project / "requirements.txt"
    if not legacy.is_file() or not modern.is_file():
        pytest.fail(f"{project.name}: needs legacy-requirements.txt and requirements.txt")
    try:
        envs.resolve_python(config.after_python)
    except envs.MissingInterpreterError as error:
        pytest.skip(f"{project.name}: the migrated side needs {error}")
    before: Side | None = Side(config.before_python, legacy)
    try:
        envs.resolve_python(config.before_python)
    except envs.MissingInterpreterError as error:
        before = None
        warnings.warn(
            f"{project.name}: legacy side not run ({error}); only the migrated suite's "
            "counts are checked",
            UserWarning,
            stacklevel=1,
        )
    request = VerifyRequest(
        path=project,
        codemods=registry.catalogue(),
        options=Options(include_source=config.include_source),
        before=before,
        after=Side(config.after_python, modern),
        pytest_args=config.pytest_args,
        timeout=config.timeout,
    )
    started = time.monotonic()
    report = verify(request, log=print)
    lines = render.report_lines(report)
    print("\n".join(lines))
    print(f"{project.name}: verify took {time.monotonic() - started:.1f}s")
    shown = "\n".join(lines)

    after_passed = report.after.count("passed")
    assert not report.comparison.regressions, f"{project.name} regressed:\n{shown}"
    if report.before is not None:
        before_passed = report.before.count("passed")
        assert after_passed >= before_passed, (
            f"{project.name}: {after_passed} tests pass after migration, "
            f"{before_passed} before:\n{shown}"
        )
    else:
        broken = report.after.count("failed") + report.after.count("error")
        assert broken == 0, f"{project.name}: the migrated suite fails:\n{shown}"
        assert after_passed > 0, f"{project.name}: the migrated suite passes nothing"
    assert after_passed >= config.min_after_passed, (
        f"{project.name}: {after_passed} tests pass after migration, corpus.json asks for "
        f"{config.min_after_passed}:\n{shown}"
    )
