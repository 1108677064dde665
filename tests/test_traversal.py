"""Shared traversals: codemods run together in one visit give what they give one by one."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

import libcst as cst
import pytest

from async_test_upgrade import engine, registry
from async_test_upgrade.cst import CodemodTransformer, FileContext
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.model import Options
from async_test_upgrade.traversal import SharedTraversal, UnsharedRoundError, must_follow, rounds

ROOT = Path(__file__).parents[1]
PROJECTS = [ROOT / "tests" / "cases", *sorted(p for p in (ROOT / "corpus").iterdir() if p.is_dir())]


def _outcome(result: engine.MigrationResult) -> tuple[Any, ...]:
    return (
        {f.relpath: f.new for f in result.changed_files},
        result.config_new,
        Counter((c.path, c.line, c.codemod, c.description) for c in result.changes),
        # Lines too: every note is placed on the file as it is on disk, whichever tree
        # its codemod saw.
        Counter(n.render() for n in result.notes),
        sorted(result.errors),
    )


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_shared_traversals_change_nothing(project: Path) -> None:
    options = Options(include_source=True)
    alone = engine.migrate([project], registry.catalogue(), options, jobs=1, shared=False)
    shared = engine.migrate([project], registry.catalogue(), options, jobs=1, shared=True)
    assert _outcome(shared) == _outcome(alone)


# --- the traversal itself, on small transformers of our own -----------------------------


class Rename(CodemodTransformer):
    """Renames ``old`` to ``new`` everywhere except inside functions named ``keep*``."""

    METADATA_DEPENDENCIES: ClassVar[tuple[()]] = ()
    old = "a"
    new = "b"

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return not node.name.value.startswith("keep")

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if updated_node.value == self.old:
            self.changed(original_node, f"{self.old} -> {self.new}")
            return updated_node.with_changes(value=self.new)
        return updated_node


class RenameAgain(Rename):
    old = "b"
    new = "c"

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return True


class DropPass(CodemodTransformer):
    METADATA_DEPENDENCIES: ClassVar[tuple[()]] = ()

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        if isinstance(updated_node.body[0], cst.Pass) and len(updated_node.body) == 1:
            return cst.RemoveFromParent()
        return updated_node


class CountLines(CodemodTransformer):
    METADATA_DEPENDENCIES: ClassVar[tuple[()]] = ()

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        self.changed(original_node, f"line {updated_node.body[0].__class__.__name__}")
        return updated_node


class ParamHook(CodemodTransformer):
    """A field hook: counts the parameters it enters."""

    METADATA_DEPENDENCIES: ClassVar[tuple[()]] = ()

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.entered = 0

    def visit_FunctionDef_params(self, node: cst.FunctionDef) -> None:
        self.entered += 1


def _members(*classes: type[CodemodTransformer]) -> list[CodemodTransformer]:
    ctx = FileContext("t.py", "t", ProjectFacts(), Options())
    return [cls(ctx) for cls in classes]


SOURCE = """\
a = 1
def f(a):
    pass
    return a
def keep(a):
    return a
"""


def test_a_member_skipping_a_subtree_does_not_stop_the_others() -> None:
    module = cst.parse_module(SOURCE)
    members = _members(Rename, ParamHook)
    shared = module.visit(SharedTraversal(members))
    alone = module.visit(_members(Rename)[0])
    assert shared.code == alone.code
    assert "def keep(a):\n    return a" in shared.code
    hook = members[1]
    assert isinstance(hook, ParamHook)
    assert hook.entered == 2  # both functions, though the renamer skipped one


def test_a_later_member_sees_the_earlier_members_edits() -> None:
    module = cst.parse_module(SOURCE)
    chained = module.visit(SharedTraversal(_members(Rename, RenameAgain)))
    one_by_one = module.visit(_members(Rename)[0]).visit(_members(RenameAgain)[0])
    assert chained.code == one_by_one.code


def test_a_node_removed_under_a_later_member_stops_the_shared_round() -> None:
    """Alone, CountLines would never see the ``pass`` DropPass removes; shared, it has
    entered it already: the traversal cannot keep its promise and says so."""
    module = cst.parse_module(SOURCE)
    with pytest.raises(UnsharedRoundError):
        module.visit(SharedTraversal(_members(DropPass, CountLines)))


class TrackDepth(CodemodTransformer):
    """Keeps a visit/leave depth counter, as many codemods do, and records its depth at
    every statement line it leaves."""

    METADATA_DEPENDENCIES: ClassVar[tuple[()]] = ()

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.depth -= 1
        self.changed(original_node, f"left {original_node.name.value} at depth {self.depth}")
        return updated_node


def test_the_engine_runs_a_round_alone_when_a_removal_breaks_it() -> None:
    """A member removing a function another member tracks the depth of: the engine's
    shared run gives exactly the one-by-one output, with balanced counters."""
    source = b"def outer():\n    def gone():\n        pass\n    return 1\n"

    class DropGone(CodemodTransformer):
        METADATA_DEPENDENCIES: ClassVar[tuple[()]] = ()

        def leave_FunctionDef(
            self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
        ) -> cst.FunctionDef | cst.RemovalSentinel:
            if original_node.name.value == "gone":
                self.changed(original_node, "removed gone")
                return cst.RemoveFromParent()
            return updated_node

    def record(name: str, transformer: type[CodemodTransformer]) -> registry.Codemod:
        return registry.Codemod(
            name=name, summary="", safety="safe", doc="", transformer=transformer
        )

    records = [record("t-drop-gone", DropGone), record("t-track-depth", TrackDepth)]
    facts, options = ProjectFacts(), Options()
    shared = engine.transform_source(source, "t.py", records, facts, options, shared=True)
    alone = engine.transform_source(source, "t.py", records, facts, options, shared=False)
    assert shared.new_source == alone.new_source
    assert shared.new_source is not None and b"gone" not in shared.new_source
    described = [c.description for c in shared.changes]
    assert described == [c.description for c in alone.changes]
    assert described == ["removed gone", "left outer at depth 0"]


def test_rounds_keep_a_codemod_after_what_it_must_see() -> None:
    def record(name: str, *after: str) -> registry.Codemod:
        return registry.Codemod(name=name, summary="", safety="safe", doc="", after=after)

    catalogue = [record("a"), record("b"), record("c", "a"), record("d", "c")]
    follows = must_follow(catalogue)
    assert follows["d"] == {"a", "c"}
    by_name = {r.name: r for r in catalogue}
    grouped = rounds([by_name[n] for n in ("a", "b", "c", "d")], follows)
    assert [[r.name for r in g] for g in grouped] == [["a", "b"], ["c"], ["d"]]
    # Relations pass through codemods that do not apply to the file.
    grouped = rounds([by_name[n] for n in ("a", "b", "d")], follows)
    assert [[r.name for r in g] for g in grouped] == [["a", "b"], ["d"]]
