"""Mutation test of verify: copies of the codemods with one deliberate bug each.

For each bug, ``verify --rollback`` runs on a copy of a project the bug affects (legacy
stack before, modern stack after, as the corpus test does): a corpus project, a small
project written here, or (marked ``realworld``) a third-party project of
``realworld/projects/``. It must

- detect it: at least one regression;
- attribute every regression to the broken codemod, in the files where its broken edit
  is (config files included), on evidence from a re-run (new, old or bridge stack), or,
  for an edit the codemod failed to make, on pytest's error naming it (missing edit);
- leave every failure the migration did not cause nobody's (environment, library);
- roll back exactly the blamed edits, and list the missing ones for a hand edit.

The README's verify section states the figures (detected / attributed / rolled back);
the last test keeps them in step with the lists below.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import realworld
from async_test_upgrade.harness import envs, render
from async_test_upgrade.harness.attribution import (
    BRIDGE_STACK,
    ENVIRONMENT,
    LIBRARY,
    MISSING_EDIT,
    NEW_STACK,
    OLD_STACK,
)
from async_test_upgrade.harness.verify import Side, VerifyReport, VerifyRequest, verify
from async_test_upgrade.model import Options
from tests import mutants, test_verify_bridge, test_verify_missing, test_verify_unrelated

ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "corpus"
#: pytest 7.4.4 + pytest-asyncio 0.21.2 / pytest 9.2.0 + pytest-asyncio 1.5.0.
STACKS = CORPUS / "asyncio-library"
#: In ``Bug.files``: the module of the regressed test itself.
MODULE = "{module}"


@dataclass(frozen=True)
class Project:
    """A small project written for a bug: its files, its legacy requirements (text) and
    interpreter; the modern side is ``STACKS``' unless told."""

    files: dict[str, str]
    legacy: str
    before_python: str | None = None
    modern: Path = STACKS / "requirements.txt"
    options: Options = field(default_factory=Options)


@dataclass(frozen=True)
class Bug:
    id: str
    mutation: mutants.Mutation
    #: Where it is tried: a corpus project's name, a ``Project`` or a real-world entry's
    #: name (in ``REALWORLD_BUGS``).
    project: str | Project
    #: The codemod and the files each regression must be blamed on; ``required`` must
    #: all be among them (by default all of ``files``).
    codemod: str
    files: tuple[str, ...]
    #: The evidence that must show it: new stack (leaving it out), old stack (alone), a
    #: bridge stack (alone, on a newer Python), or a missing edit.
    evidence: str
    required: tuple[str, ...] | None = None
    #: Some regressions may instead carry missing-edit evidence naming the codemod (a
    #: construct its correct output would have handled, which leaving its edits out
    #: cannot show).
    missing_ok: bool = False
    #: What it breaks, for the README: the kind of bug.
    kind: str = ""
    #: How many regressions the migration did not cause (the project's own unrelated
    #: failures): each must be environment or library, nobody's suspect.
    unrelated: int = 0

    def expected(self, nodeid: str) -> tuple[set[str], set[str]]:
        module = nodeid.partition("::")[0]
        allowed = {module if f == MODULE else f for f in self.files}
        required = {module if f == MODULE else f for f in self.required or self.files}
        return allowed, required


#: asyncio.sleep(0.1, loop=loop) loses its delay instead of loop=.
DROPS_THE_DELAY = mutants.Mutation(
    "remove_loop_kwarg.py",
    "        return without_args(updated_node, [loop_arg])",
    "        return without_args(updated_node, [updated_node.args[0]])",
)

