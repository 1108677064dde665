"""Every golden case of every codemod: expected output, re-parse, idempotence."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from async_test_upgrade import engine, registry
from tests import golden

CASES = golden.collect()
SIDE_FILES = (".notes", ".options", ".requirements")


def _diff(expected: bytes, actual: bytes) -> str:
    return "".join(
        difflib.unified_diff(
            expected.decode(errors="replace").splitlines(True),
            actual.decode(errors="replace").splitlines(True),
            "expected",
            "actual",
        )
    )


def _notes_message(case: golden.Case) -> str:
    # A case without a notes file promises that the codemod writes none for it.
    if case.notes_path.exists():
        return "notes differ from " + case.notes_path.name
    return f"notes written, and there is no {case.notes_path.name} to list them"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden_case(case: golden.Case, tmp_path: Path) -> None:
    if case.is_project:
        root, notes = golden.project_output(case, tmp_path)
        assert notes == case.expected_notes(), _notes_message(case)
        assert case.after is not None
        expected, actual = golden.tree(case.after), golden.tree(root)
        for name in sorted(set(expected) | set(actual)):
            assert name in actual, f"{name} missing from the output"
            assert name in expected, f"{name} unexpectedly created"
            assert actual[name] == expected[name], f"{name}:\n" + _diff(
                expected[name], actual[name]
            )
        # Idempotence: a second run over the migrated tree changes nothing.
        again = engine.migrate([root], registry.select([case.codemod]), case.options(), jobs=1)
        assert not again.anything_changed, [o.relpath for o in again.changed_files]
        return

    source = case.before.read_bytes()
    output, notes = golden.file_result(case, source)
    assert golden.reparses(output)
    assert notes == case.expected_notes(), _notes_message(case)
    if case.after is None:
        assert output == source, "look-alike was changed:\n" + _diff(source, output)
        return
    wanted = case.after.read_bytes()
    assert output == wanted, _diff(wanted, output)
    assert golden.file_output(case, output) == output, "second run changed the output"


def test_every_codemod_has_golden_cases() -> None:
    covered = {c.codemod for c in CASES}
    source_codemods = {c.name for c in registry.catalogue()}
    missing = sorted(source_codemods - covered)
    assert not missing, f"codemods without golden cases: {missing}"


def test_every_codemod_has_an_untouched_case() -> None:
    untouched = {c.codemod for c in CASES if c.after is None}
    needs = {c.name for c in registry.catalogue() if c.transformer is not None}
    missing = sorted(needs - untouched)
    assert not missing, f"codemods without a case they must leave alone: {missing}"


def test_case_directories_name_real_codemods() -> None:
    known = {c.name for c in registry.catalogue()}
    unknown = sorted({c.codemod for c in CASES} - known)
    assert not unknown, f"case directories for unknown codemods: {unknown}"


def test_every_side_file_belongs_to_a_case() -> None:
    # A .notes, .options or .requirements file whose case was renamed would be silently
    # ignored, and with it the notes the case promises.
    sides = {c.before.parent / f"{c.name}{suffix}" for c in CASES for suffix in SIDE_FILES}
    orphans = sorted(
        p.relative_to(golden.CASES).as_posix()
        for p in golden.CASES.glob("*/*")
        if p.suffix in SIDE_FILES and p not in sides
    )
    assert not orphans, f"side files without their case: {orphans}"
