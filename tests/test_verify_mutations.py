"""Mutation test of verify: copies of the codemods with one deliberate bug each.

For each bug, ``verify --rollback`` runs on a copy of a corpus project the bug affects
(legacy stack before, modern stack after, as the corpus test does) and must

- detect it: at least one regression;
- attribute every regression to the broken codemod, in the files where its broken edit
  is, on evidence from a re-run (new stack or old stack, never the traceback alone);
- roll back exactly those edits.

The README's verify section states the figure (bugs detected / attributed); the last test
keeps it in step with the list below.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from async_test_upgrade.harness import render
from async_test_upgrade.harness.attribution import MISSING_EDIT, NEW_STACK, OLD_STACK
from async_test_upgrade.harness.verify import Side, VerifyRequest, verify
from tests import mutants

ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "corpus"
#: In ``Bug.files``: the module of the regressed test itself.
MODULE = "{module}"


@dataclass(frozen=True)
class Bug:
    id: str
    mutation: mutants.Mutation
    #: The corpus project it breaks.
    project: str
    #: The codemod and the files each regression must be blamed on; ``required`` must
    #: all be among them (by default all of ``files``).
    codemod: str
    files: tuple[str, ...]
    #: The evidence that must show it: new stack (leaving it out) or old stack (alone).
    evidence: str
    required: tuple[str, ...] | None = None
    #: Some regressions may instead carry missing-edit evidence naming the codemod (a
    #: construct its correct output would have handled, which leaving its edits out
    #: cannot show).
    missing_ok: bool = False

    def expected(self, nodeid: str) -> tuple[set[str], set[str]]:
        module = nodeid.partition("::")[0]
        allowed = {module if f == MODULE else f for f in self.files}
        required = {module if f == MODULE else f for f in self.required or self.files}
        return allowed, required


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
]


@pytest.mark.corpus
@pytest.mark.parametrize("bug", BUGS, ids=[b.id for b in BUGS])
def test_bug_is_detected_attributed_and_rolled_back(bug: Bug, tmp_path: Path) -> None:
    codemods = mutants.load(bug.mutation, tmp_path / "codemods")
    source = CORPUS / bug.project
    project = tmp_path / bug.project  # --rollback writes here, never into corpus/
    shutil.copytree(source, project)
    request = VerifyRequest(
        path=project,
        codemods=codemods,
        before=Side(None, source / "legacy-requirements.txt"),
        after=Side(None, source / "requirements.txt"),
        rollback=True,
    )
    report = verify(request)
    shown = "\n".join(render.report_lines(report))

    regressed = [row.nodeid for row in report.comparison.regressions]
    assert regressed, f"{bug.id} not detected:\n{shown}"
    assert [a.nodeid for a in report.attributions] == regressed
    blamed: set[str] = set()
    for attribution in report.attributions:
        if not attribution.culprits and bug.missing_ok:
            assert list(attribution.missing) == [bug.codemod], f"{attribution.nodeid}:\n{shown}"
            assert MISSING_EDIT in {e.kind for e in attribution.evidence}, shown
            continue
        allowed, required = bug.expected(attribution.nodeid)
        assert list(attribution.culprits) == [bug.codemod], f"{attribution.nodeid}:\n{shown}"
        files = set(attribution.culprits[bug.codemod])
        assert required <= files <= allowed, f"{attribution.nodeid}:\n{shown}"
        kinds = {e.kind for e in attribution.evidence if e.strong}
        assert bug.evidence in kinds, f"{attribution.nodeid}:\n{shown}"
        blamed |= files

    # The rollback leaves out exactly the blamed edits, and keeps every other one.
    rollback = report.rollback
    assert rollback is not None and rollback.not_acted_on == {}, shown
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


def test_the_readme_states_the_figure() -> None:
    """Every bug above is detected and attributed (the test fails otherwise): the README
    says so for as many bugs as there are."""
    verify_section = (ROOT / "README.md").read_text().split("## Verify", 1)[1].split("\n## ", 1)[0]
    figures = re.findall(r"(\d+) of (\d+) detected, (\d+) of (\d+) attributed", verify_section)
    count = str(len(BUGS))
    assert figures == [(count, count, count, count)]
