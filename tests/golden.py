"""Collecting and running the golden cases in ``tests/cases/<codemod>/``.

Three shapes of case, for every codemod:

* ``NAME.before.py`` / ``NAME.after.py``: one file, transformed by that codemod alone.
* ``NAME.py`` (no ``.before``/``.after``): a look-alike the codemod must leave untouched.
* ``NAME.before/`` / ``NAME.after/``: a small project (several files, config files too),
  migrated through the whole engine with only that codemod selected.

A ``NAME.notes`` file beside a case lists the notes the codemod must write for it, one
``path:line: codemod: message`` per line in that order; no file, no notes.

A ``NAME.requirements`` file beside a one-file case stands for the project's declared
requirements (what ``facts.index_requirements`` reads from a real project's files).

A ``NAME.options`` file beside a case holds ``key = value`` lines (``target-version``,
``asyncio-mode``, ``include-source = true``) for it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from async_test_upgrade import engine, registry
from async_test_upgrade.facts import ProjectFacts, index_file
from async_test_upgrade.model import FileResult, Note, Options, parse_version
from async_test_upgrade.requirements import declared_versions

CASES = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class Case:
    codemod: str
    name: str
    before: Path
    after: Path | None  # None: must stay untouched

    @property
    def is_project(self) -> bool:
        return self.before.is_dir()

    @property
    def id(self) -> str:
        return f"{self.codemod}/{self.name}"

    def options(self) -> Options:
        path = self.before.parent / f"{self.name}.options"
        settings: dict[str, str] = {}
        if path.exists():
            for line in path.read_text().splitlines():
                if "=" in line and not line.lstrip().startswith("#"):
                    key, value = line.split("=", 1)
                    settings[key.strip()] = value.strip()
        target = parse_version(settings.get("target-version", "1.5"))
        mode = settings.get("asyncio-mode")
        return Options(
            target_version=target,
            asyncio_mode=mode,  # type: ignore[arg-type]
            selected=frozenset({self.codemod}),
            include_source=settings.get("include-source", "false") == "true",
            known=frozenset(registry.by_name()),
        )

    @property
    def notes_path(self) -> Path:
        return self.before.parent / f"{self.name}.notes"

    def expected_notes(self) -> list[str]:
        path = self.notes_path
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def collect() -> list[Case]:
    cases: list[Case] = []
    for directory in sorted(p for p in CASES.iterdir() if p.is_dir()):
        for entry in sorted(directory.iterdir()):
            name = entry.name
            if name.endswith(".before.py"):
                stem = name.removesuffix(".before.py")
                cases.append(Case(directory.name, stem, entry, directory / f"{stem}.after.py"))
            elif name.endswith(".before") and entry.is_dir():
                stem = name.removesuffix(".before")
                cases.append(Case(directory.name, stem, entry, directory / f"{stem}.after"))
            elif name.endswith(".py") and not name.endswith(".after.py"):
                cases.append(Case(directory.name, name.removesuffix(".py"), entry, None))
    return cases


def run_file(
    codemod: str, source: bytes, relpath: str, options: Options, requirements: str = ""
) -> FileResult:
    record = registry.by_name()[codemod]
    facts = ProjectFacts()
    facts.declared_packages = declared_versions(requirements)
    index_file(facts, relpath, source)
    return engine.transform_source(source, relpath, [record], facts, options)


def file_output(case: Case, source: bytes) -> bytes:
    return file_result(case, source)[0]


def file_result(case: Case, source: bytes) -> tuple[bytes, list[str]]:
    """The codemod's output for a one-file case, and its notes rendered."""
    relpath = relpath_for(case)
    requirements = case.before.parent / f"{case.name}.requirements"
    declared = requirements.read_text(encoding="utf-8") if requirements.exists() else ""
    result = run_file(case.codemod, source, relpath, case.options(), declared)
    assert result.error is None, result.error
    output = source if result.new_source is None else result.new_source
    return output, rendered_notes(result.notes)


def rendered_notes(notes: list[Note]) -> list[str]:
    return [n.render() for n in sorted(notes, key=lambda n: (n.path, n.line, n.message))]


def relpath_for(case: Case) -> str:
    # Case files are named after what they show; what a codemod does can depend on the
    # file being a conftest or a test module, so the name tells it.
    stem = case.name
    if stem.startswith("conftest"):
        return "conftest.py"
    return f"{stem}.py" if stem.startswith("test_") else f"test_{stem}.py"


def project_output(case: Case, workdir: Path) -> tuple[Path, list[str]]:
    """Copy the ``before`` project to ``workdir``, migrate it; its root and notes."""
    root = workdir / "project"
    shutil.copytree(case.before, root)
    options = case.options()
    codemods = registry.select([case.codemod])
    result = engine.migrate([root], codemods, options, jobs=1)
    assert not result.errors, result.errors
    engine.write_result(result)
    return root, rendered_notes(result.notes)


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def reparses(source: bytes) -> bool:
    try:
        cst.parse_module(source)
    except cst.ParserSyntaxError:
        return False
    return True