BUGS = [
    Bug(
        "wrong-config-value",
        # asyncio_mode = strict instead of auto: the marks go, the mode stays strict.
        mutants.Mutation(
            "strict_to_auto.py",
            '                    "auto",\n                    NAME,',
            '                    "strict",\n                    NAME,',
        ),
        "strict-suite",
        "strict-to-auto",
        # A test using a bare async fixture also needs that fixture handled (conftest).
        files=(MODULE, "tests/conftest.py"),
        required=(MODULE,),
        evidence=NEW_STACK,
        missing_ok=True,
    ),
    Bug(
        "wrong-class-name",
        # AsyncClient(app=x) gets the WSGI transport.
        mutants.Mutation(
            "httpx_app_to_transport.py",
            '"httpx.AsyncClient": "ASGITransport"',
            '"httpx.AsyncClient": "WSGITransport"',
        ),
        "fastapi-service",
        "httpx-app-to-transport",
        files=("tests/conftest.py",),
        # Left out on httpx 0.28, AsyncClient(app=) fails too: only the old stack can tell.
        evidence=OLD_STACK,
    ),
    Bug(
        "dropped-await",
        # loop.run_until_complete(x) in a converted fixture becomes x, not await x.
        mutants.Mutation(
            "pytest_aiohttp_fixtures.py",
            "awaited = cst.Await(expression=updated_node.args[0].value)",
            "awaited = updated_node.args[0].value",
        ),
        "aiohttp-server",
        "pytest-aiohttp-fixtures",
        files=("tests/conftest.py",),
        evidence=NEW_STACK,
    ),
    Bug(
        "over-eager-mock-conversion",
        # Every MagicMock becomes an AsyncMock, with or without evidence of an await.
        mutants.Mutation(
            "mock_to_asyncmock.py",
            "        if evidence is not None:\n"
            "            self._decide_convert(call, path, scan, evidence)",
            "        if True:\n            self._decide_convert(call, path, scan, str(evidence))",
        ),
        "service-layer-2019",
        "mock-to-asyncmock",
        files=(MODULE,),
        evidence=NEW_STACK,
    ),
    Bug(
        "removed-fixture-decorator",
        # The fixture decorator that should get loop_scope= is dropped instead.
        mutants.Mutation(
            "async_fixture_loop_scope.py",
            "        decorators[index] = with_fixture_loop_scope(\n"
            "            self, decorator, loop_scope, self.imports_pytest_asyncio\n"
            "        )",
            "        del decorators[index]",
        ),
        "fastapi-service",
        "async-fixture-loop-scope",
        files=("tests/conftest.py",),
        evidence=NEW_STACK,
    ),
    Bug(
        "bad-config-value",
        # asyncio_default_fixture_loop_scope = bogus: pytest stops with a usage error.
        mutants.Mutation(
            "default_fixture_loop_scope.py",
            '                "function",\n                NAME,',
            '                "bogus",\n                NAME,',
        ),
        "anyio-mixed",
        "default-fixture-loop-scope",
        files=("pytest.ini",),
        evidence=NEW_STACK,
        kind="a config-only bug (a session that stops)",
    ),
    Bug(
        "missing-fixture-decorator",
        # An async fixture keeps @pytest.fixture in strict mode.
        test_verify_missing.NO_FIXTURE_DECORATOR,
        Project(
            test_verify_missing.PROJECT,
            "pytest==6.2.5\npytest-asyncio==0.16.0\n",
            before_python=test_verify_missing.LEGACY_PYTHON,
            options=Options(asyncio_mode="strict"),
        ),
        "strict-markers",
        files=("tests/conftest.py",),
        evidence=MISSING_EDIT,
        kind="a missing decorator",
    ),
    Bug(
        "wrong-hook-name",
        # asynctest's async setUp becomes asyncSetup, which nothing calls; on a Python 3.7
        # legacy stack, which cannot run IsolatedAsyncioTestCase.
        test_verify_bridge.WRONG_HOOK_NAME,
        Project(
            test_verify_bridge.PROJECT,
            test_verify_bridge.LEGACY,
            before_python=test_verify_bridge.LEGACY_PYTHON,
        ),
        "asynctest-to-stdlib",
        files=(MODULE,),
        evidence=BRIDGE_STACK,
        kind="an edit the legacy stack cannot run",
    ),
    Bug(
        "dropped-delay-beside-unrelated-failures",
        # The delay dropped, in a suite where two tests fail on the modern stack whatever
        # the migration does (the environment, library code).
        DROPS_THE_DELAY,
        Project(
            {
                **{k: v for k, v in test_verify_unrelated.PROJECT.items() if "phase" not in k},
                "tests/test_sleep.py": """
                    import asyncio


                    async def test_sleep():
                        await asyncio.sleep(0, loop=asyncio.get_event_loop())
                    """,
            },
            (STACKS / "legacy-requirements.txt").read_text(),
            before_python="3.9",
        ),
        "remove-loop-kwarg",
        files=(MODULE,),
        evidence=OLD_STACK,
        unrelated=2,
        kind="a project with unrelated failures",
    ),
]

