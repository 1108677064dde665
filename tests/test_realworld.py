"""The real-world corpus: third-party sdists from PyPI, migrated and verified.

Every entry of ``realworld/projects/`` must load; the entries marked ``fast`` (a few
small suites) are downloaded into the cache and run through ``verify`` here, legacy
stack before and modern stack after, exactly as ``python -m realworld`` runs them all.
A project that breaks the promise (a regression, or fewer passing tests than on its
legacy stack, not excused in its entry with a reason) fails the build.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import realworld
from async_test_upgrade.harness import envs, render

ENTRIES = realworld.entries()
FAST = [e for e in ENTRIES if e.fast]


def test_every_entry_loads_and_the_corpus_covers_every_family() -> None:
    assert len({e.name for e in ENTRIES}) == len(ENTRIES)
    assert len(FAST) >= 2
    covered = {family for e in ENTRIES if not e.control for family in e.families}
    assert covered == set(realworld.FAMILIES), sorted(set(realworld.FAMILIES) - covered)
    assert sum(1 for e in ENTRIES if e.control) >= 3


def test_an_entry_with_unknown_keys_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(
        'sdist = "x==1.0"\nabout = "x"\nfamilies = ["mode"]\nsurprise = 1\n'
        '[legacy]\npython = "3.9"\nrequirements = []\n'
        '[modern]\npython = "3.11"\nrequirements = []\n'
    )
    with pytest.raises(realworld.EntryError, match="unknown keys"):
        realworld.load_entry(path)


@pytest.mark.realworld
@pytest.mark.parametrize("entry", FAST, ids=[e.name for e in FAST])
def test_fast_project_keeps_the_promise(entry: realworld.Entry) -> None:
    for stack in (entry.legacy, entry.modern):
        try:
            envs.resolve_python(stack.python)
        except envs.MissingInterpreterError as error:
            pytest.skip(f"{entry.name}: {error}")
    run = realworld.run_project(entry, log=print)
    if run.report is not None:
        print("\n".join(render.report_lines(run.report)))
    assert not run.error, run.error
    assert run.ok, run.problems
    assert run.report is not None and run.report.before is not None
    assert run.report.after.count("passed") > 0