#: Bugs tried on third-party projects (``realworld/projects/``), among the entries CI
#: runs (``fast``).
REALWORLD_BUGS = [
    Bug(
        "dropped-positional-argument",
        DROPS_THE_DELAY,
        "async-timeout",
        "remove-loop-kwarg",
        files=(MODULE,),
        evidence=OLD_STACK,
    ),
    Bug(
        "wrong-loop-function",
        # The event_loop argument becomes asyncio.get_event_loop_policy().
        mutants.Mutation(
            "_event_loop.py",
            'attr=cst.Name("get_running_loop")',
            'attr=cst.Name("get_event_loop_policy")',
        ),
        "pyee",
        "event-loop-arg-to-running-loop",
        files=(MODULE,),
        evidence=OLD_STACK,
    ),
]


def request_for(bug: Bug, tmp_path: Path) -> VerifyRequest:
    """The verify request trying ``bug`` on a copy of its corpus or written project."""
    codemods = mutants.load(bug.mutation, tmp_path / "codemods")
    if isinstance(bug.project, Project):
        spec = bug.project
        project = tmp_path / "project"
        for relpath, text in spec.files.items():
            (project / relpath).parent.mkdir(parents=True, exist_ok=True)
            (project / relpath).write_text(textwrap.dedent(text).lstrip())
        legacy = tmp_path / "legacy-requirements.txt"
        legacy.write_text(spec.legacy)
        before = Side(spec.before_python, legacy)
        after, options = Side(None, spec.modern), spec.options
    else:
        source = CORPUS / bug.project
        project = tmp_path / bug.project  # --rollback writes here, never into corpus/
        shutil.copytree(source, project)
        config = source / "corpus.json"
        python = json.loads(config.read_text()).get("before_python") if config.exists() else None
        before = Side(python, source / "legacy-requirements.txt")
        after, options = Side(None, source / "requirements.txt"), Options()
    if before.python is not None:
        try:
            envs.resolve_python(before.python)
        except envs.MissingInterpreterError as error:
            pytest.skip(str(error))
    return VerifyRequest(
        path=project, codemods=codemods, options=options, before=before, after=after, rollback=True
    )


def check(bug: Bug, report: VerifyReport, project: Path) -> None:
    """Detected, attributed (codemod, files, evidence) and rolled back, as the module
    docstring says."""
    shown = "\n".join(render.report_lines(report))
    regressed = [row.nodeid for row in report.comparison.regressions]
    assert regressed, f"{bug.id} not detected:\n{shown}"
    assert [a.nodeid for a in report.attributions] == regressed
    blamed: set[str] = set()
    missing: set[str] = set()
    unrelated: set[str] = set()
    for attribution in report.attributions:
        kinds = {e.kind for e in attribution.evidence}
        if kinds and kinds <= {ENVIRONMENT, LIBRARY}:
            assert attribution.culprits == attribution.suspects == {}, shown
            unrelated.add(attribution.nodeid)
            continue
        allowed, required = bug.expected(attribution.nodeid)
        if not attribution.culprits and (bug.missing_ok or bug.evidence == MISSING_EDIT):
            assert list(attribution.missing) == [bug.codemod], f"{attribution.nodeid}:\n{shown}"
            assert MISSING_EDIT in kinds, shown
            places = {place.rpartition(":")[0] for place in attribution.missing[bug.codemod]}
            assert places <= allowed, f"{attribution.nodeid}:\n{shown}"
            missing.add(attribution.nodeid)
            continue
        assert list(attribution.culprits) == [bug.codemod], f"{attribution.nodeid}:\n{shown}"
        files = set(attribution.culprits[bug.codemod])
        assert required <= files <= allowed, f"{attribution.nodeid}:\n{shown}"
        assert bug.evidence in {e.kind for e in attribution.evidence if e.strong}, shown
        blamed |= files
    assert len(unrelated) == bug.unrelated, shown
    assert len(unrelated) < len(regressed), f"nothing attributed:\n{shown}"

    # The rollback leaves out exactly the blamed edits and keeps every other one; it
    # lists the missing edits and the unrelated failures, without refusing.
    rollback = report.rollback
    assert rollback is not None
    assert set(rollback.not_acted_on) == unrelated, shown
    assert set(rollback.missing_edits) == missing, shown
    assert rollback.left_out == {path: [bug.codemod] for path in sorted(blamed)}
    assert rollback.conflicts == []
    assert report.migration is not None
    migrated = {f.relpath: f.new for f in report.migration.changed_files}
    if report.migration.config_changed and report.migration.config_path is not None:
        config = report.migration.config_path.relative_to(report.migration.root).as_posix()
        migrated[config] = report.migration.config_new or b""
    for relpath, data in migrated.items():
        written = (project / relpath).read_bytes()
        if relpath in blamed:
            assert written != data, f"{relpath}: the blamed edit was written"
        else:
            assert written == data, f"{relpath}: not written as migrated"


@pytest.mark.corpus
@pytest.mark.parametrize("bug", BUGS, ids=[b.id for b in BUGS])
def test_bug_is_detected_attributed_and_rolled_back(bug: Bug, tmp_path: Path) -> None:
    request = request_for(bug, tmp_path)
    check(bug, verify(request), request.path)


@pytest.mark.realworld
@pytest.mark.parametrize("bug", REALWORLD_BUGS, ids=[b.id for b in REALWORLD_BUGS])
def test_bug_in_a_real_world_project(bug: Bug, tmp_path: Path) -> None:
    [entry] = [e for e in realworld.entries() if e.name == bug.project]
    assert entry.fast, "CI runs only the fast entries: keep the real-world bugs there"
    for stack in (entry.legacy, entry.modern):
        try:
            envs.resolve_python(stack.python)
        except envs.MissingInterpreterError as error:
            pytest.skip(f"{entry.name}: {error}")
    tree = realworld.unpack(realworld.download_sdist(entry, print), tmp_path / "sdist")
    request = VerifyRequest(
        path=tree,
        codemods=mutants.load(bug.mutation, tmp_path / "codemods"),
        before=Side(entry.legacy.python, realworld.requirements_file(entry.legacy)),
        after=Side(entry.modern.python, realworld.requirements_file(entry.modern)),
        install_cmd=entry.install or None,
        pytest_args=entry.pytest_arguments(),
        timeout=entry.timeout,
        rollback=True,
    )
    check(bug, verify(request, log=print), tree)


def test_the_readme_states_the_figures() -> None:
    """Every bug above is detected, attributed and rolled back (the tests fail
    otherwise): the README says so for as many bugs as each list has, and names the
    kinds of bug the lists must hold."""
    section = (ROOT / "README.md").read_text().split("## Verify", 1)[1].split("\n## ", 1)[0]
    text = " ".join(section.split())
    figures = re.findall(
        r"(\d+) of (\d+) detected, (\d+) of (\d+) attributed to the right codemod and file"
        r" \(config files included\), (\d+) of (\d+) rolled back",
        text,
    )
    assert figures == [(str(len(bugs)),) * 6 for bugs in (BUGS, REALWORLD_BUGS)]
    everything = BUGS + REALWORLD_BUGS
    assert len(everything) >= 10 and len({b.codemod for b in everything}) >= 5
    for bug in everything:
        if bug.kind:
            assert bug.kind in text, bug.kind
